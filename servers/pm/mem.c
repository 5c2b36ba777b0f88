/*
 * The user address space: PM decides the layout and asks the kernel to
 * map fresh zeroed pages (KC_MAP), unmap (KC_UNMAP) and change protection
 * (KC_PROTECT). Each process has a fixed table of regions (page ranges and
 * their protection), so mmap can find free room and munmap/mprotect can
 * split what they touch. Memory is mapped when asked for, not on demand:
 * there is no paging, so a page fault is always a SIGSEGV.
 *
 * Limits: anonymous private memory only (MAP_SHARED|MAP_ANONYMOUS is
 * treated as private, which is what a process without threads sees until
 * it forks); PROT_NONE pages are mapped readable (x86 cannot map a present
 * page unreadable, and there is no "reserved but absent" kind of page yet);
 * mremap fails with ENOMEM, which musl and glibc handle by copying.
 */
#include "pm.h"
#include "sysnr.h"

#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_NORESERVE	0x4000
#define MAP_FIXED_NOREPLACE 0x100000
#define LPROT_MASK	7	/* Linux PROT_READ/WRITE/EXEC == ours */

void region_clear(struct mproc *p)
{
	memset(p->reg, 0, sizeof(p->reg));
}

/* Record [start, end) with prot, merging with a neighbour of the same protection. */
int region_add(struct mproc *p, uint64_t start, uint64_t end, int prot)
{
	int i;

	for (i = 0; i < NR_REGIONS; i++) {
		struct region *r = &p->reg[i];
		if (r->start == r->end || r->prot != prot)
			continue;
		if (r->end == start) {
			r->end = end;
			return 0;
		}
		if (r->start == end) {
			r->start = start;
			return 0;
		}
	}
	for (i = 0; i < NR_REGIONS; i++)
		if (p->reg[i].start == p->reg[i].end) {
			p->reg[i].start = start;
			p->reg[i].end = end;
			p->reg[i].prot = prot;
			return 0;
		}
	return -ENOMEM;
}

static int free_slots(struct mproc *p)
{
	int i, n = 0;

	for (i = 0; i < NR_REGIONS; i++)
		n += p->reg[i].start == p->reg[i].end;
	return n;
}

/*
 * Take [start, end) out of the table, splitting regions it cuts. With
 * prot >= 0 the range is put back with that protection (mprotect). The
 * caller has checked that two free slots exist (a cut in the middle of
 * one region needs one, the re-added range another).
 */
static void region_cut(struct mproc *p, uint64_t start, uint64_t end)
{
	int i;

	for (i = 0; i < NR_REGIONS; i++) {
		struct region *r = &p->reg[i];
		uint64_t rs = r->start, re = r->end;
		if (rs == re || re <= start || rs >= end)
			continue;
		if (rs < start && re > end) {		/* a hole in the middle */
			r->end = start;
			(void)region_add(p, end, re, r->prot);
		} else if (rs < start) {
			r->end = start;
		} else if (re > end) {
			r->start = end;
		} else {
			r->start = r->end = 0;
		}
	}
}

static int overlaps(struct mproc *p, uint64_t start, uint64_t end)
{
	int i;

	for (i = 0; i < NR_REGIONS; i++)
		if (p->reg[i].start != p->reg[i].end && p->reg[i].start < end && p->reg[i].end > start)
			return 1;
	return start < p->brk_cur && end > p->brk_start;
}

/* Every page of [start, end) is in some region. */
static int covered(struct mproc *p, uint64_t start, uint64_t end)
{
	uint64_t a = start;
	int i, moved = 1;

	while (a < end && moved) {
		moved = 0;
		for (i = 0; i < NR_REGIONS; i++)
			if (p->reg[i].start <= a && p->reg[i].end > a) {
				a = p->reg[i].end;
				moved = 1;
			}
	}
	return a >= end;
}

/* The highest free range of len bytes below MMAP_TOP. */
static uint64_t find_room(struct mproc *p, uint64_t len)
{
	uint64_t cand = MMAP_TOP - len;
	int i, again = 1;

	while (again) {
		again = 0;
		for (i = 0; i < NR_REGIONS; i++) {
			struct region *r = &p->reg[i];
			if (r->start != r->end && r->start < cand + len && r->end > cand) {
				if (r->start < len + p->brk_start + BRK_MAX)
					return 0;
				cand = r->start - len;
				again = 1;
			}
		}
	}
	return cand > p->brk_start + BRK_MAX ? cand : 0;
}

static long do_mmap(struct mproc *p, uint64_t addr, uint64_t len, uint64_t prot,
    uint64_t flags, uint64_t fd)
{
	uint64_t start;
	long r;

	(void)fd;
	if (!len || (addr & (PAGE - 1)) || (prot & ~(uint64_t)LPROT_MASK))
		return -EINVAL;
	if (!(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -ENODEV;		/* file mappings: not yet */
	if ((prot & PROT_W) && (prot & PROT_X))
		return -EACCES;		/* W^X: never both */
	len = PAGE_UP(len);
	if (len > MMAP_TOP || len == 0)
		return -ENOMEM;
	if (free_slots(p) < 2)
		return -ENOMEM;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr + len > STACK_TOP - STACK_SIZE || addr < PAGE)
			return -ENOMEM;
		if (overlaps(p, addr, addr + len)) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -EEXIST;
			if (addr < p->brk_cur && addr + len > p->brk_start)
				return -ENOMEM;		/* not over the heap */
			if ((r = sys_unmap(p->ep, addr, len)) < 0)
				return r;
			region_cut(p, addr, addr + len);
		}
		start = addr;
	} else if (!(start = find_room(p, len))) {
		return -ENOMEM;
	}
	if ((r = sys_map(p->ep, start, len, (int)prot)) < 0)
		return r == -EEXIST ? -ENOMEM : r;
	if (region_add(p, start, start + len, (int)prot) < 0) {
		(void)sys_unmap(p->ep, start, len);
		return -ENOMEM;
	}
	return (long)start;
}

static long do_munmap(struct mproc *p, uint64_t addr, uint64_t len)
{
	long r;

	if ((addr & (PAGE - 1)) || !len || addr >= USER_END || len > USER_END - addr)
		return -EINVAL;
	len = PAGE_UP(len);
	if (free_slots(p) < 1)
		return -ENOMEM;
	if (addr < p->brk_cur && addr + len > p->brk_start)
		return -EINVAL;		/* the heap is brk's */
	if ((r = sys_unmap(p->ep, addr, len)) < 0)
		return r;
	region_cut(p, addr, addr + len);
	return 0;
}

static long do_mprotect(struct mproc *p, uint64_t addr, uint64_t len, uint64_t prot)
{
	long r;

	if ((addr & (PAGE - 1)) || (prot & ~(uint64_t)LPROT_MASK))
		return -EINVAL;
	len = PAGE_UP(len);
	if (!len)
		return 0;
	if ((prot & PROT_W) && (prot & PROT_X))
		return -EACCES;
	if (addr >= p->brk_start && addr + len <= p->brk_cur)
		return sys_protect(p->ep, addr, len, (int)prot) < 0 ? -ENOMEM : 0;
	if (!covered(p, addr, addr + len))
		return -ENOMEM;
	if (free_slots(p) < 2)
		return -ENOMEM;
	if ((r = sys_protect(p->ep, addr, len, (int)prot)) < 0)
		return r == -EPERM ? -EACCES : r;
	region_cut(p, addr, addr + len);
	(void)region_add(p, addr, addr + len, (int)prot);
	return 0;
}

/* brk: the heap grows from brk_start; a failed request returns the old break. */
static long do_brk(struct mproc *p, uint64_t want)
{
	uint64_t old = PAGE_UP(p->brk_cur), new = PAGE_UP(want);

	if (want < p->brk_start || want > p->brk_start + BRK_MAX)
		return (long)p->brk_cur;
	if (new > old) {
		if (overlaps(p, old, new))
			return (long)p->brk_cur;
		if (sys_map(p->ep, old, new - old, PROT_R | PROT_W) < 0)
			return (long)p->brk_cur;
	} else if (new < old) {
		if (sys_unmap(p->ep, new, old - new) < 0)
			return (long)p->brk_cur;
	}
	p->brk_cur = want;
	return (long)want;
}

long do_mem_call(struct mproc *p, uint64_t nr, uint64_t *a)
{
	switch (nr) {
	case NR_brk:
		return do_brk(p, a[0]);
	case NR_mmap:
		return do_mmap(p, a[0], a[1], a[2], a[3], a[4]);
	case NR_munmap:
		return do_munmap(p, a[0], a[1]);
	case NR_mprotect:
		return do_mprotect(p, a[0], a[1], a[2]);
	case NR_madvise:
		return (a[0] & (PAGE - 1)) ? -EINVAL : 0;	/* advice only */
	case NR_mremap:
		return -ENOMEM;
	}
	return -ENOSYS;
}
