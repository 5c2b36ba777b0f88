/*
 * 128-bit division for requires predicates, done by shift and subtract so
 * that freestanding programs need no __divti3/__modti3 from libgcc. A
 * predicate divides rarely and on small values: 128 steps are cheap enough.
 */
#include "contract.h"

__extension__ typedef unsigned __int128 contract_uval_t;

static contract_uval_t
magnitude(contract_val_t v)
{
	/* Negate in unsigned arithmetic: defined even for the minimum. */
	return v < 0 ? -(contract_uval_t)v : (contract_uval_t)v;
}

static contract_uval_t
udivmod(contract_uval_t n, contract_uval_t d, contract_uval_t *rem)
{
	contract_uval_t q = 0, r = 0;
	int i;

	/* r < d <= 2^127 throughout, so r << 1 cannot overflow. */
	for (i = 127; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= (contract_uval_t)1 << i;
		}
	}
	*rem = r;
	return q;
}

contract_val_t
contract_div(contract_val_t a, contract_val_t b, bool *ok)
{
	contract_uval_t q, r;

	if (b == 0 || (b == -1 && a == CONTRACT_VAL_MIN)) {
		*ok = false;
		return 0;
	}
	q = udivmod(magnitude(a), magnitude(b), &r);
	/*
	 * Negate in unsigned arithmetic: q may be 2^127 (minimum / 1). GCC and
	 * clang convert back modulo 2^128, which gives the exact quotient.
	 */
	if ((a < 0) != (b < 0))
		q = -q;
	return (contract_val_t)q;
}

contract_val_t
contract_mod(contract_val_t a, contract_val_t b, bool *ok)
{
	contract_uval_t r;

	if (b == 0) {
		*ok = false;
		return 0;
	}
	(void)udivmod(magnitude(a), magnitude(b), &r);
	/* The remainder takes the sign of the dividend, as in C. */
	return a < 0 ? -(contract_val_t)r : (contract_val_t)r;
}
