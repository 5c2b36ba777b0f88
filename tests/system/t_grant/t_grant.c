/*
 * Grants: a granter's table entry lets exactly the named grantee copy
 * exactly the named range in exactly the named direction; everything
 * else is refused with EPERM (or EFAULT when the granted memory is not
 * there), and revoking is clearing the valid bit.
 */
#include "../test.h"
#include "../proto.h"

static struct grant grants[5];
static char src[64] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!?";
static char dst[32];
static endpoint_t self, g_user, g_other;

/* Ask a grantee to copy; returns the kernel's answer, data in *data. */
static long ask(endpoint_t who, int dir, int id, uint64_t off, uint64_t len, uint64_t *data)
{
	message_t m;

	memset(&m, 0, sizeof(m));
	m.type = CMD_SAFECOPY;
	m.u.q[0] = (uint64_t)dir;
	m.u.q[1] = (uint64_t)(int64_t)self;
	m.u.q[2] = (uint64_t)(int64_t)id;
	m.u.q[3] = off;
	m.u.q[4] = len;
	if (ipc_sendrec(who, &m) != 0)
		return -9999;
	if (data)
		*data = m.u.q[1];
	return (long)m.u.q[0];
}

int main(void)
{
	struct info_proc ip;
	uint64_t data = 0, want;
	uint8_t pattern[8];

	sys_getinfo(INFO_SELF, 0, &ip, sizeof(ip));
	self = ip.endpoint;
	g_user = lookup_endpoint("g_user");
	g_other = lookup_endpoint("g_other");
	grants[0] = (struct grant){ GRANT_VALID | GRANT_READ, g_user, (uint64_t)src, sizeof(src), 0 };
	grants[1] = (struct grant){ GRANT_VALID | GRANT_WRITE, g_user, (uint64_t)dst, sizeof(dst), 0 };
	grants[2] = (struct grant){ GRANT_VALID | GRANT_READ, ANY, (uint64_t)src, 16, 0 };
	grants[3] = (struct grant){ GRANT_VALID | GRANT_READ, g_user, 0x10, 64, 0 };
	grants[4] = (struct grant){ GRANT_VALID | GRANT_READ, g_user, ~0ul - 8, 64, 0 };
	CHECK_EQ("grant_table_declared", sys_setgrant(grants, 5), 0);

	CHECK_EQ("grant_valid_read", ask(g_user, SAFECOPY_FROM, 0, 0, 8, &data), 0);
	memcpy(&want, src, 8);
	CHECK_EQ("grant_valid_read_data", data == want, 1);
	CHECK_EQ("grant_valid_read_at_end", ask(g_user, SAFECOPY_FROM, 0, 56, 8, &data), 0);
	memcpy(&want, src + 56, 8);
	CHECK_EQ("grant_valid_read_at_end_data", data == want, 1);
	CHECK_EQ("grant_read_past_end_refused", ask(g_user, SAFECOPY_FROM, 0, 60, 8, NULL), -EPERM);
	CHECK_EQ("grant_offset_overflow_refused", ask(g_user, SAFECOPY_FROM, 0, ~0ul, 2, NULL), -EPERM);
	CHECK_EQ("grant_length_overflow_refused", ask(g_user, SAFECOPY_FROM, 0, 8, ~0ul - 4, NULL), -EPERM);
	CHECK_EQ("grant_wrong_direction_refused", ask(g_user, SAFECOPY_TO, 0, 0, 8, NULL), -EPERM);

	CHECK_EQ("grant_valid_write", ask(g_user, SAFECOPY_TO, 1, 4, 8, NULL), 0);
	memset(pattern, 0xAB, sizeof(pattern));
	CHECK_EQ("grant_valid_write_data", memcmp(dst + 4, pattern, 8) == 0 && dst[3] == 0 && dst[12] == 0, 1);
	CHECK_EQ("grant_write_past_end_refused", ask(g_user, SAFECOPY_TO, 1, 30, 4, NULL), -EPERM);
	CHECK_EQ("grant_read_of_write_only_refused", ask(g_user, SAFECOPY_FROM, 1, 0, 4, NULL), -EPERM);

	CHECK_EQ("grant_wrong_grantee_refused", ask(g_other, SAFECOPY_FROM, 0, 0, 8, NULL), -EPERM);
	CHECK_EQ("grant_to_any_allowed", ask(g_other, SAFECOPY_FROM, 2, 0, 8, &data), 0);
	CHECK_EQ("grant_to_any_range_still_checked", ask(g_other, SAFECOPY_FROM, 2, 10, 8, NULL), -EPERM);
	CHECK_EQ("grant_of_unmapped_memory_efault", ask(g_user, SAFECOPY_FROM, 3, 0, 8, NULL), -EFAULT);
	CHECK_EQ("grant_wrapping_address_refused", ask(g_user, SAFECOPY_FROM, 4, 16, 8, NULL), -EPERM);
	CHECK_EQ("grant_bad_id_refused", ask(g_user, SAFECOPY_FROM, 99, 0, 8, NULL), -EPERM);
	CHECK_EQ("grant_negative_id_refused", ask(g_user, SAFECOPY_FROM, -1, 0, 8, NULL), -EPERM);

	grants[0].flags &= ~GRANT_VALID;
	CHECK_EQ("grant_revoked_refused", ask(g_user, SAFECOPY_FROM, 0, 0, 8, NULL), -EPERM);
	grants[0].flags |= GRANT_VALID;
	CHECK_EQ("grant_restored_works", ask(g_user, SAFECOPY_FROM, 0, 0, 8, NULL), 0);
	CHECK_EQ("grant_table_shrunk_refuses_old_ids", sys_setgrant(grants, 1), 0);
	CHECK_EQ("grant_id_beyond_table_refused", ask(g_user, SAFECOPY_TO, 1, 0, 4, NULL), -EPERM);
	CHECK_EQ("grant_table_outside_user_space_refused", sys_setgrant((struct grant *)0xFFFF800000000000ul, 1), -EINVAL);
	CHECK_EQ("priv_vcopy_without_grant_refused", sys_vcopy(g_user, 0x400000, SELF, (uint64_t)dst, 8), -EPERM);
	tests_finish();
}
