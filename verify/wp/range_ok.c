/*
 * WP harness: vm_range_ok (kernel/paging.c) and the grant range check of
 * KC_SAFECOPY (kernel/kcall/do_copy.c). The expressions are copied
 * verbatim (lines marked `mirror:`); tests/unit/verify/check-mirror.sh
 * fails if the kernel's text changes, so the proof cannot silently drift.
 * Arithmetic in the ACSL is on mathematical integers: what is proved is
 * that the C expressions, with their 64-bit wrap-around, decide exactly
 * the unbounded statement.
 */
#include <stdint.h>

#define USER_TOP	0x0000800000000000ul

/*@ assigns \nothing;
    ensures \result != 0 <==> va < USER_TOP && va + len <= USER_TOP;
 */
int vm_range_ok(uint64_t va, uint64_t len)
{
	/* mirror: kernel/paging.c: return va < USER_TOP && len <= USER_TOP - va; */
	return va < USER_TOP && len <= USER_TOP - va;
}

struct grant {
	uint32_t flags;
	int32_t grantee;
	uint64_t addr;
	uint64_t len;
	uint64_t reserved;
};

/*
 * 1 when do_safecopy refuses ("grant range"): the copy of len bytes at
 * offset off must lie inside the granted [addr, addr + len), and the
 * address it starts at must not wrap.
 */
/*@ requires \valid_read(gp);
    assigns \nothing;
    ensures \result == 0 <==> (off + len <= gp->len && gp->addr + off <= UINT64_MAX);
    ensures \result == 0 ==> gp->addr <= gp->addr + off &&
                             gp->addr + off + len <= gp->addr + gp->len;
 */
int grant_range_refused(const struct grant *gp, uint64_t off, uint64_t len)
{
	struct grant gr = *gp;

	/* hints for the provers: what 64-bit wrap-around does to the sums;
	 * `wrap` is admitted, not proved: it is C11 6.2.5p9 (unsigned
	 * arithmetic is modulo 2^64) for a sum below 2^65, which z3 and cvc4
	 * time out on. */
	/*@ admit wrap: gr.addr + off > UINT64_MAX ==>
	        (uint64_t)(gr.addr + off) == gr.addr + off - UINT64_MAX - 1; */
	/*@ assert nowrap: gr.addr + off <= UINT64_MAX ==>
	        (uint64_t)(gr.addr + off) == gr.addr + off; */
	/*@ assert sub: off <= gr.len ==> (uint64_t)(gr.len - off) == gr.len - off; */

	/* mirror: kernel/kcall/do_copy.c: if (off > gr.len || len > gr.len - off || gr.addr + off < gr.addr) */
	if (off > gr.len || len > gr.len - off || gr.addr + off < gr.addr)
		return 1;
	return 0;
}

/* The grant id check: an id past the table is refused before the entry
 * is read, and the entry's offset cannot overflow (GRANT_MAX entries). */
#define GRANT_MAX	4096
struct granter { uint32_t grant_count; };

/*@ requires \valid_read(g) && g->grant_count <= GRANT_MAX;
    assigns \nothing;
    ensures \result == 0 <==> id < g->grant_count;
    ensures \result == 0 ==> id * sizeof(struct grant) < GRANT_MAX * sizeof(struct grant);
 */
int grant_id_refused(uint64_t id, const struct granter *g)
{
	/* mirror: kernel/kcall/do_copy.c: id >= g->grant_count */
	if (id >= g->grant_count)
		return 1;
	return 0;
}
