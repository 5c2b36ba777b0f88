/*
 * The requires expression language, evaluated by code contractc generated
 * from fixtures/arith.contract: operators, precedence and the rule that an
 * overflow or a division by zero makes the predicate false, not a crash.
 */
#include <stdint.h>
#include <string.h>

#include "arith.h"
#include "check.h"

static int
div(int32_t a, int32_t b)
{
	struct arith_Div p = { .a = a, .b = b };

	return arith_requires_Div(&p);
}

static int
arith_division_by_zero_is_false(void)
{
	CHECK(div(4, 2));
	CHECK(!div(5, 2));		/* 5 / 2 == 2 but 5 % 2 != 0 */
	CHECK(!div(4, 0));
	CHECK(!div(INT32_MIN, -1));	/* exact: 2^31, not a trap */
	CHECK(div(-4, -2));
	return 0;
}

static int
arith_short_circuit_guards_division(void)
{
	struct arith_Guard p = { .a = 10, .b = 0 };

	CHECK(arith_requires_Guard(&p));
	p.b = 2;
	CHECK(arith_requires_Guard(&p));
	p.a = 1;
	CHECK(!arith_requires_Guard(&p));
	return 0;
}

static int
arith_u64_compares_exactly(void)
{
	struct arith_Big p = { .v = UINT64_C(9223372036854775808) };

	CHECK(arith_requires_Big(&p));
	p.v = UINT64_MAX;
	CHECK(arith_requires_Big(&p));
	p.v = INT64_MAX;
	CHECK(!arith_requires_Big(&p));
	return 0;
}

static int
arith_overflow_is_false(void)
{
	struct arith_Mul p = { .a = 3 };

	CHECK(arith_requires_Mul(&p));		/* 81 */
	p.a = -3;
	CHECK(arith_requires_Mul(&p));
	p.a = INT64_C(1) << 40;			/* 2^160 does not fit */
	CHECK(!arith_requires_Mul(&p));
	p.a = INT64_MIN;
	CHECK(!arith_requires_Mul(&p));
	return 0;
}

static int
arith_shift_out_of_range_is_false(void)
{
	struct arith_Shift p = { .s = 4, .v = 100 };

	CHECK(arith_requires_Shift(&p));	/* 1600 */
	p.s = 0;
	CHECK(!arith_requires_Shift(&p));
	p.s = 200;
	CHECK(!arith_requires_Shift(&p));
	p.s = 63;
	p.v = UINT64_MAX;			/* 2^127 - 2^63 still fits */
	CHECK(arith_requires_Shift(&p));
	p.s = 64;				/* 2^128 - 2^64 does not */
	CHECK(!arith_requires_Shift(&p));
	return 0;
}

static int
arith_bitwise_binds_tighter_than_comparison(void)
{
	struct arith_Flags p = { .flags = 5 };

	/* (5 & 3) == 1; C would read 5 & (3 == 1) and say false. */
	CHECK(arith_requires_Flags(&p));
	p.flags = 3;
	CHECK(!arith_requires_Flags(&p));
	return 0;
}

static int
arith_unary_operators(void)
{
	struct arith_Neg p = { .x = -3 };

	CHECK(arith_requires_Neg(&p));
	p.x = -5;
	CHECK(!arith_requires_Neg(&p));		/* !(x == -5) */
	p.x = -1;
	CHECK(!arith_requires_Neg(&p));		/* ~-1 == 0 */
	p.x = 3;
	CHECK(!arith_requires_Neg(&p));
	p.x = INT8_MIN;
	CHECK(arith_requires_Neg(&p));
	return 0;
}

static int
arith_range_check_cannot_wrap(void)
{
	struct arith_Range p = { .offset = 512, .length = 512, .size = 1024 };

	CHECK(arith_requires_Range(&p));
	p.length = 513;
	CHECK(!arith_requires_Range(&p));
	/* In u64 arithmetic this would wrap to 511 and pass. */
	p.offset = UINT64_MAX;
	p.length = 512;
	CHECK(!arith_requires_Range(&p));
	p.offset = 0;
	p.length = 0;
	CHECK(!arith_requires_Range(&p));
	return 0;
}

static int
arith_bitwise_and_negative_results(void)
{
	struct arith_Bits p = { .a = 0xf0, .b = 0x0f };

	CHECK(arith_requires_Bits(&p));		/* 0xff ^ 0xff == 0, 225 >= -10 */
	p.a = 0x0f;
	p.b = 0xf0;
	CHECK(!arith_requires_Bits(&p));	/* a - b = -225 < -10 */
	p.a = 0xff;
	p.b = 0xff;
	CHECK(arith_requires_Bits(&p));
	p.a = 1;
	p.b = 2;
	CHECK(!arith_requires_Bits(&p));	/* 3 ^ 0xff != 0 */
	return 0;
}

static int
arith_array_field_is_copied(void)
{
	static const uint8_t name[16] = "block0";
	message_t m;
	struct arith_msg out;

	CHECK(arith_encode_Bytes(&m, name, 7) == 0);
	CHECK(memcmp(m.u.b, name, 16) == 0);
	CHECK(m.u.b[16] == 7 && m.u.b[17] == 0);
	CHECK(arith_decode(&m, &out) == 0);
	CHECK(memcmp(out.u.Bytes.name, name, 16) == 0);
	CHECK(out.u.Bytes.n == 7);
	CHECK(arith_encode_Bytes(&m, name, -1) == -CONTRACT_EPROTO);
	return 0;
}

static int
arith_signed_division_truncates_toward_zero(void)
{
	struct arith_Signed p = { .a = -7, .b = 2 };

	CHECK(arith_requires_Signed(&p));	/* -3 rem -1, as in C */
	p.b = -2;
	CHECK(!arith_requires_Signed(&p));	/* 3 rem -1 */
	p.a = 7;
	CHECK(!arith_requires_Signed(&p));	/* -3 rem 1 */
	p.a = INT64_MIN;
	p.b = -1;
	CHECK(!arith_requires_Signed(&p));	/* exact in 128 bits, no trap */
	p.b = 0;
	CHECK(!arith_requires_Signed(&p));
	return 0;
}

/* The runtime's shift-and-subtract division against the compiler's own. */
static int
arith_division_matches_native_128bit(void)
{
	static const int64_t edge[] = {
		0, 1, -1, 2, -2, 3, 7, -7, 512, INT32_MAX, INT32_MIN,
		INT64_MAX, INT64_MIN, INT64_MAX - 1, 1000000007,
	};
	uint64_t seed = 88172645463325252u;
	contract_val_t a, b;
	bool ok;
	int i, j, k;

	for (k = 0; k < 4000; k++) {
		if (k < 225) {
			i = k / 15;
			j = k % 15;
			a = edge[i];
			b = edge[j];
		} else {
			/* xorshift64: reproducible, spread over all widths. */
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			a = (contract_val_t)(int64_t)seed * (int64_t)(seed >> 3);
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			b = (contract_val_t)(int64_t)seed >> (seed & 63);
		}
		ok = true;
		if (b == 0) {
			(void)contract_div(a, b, &ok);
			CHECK(!ok);
			ok = true;
			(void)contract_mod(a, b, &ok);
			CHECK(!ok);
			continue;
		}
		CHECK(contract_div(a, b, &ok) == a / b);
		CHECK(contract_mod(a, b, &ok) == a % b);
		CHECK(ok);
	}
	ok = true;
	(void)contract_div(CONTRACT_VAL_MIN, -1, &ok);
	CHECK(!ok);
	ok = true;
	CHECK(contract_div(CONTRACT_VAL_MIN, 1, &ok) == CONTRACT_VAL_MIN && ok);
	CHECK(contract_mod(CONTRACT_VAL_MIN, -1, &ok) == 0 && ok);
	return 0;
}

int
main(void)
{
	int failures = 0;

	RUN(arith_division_by_zero_is_false);
	RUN(arith_short_circuit_guards_division);
	RUN(arith_u64_compares_exactly);
	RUN(arith_overflow_is_false);
	RUN(arith_shift_out_of_range_is_false);
	RUN(arith_bitwise_binds_tighter_than_comparison);
	RUN(arith_unary_operators);
	RUN(arith_range_check_cannot_wrap);
	RUN(arith_bitwise_and_negative_results);
	RUN(arith_array_field_is_copied);
	RUN(arith_signed_division_truncates_toward_zero);
	RUN(arith_division_matches_native_128bit);
	return failures != 0;
}
