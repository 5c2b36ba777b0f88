/*
 * execve of static ELF64 x86-64 programs: ET_EXEC, and static-PIE ET_DYN
 * (no interpreter; loaded at PIE_BASE). A PT_INTERP means a dynamic
 * program: ENOEXEC, there is no dynamic linker.
 *
 * The file comes through VFS (pm_vfs ExecOpen/ExecRead/ExecClose): the
 * headers are read into PM's own buffer, the segments straight into the
 * new image. Everything that can be checked is checked before the point of
 * no return (the old image is unmapped); a failure after it ends the
 * process as if by SIGKILL, since there is nothing left to return to.
 *
 * W^X: a PT_LOAD asking for write and execute is refused with ENOEXEC.
 * The kernel never maps a page W+X, and silently dropping either bit would
 * only move the failure to a confusing fault later; static toolchains do
 * not emit such segments.
 */
#include "pm.h"
#include "sysnr.h"
#include <bulkhead/elf.h>

#define MAX_PHDRS	32
#define MAX_ARGS	4096
#define ARG_BYTES	(128 * 1024)
#define STK_BUF		(ARG_BYTES + 2 * MAX_ARGS * 8 + 4096)
#define SEG_MAX		(1ul << 32)

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31


static uint8_t hdrbuf[4096];
static char argbuf[ARG_BYTES];	/* argv strings, then envp strings */
static char pathbuf[4096];
static uint8_t stk[STK_BUF];

struct args {
	int argc, envc;
	size_t used;
};

/* Copy a NUL-terminated string from a user process, a page at a time. */
static long copy_str(endpoint_t ep, uint64_t va, char *dst, size_t max)
{
	size_t got = 0, n, i;

	while (got < max) {
		n = PAGE - ((va + got) & (PAGE - 1));
		if (n > max - got)
			n = max - got;
		if (copy_in(ep, va + got, dst + got, n) < 0)
			return -EFAULT;
		for (i = 0; i < n; i++)
			if (!dst[got + i])
				return (long)(got + i);
		got += n;
	}
	return -E2BIG;
}

/* Append the strings of a user vector (argv or envp) to argbuf. */
static int gather(endpoint_t ep, uint64_t vec, int *count, struct args *a)
{
	uint64_t ptr;
	long n;

	*count = 0;
	if (!vec)
		return 0;
	for (;;) {
		if (copy_in(ep, vec + 8 * (uint64_t)*count, &ptr, 8) < 0)
			return -EFAULT;
		if (!ptr)
			return 0;
		if (*count >= MAX_ARGS)
			return -E2BIG;
		n = copy_str(ep, ptr, argbuf + a->used, sizeof(argbuf) - a->used);
		if (n < 0)
			return (int)n;
		a->used += (size_t)n + 1;
		(*count)++;
	}
}

static int vfs_read(uint32_t handle, uint64_t off, uint64_t va, uint64_t len, endpoint_t dst)
{
	struct pm_vfs_msg m;
	int r;

	r = vfs_result(pm_vfs_call_ExecRead(&vfs_mon, vfs_endpoint(), off, va, len, dst, handle, &m), &m);
	return r < 0 ? r : (uint64_t)r == len ? 0 : -EIO;
}

static int prot_of(uint32_t flags)
{
	return ((flags & PF_R) ? PROT_R : 0) | ((flags & PF_W) ? PROT_W : 0) |
	    ((flags & PF_X) ? PROT_X : 0);
}

struct image {
	const struct elf64_ehdr *eh;
	const struct elf64_phdr *ph;
	uint64_t bias, phdr_va, end;
};

/* Everything about the file that can be refused, before anything is destroyed. */
static int check_image(struct image *im, uint64_t fsize, uint64_t got)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)hdrbuf;
	uint64_t prev_end = 0;
	int i, loads = 0, is_dyn;

	if (got < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4) || eh->ident[4] != 2 ||
	    eh->ident[5] != 1 || eh->ident[6] != 1 || eh->machine != EM_X86_64 ||
	    (eh->type != ET_EXEC && eh->type != ET_DYN))
		return -ENOEXEC;
	if (eh->phentsize != sizeof(struct elf64_phdr) || !eh->phnum || eh->phnum > MAX_PHDRS ||
	    eh->phoff > got || eh->phnum * sizeof(struct elf64_phdr) > got - eh->phoff ||
	    (eh->phoff & 7))
		return -ENOEXEC;
	is_dyn = eh->type == ET_DYN;
	im->eh = eh;
	im->ph = (const struct elf64_phdr *)(hdrbuf + eh->phoff);
	im->bias = is_dyn ? PIE_BASE : 0;
	im->phdr_va = 0;
	im->end = 0;
	for (i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph = &im->ph[i];
		uint64_t va = ph->vaddr + im->bias;
		if (ph->type == PT_INTERP)
			return -ENOEXEC;	/* dynamic: no interpreter here */
		if (ph->type == PT_PHDR)
			im->phdr_va = va;
		if (ph->type != PT_LOAD)
			continue;
		if (ph->filesz > ph->memsz || ph->memsz > SEG_MAX || ph->offset > fsize ||
		    ph->filesz > fsize - ph->offset)
			return -ENOEXEC;
		if (va < PAGE || va + ph->memsz > MMAP_TOP - SEG_MAX || va < prev_end - (prev_end ? PAGE : 0))
			return -ENOEXEC;	/* out of range, or not in address order */
		if ((ph->flags & PF_W) && (ph->flags & PF_X))
			return -ENOEXEC;	/* W^X: see the file comment */
		if (!im->phdr_va && eh->phoff >= ph->offset && eh->phoff - ph->offset < ph->filesz)
			im->phdr_va = va + (eh->phoff - ph->offset);
		prev_end = va + ph->memsz;
		if (prev_end > im->end)
			im->end = prev_end;
		loads++;
	}
	if (!loads || eh->entry + im->bias >= im->end)
		return -ENOEXEC;
	return 0;
}

/* Map and fill the segments; pages shared by two segments get both protections. */
static int load_segments(struct mproc *p, struct image *im, uint32_t handle)
{
	uint64_t mapped_end = 0, last_page = 0;
	int i, last_prot = 0, r;

	for (i = 0; i < im->eh->phnum; i++) {
		const struct elf64_phdr *ph = &im->ph[i];
		uint64_t va = ph->vaddr + im->bias, start = PAGE_DOWN(va), end = PAGE_UP(va + ph->memsz);
		if (ph->type != PT_LOAD || !ph->memsz)
			continue;
		if (start < mapped_end)
			start = mapped_end;
		if (end > start && (r = (int)sys_map(p->ep, start, end - start, PROT_R | PROT_W)) < 0)
			return r;
		if (end > mapped_end)
			mapped_end = end;
		if (ph->filesz && (r = vfs_read(handle, ph->offset, va, ph->filesz, p->ep)) < 0)
			return r;
	}
	for (i = 0; i < im->eh->phnum; i++) {
		const struct elf64_phdr *ph = &im->ph[i];
		uint64_t va = ph->vaddr + im->bias, start = PAGE_DOWN(va), end = PAGE_UP(va + ph->memsz);
		int prot = prot_of(ph->flags);
		if (ph->type != PT_LOAD || !ph->memsz)
			continue;
		if ((r = (int)sys_protect(p->ep, start, end - start, prot)) < 0)
			return r;
		if (start == last_page) {
			int both = prot | last_prot;
			if ((both & PROT_W) && (both & PROT_X))
				return -ENOEXEC;
			if ((r = (int)sys_protect(p->ep, start, PAGE, both)) < 0)
				return r;
			start += PAGE;
		}
		if (end > start && region_add(p, start, end, prot) < 0)
			return -ENOMEM;
		last_page = end - PAGE;
		last_prot = prot;
	}
	return 0;
}

static void put(size_t off, uint64_t v)
{
	memcpy(stk + off, &v, 8);
}

/* The SysV initial stack: argc, argv, envp, auxv, then the strings. Returns rsp. */
static int build_stack(struct mproc *p, struct image *im, const struct args *a,
    const char *execfn, uint64_t *rsp)
{
	size_t pos = STK_BUF, fn_len = strlen(execfn) + 1, vec, i;
	uint64_t base = STACK_TOP - STK_BUF, fn_va, rnd_va, s_va, rnd[2];
	const char *s = argbuf;
	int n, r;

	pos -= 8;				/* an end marker, as Linux leaves */
	memset(stk + pos, 0, 8);
	pos -= fn_len;
	memcpy(stk + pos, execfn, fn_len);
	fn_va = base + pos;
	pos -= a->used;
	memcpy(stk + pos, argbuf, a->used);
	s_va = base + pos;
	pos = (pos - 16) & ~15ul;
	rnd[0] = prng_next();
	rnd[1] = prng_next();
	memcpy(stk + pos, rnd, 16);
	rnd_va = base + pos;

	{
		const uint64_t aux[][2] = {
			{ AT_PHDR, im->phdr_va }, { AT_PHENT, sizeof(struct elf64_phdr) },
			{ AT_PHNUM, im->eh->phnum }, { AT_PAGESZ, PAGE }, { AT_BASE, 0 },
			{ AT_FLAGS, 0 }, { AT_ENTRY, im->eh->entry + im->bias },
			{ AT_UID, p->uid }, { AT_EUID, p->euid }, { AT_GID, p->gid },
			{ AT_EGID, p->egid }, { AT_SECURE, 0 }, { AT_HWCAP, 0 },
			{ AT_CLKTCK, 100 }, { AT_RANDOM, rnd_va }, { AT_EXECFN, fn_va },
			{ AT_NULL, 0 },
		};
		size_t naux = sizeof(aux) / sizeof(aux[0]);
		vec = (1 + (size_t)a->argc + 1 + (size_t)a->envc + 1 + 2 * naux) * 8;
		pos = (pos - vec) & ~15ul;	/* rsp 16-byte aligned at argc */
		i = pos;
		put(i, (uint64_t)a->argc), i += 8;
		for (n = 0; n < a->argc + a->envc; n++) {
			if (n == a->argc)
				put(i, 0), i += 8;
			put(i, s_va + (uint64_t)(s - argbuf)), i += 8;
			s += strlen(s) + 1;
		}
		if (a->argc == a->argc + a->envc)
			put(i, 0), i += 8;
		put(i, 0), i += 8;
		memcpy(stk + i, aux, sizeof(aux));
	}
	if ((r = copy_out(p->ep, base + pos, stk + pos, STK_BUF - pos)) < 0)
		return r;
	*rsp = base + pos;
	return 0;
}

/*
 * The common exec: path (pathlen bytes with its NUL) lives in path_proc's
 * memory at path_va; the arguments are in argbuf already.
 */
static long exec_common(struct mproc *p, uint64_t path_va, endpoint_t path_proc,
    uint32_t pathlen, const char *execfn, struct args *a)
{
	struct pm_vfs_msg m;
	struct user_regs regs;
	struct image im;
	uint64_t size, got, rsp;
	uint32_t handle, mode, fuid, fgid;
	const char *base;
	int r;

	if (vfs_endpoint() <= 0)
		return -EAGAIN;
	r = pm_vfs_call_ExecOpen(&vfs_mon, vfs_endpoint(), path_va, path_proc, pathlen, &m);
	if (r < 0)
		return r;
	if (m.type != PM_VFS_OPENED)
		return vfs_result(r, &m);
	size = m.u.Opened.size;
	handle = m.u.Opened.handle;
	mode = m.u.Opened.mode;
	fuid = m.u.Opened.uid;
	fgid = m.u.Opened.gid;
	got = size < sizeof(hdrbuf) ? size : sizeof(hdrbuf);
	if (!got) {
		r = -ENOEXEC;
		goto close;
	}
	if ((r = vfs_read(handle, 0, (uint64_t)hdrbuf, got, pm_self)) < 0)
		goto close;
	if ((r = check_image(&im, size, got)) < 0)
		goto close;

	/* The point of no return: the old image goes. */
	if (sys_unmap(p->ep, 0, USER_END) < 0)
		goto kill;
	region_clear(p);
	if ((r = load_segments(p, &im, handle)) < 0)
		goto kill;
	if (sys_map(p->ep, STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_R | PROT_W) < 0 ||
	    region_add(p, STACK_TOP - STACK_SIZE, STACK_TOP, PROT_R | PROT_W) < 0)
		goto kill;
	if (mode & 04000)		/* set-user-ID */
		p->euid = fuid;
	if (mode & 02000)		/* set-group-ID */
		p->egid = fgid;
	p->suid = p->euid;
	p->sgid = p->egid;
	exec_set_privileges(p, execfn);
	if ((r = build_stack(p, &im, a, execfn, &rsp)) < 0)
		goto kill;
	p->brk_start = p->brk_cur = PAGE_UP(im.end);
	sig_reset_on_exec(p);
	p->clear_tid = 0;
	for (base = execfn; *execfn; execfn++)
		if (*execfn == '/')
			base = execfn + 1;
	memset(p->comm, 0, sizeof(p->comm));
	strncpy(p->comm, base, sizeof(p->comm) - 1);
	psinfo_exec(p, argbuf, a->argc);
	(void)pm_vfs_call_ExecClose(&vfs_mon, vfs_endpoint(), handle, &m);
	if (mode & 06000)
		(void)pm_vfs_call_SetIds(&vfs_mon, vfs_endpoint(), p->ep, p->uid, p->gid,
		    p->euid, p->egid, &m);
	(void)pm_vfs_call_ExecDone(&vfs_mon, vfs_endpoint(), p->ep, &m);

	memset(&regs, 0, sizeof(regs));
	regs.rip = im.eh->entry + im.bias;
	regs.rsp = rsp;
	p->in_call = 0;
	p->wait = W_NONE;
	if (sys_setregs(p->ep, &regs) < 0) {
		proc_exit(p, SIGKILL, 0);
		return NOREPLY;
	}
	return NOREPLY;		/* the new image runs instead of an answer */
close:
	(void)pm_vfs_call_ExecClose(&vfs_mon, vfs_endpoint(), handle, &m);
	return r;
kill:
	printf("pm: exec of %s failed after the point of no return (%d): pid %d ended\n",
	    execfn, r, p->pid);
	(void)pm_vfs_call_ExecClose(&vfs_mon, vfs_endpoint(), handle, &m);
	proc_exit(p, SIGKILL, 0);
	return NOREPLY;
}

long do_execve(struct mproc *p, uint64_t path, uint64_t argv, uint64_t envp)
{
	struct args a;
	long n;
	int r;

	n = copy_str(p->ep, path, pathbuf, sizeof(pathbuf));
	if (n < 0)
		return n == -E2BIG ? -ENAMETOOLONG : n;
	if (n == 0)
		return -ENOENT;
	a.used = 0;
	if ((r = gather(p->ep, argv, &a.argc, &a)) < 0 ||
	    (r = gather(p->ep, envp, &a.envc, &a)) < 0)
		return r;
	return exec_common(p, path, p->ep, (uint32_t)n + 1, pathbuf, &a);
}

/* Boot: start /sbin/init in the empty process p. -EAGAIN: VFS is not ready. */
int exec_init(struct mproc *p)
{
	static const char path[] = "/sbin/init";
	static const char strings[] = "/sbin/init\0HOME=/\0TERM=linux";
	struct args a;
	long r;

	memcpy(argbuf, strings, sizeof(strings));
	a.argc = 1;
	a.envc = 2;
	a.used = sizeof(strings);
	memcpy(pathbuf, path, sizeof(path));
	r = exec_common(p, (uint64_t)path, pm_self, sizeof(path), pathbuf, &a);
	if (r == NOREPLY)
		return 0;
	return (int)r;
}
