/*
 * The public process table (psinfo.h), granted read-only to IS. Each
 * change PM makes to a process it shows is noted here: the caller after
 * every system call, and the processes a call changes besides its caller
 * (a fork's child, a reaped zombie, re-parented children, a stopped or
 * continued process, a setpgid target).
 */
#include "pm.h"
#include "psinfo.h"

_Static_assert(PSINFO_ENTRIES == NR_PROCS, "psinfo mirrors mproc");

static struct psinfo psinfo[PSINFO_ENTRIES];
static struct grant grants[PSINFO_GRANT + 1];

int psinfo_init(void)
{
	grants[PSINFO_GRANT].flags = GRANT_VALID | GRANT_READ;
	grants[PSINFO_GRANT].grantee = ANY;
	grants[PSINFO_GRANT].addr = (uint64_t)psinfo;
	grants[PSINFO_GRANT].len = sizeof(psinfo);
	return (int)sys_setgrant(grants, PSINFO_GRANT + 1);
}

static uint64_t mapped_bytes(const struct mproc *p)
{
	uint64_t n = p->brk_cur - p->brk_start;
	int i;

	for (i = 0; i < NR_REGIONS; i++)
		n += p->reg[i].end - p->reg[i].start;
	return n;
}

void psinfo_note(const struct mproc *p)
{
	struct psinfo *s = &psinfo[p - mproc];

	if (!p->in_use) {
		s->pid = 0;
		return;
	}
	s->pid = p->pid;
	s->ppid = p->ppid;
	s->pgid = p->pgid;
	s->sid = p->sid;
	s->ep = p->zombie ? 0 : p->ep;
	s->uid = p->uid;
	s->euid = p->euid;
	s->gid = p->gid;
	s->egid = p->egid;
	s->state = p->zombie ? 'Z' : p->stopped ? 'T' : 'R';
	s->start_tick = p->start_tick;
	s->vsize = p->zombie ? 0 : mapped_bytes(p);
	s->ticks = p->child_ticks;
	memcpy(s->comm, p->comm, sizeof(s->comm));
}

/* At exec: the first PSINFO_CMDLINE bytes of the argv strings. */
void psinfo_exec(const struct mproc *p, const char *argv, int argc)
{
	struct psinfo *s = &psinfo[p - mproc];
	size_t n = 0;

	while (argc-- > 0)
		n += strlen(argv + n) + 1;
	if (n > sizeof(s->cmdline))
		n = sizeof(s->cmdline);
	memcpy(s->cmdline, argv, n);
	s->cmdlen = (uint32_t)n;
	psinfo_note(p);
}

/* A fork's child runs its parent's program: the same command line. */
void psinfo_fork(const struct mproc *parent, const struct mproc *child)
{
	struct psinfo *s = &psinfo[child - mproc];

	s->cmdlen = psinfo[parent - mproc].cmdlen;
	memcpy(s->cmdline, psinfo[parent - mproc].cmdline, sizeof(s->cmdline));
	psinfo_note(child);
}
