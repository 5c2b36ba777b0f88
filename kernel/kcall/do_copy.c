/*
 * Copies between address spaces. Bulk data never travels in messages: a
 * process grants another the right to read or write a byte range of its
 * memory, and the kernel checks the grant on every copy.
 * KC_SETGRANT	rdi=table address, rsi=entries: declare the caller's grant
 *		table (struct grant[]); it stays in the caller's memory, so
 *		revoking a grant is clearing its GRANT_VALID bit.
 * KC_SAFECOPY	rdi=SAFECOPY_FROM|SAFECOPY_TO, rsi=granter, rdx=grant id,
 *		r10=offset in the grant, r8=caller's buffer, r9=length.
 *		EPERM unless the grant is valid, names the caller (or ANY),
 *		allows the direction, and [offset, offset+length) lies inside
 *		it; EFAULT if either side's memory is not there.
 * KC_VCOPY	rdi=source endpoint, rsi=source addr, rdx=destination
 *		endpoint, r10=destination addr, r8=length (SELF = 0 on either
 *		side): for servers acting on their clients. One side must be the
 *		caller (EPERM otherwise). Known gap: the other side may be any
 *		process; grants made on a client's behalf are to replace this.
 */
#include "../proc.h"

#define GRANT_MAX	4096

int64_t do_setgrant(struct proc *p)
{
	if (p->regs.rsi > GRANT_MAX ||
	    !vm_range_ok(p->regs.rdi, p->regs.rsi * sizeof(struct grant)))
		return -EINVAL;
	p->grant_va = p->regs.rdi;
	p->grant_count = (uint32_t)p->regs.rsi;
	return 0;
}

int64_t do_safecopy(struct proc *p)
{
	uint64_t dir = p->regs.rdi, id = p->regs.rdx, off = p->regs.r10;
	uint64_t buf = p->regs.r8, len = p->regs.r9;
	struct proc *g;
	struct grant gr;
	int err;

	if ((dir != SAFECOPY_FROM && dir != SAFECOPY_TO) ||
	    (uint64_t)(int64_t)(endpoint_t)p->regs.rsi != p->regs.rsi)
		return -EINVAL;
	if (!(g = proc_lookup((endpoint_t)p->regs.rsi, &err)))
		return err;
	if (id >= g->grant_count ||
	    vm_copy_in(g->pml4, &gr, g->grant_va + id * sizeof(gr), sizeof(gr)))
		return priv_refuse(p, "grant id", (long)id);
	if (!(gr.flags & GRANT_VALID) || (gr.grantee != ANY && gr.grantee != p->endpoint))
		return priv_refuse(p, "grant (revoked or not ours)", (long)id);
	if (!(gr.flags & (dir == SAFECOPY_FROM ? GRANT_READ : GRANT_WRITE)))
		return priv_refuse(p, "grant access", (long)id);
	if (off > gr.len || len > gr.len - off || gr.addr + off < gr.addr)
		return priv_refuse(p, "grant range", (long)id);
	if (dir == SAFECOPY_FROM)
		return vm_copy_between(p->pml4, buf, g->pml4, gr.addr + off, len);
	return vm_copy_between(g->pml4, gr.addr + off, p->pml4, buf, len);
}

int64_t do_vcopy(struct proc *p)
{
	struct proc *s, *d;
	int err;

	if (p->regs.rdi == 0)
		s = p;
	else if (!(s = proc_lookup((endpoint_t)p->regs.rdi, &err)))
		return err;
	if (p->regs.rdx == 0)
		d = p;
	else if (!(d = proc_lookup((endpoint_t)p->regs.rdx, &err)))
		return err;
	if (s != p && d != p)
		return priv_refuse(p, "copy between two other processes", 0);
	return vm_copy_between(d->pml4, p->regs.r10, s->pml4, p->regs.rsi, p->regs.r8);
}
