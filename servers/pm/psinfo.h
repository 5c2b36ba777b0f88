/*
 * PM's public process table: what `ps` may know of each POSIX process
 * (pid, parents, group, session, credentials, state, start, size, command
 * line), kept by PM in a table it grants read-only to anyone with
 * KC_SAFECOPY (grant PSINFO_GRANT of PM's grant table). IS reads it with
 * KC_SAFECOPY and never sends PM a message: IS serves /proc below VFS,
 * and PM waits on VFS, so a call from IS to PM could close a wait-for
 * cycle (docs/is.md). Entry i mirrors PM's mproc[i]; pid 0 marks a free
 * entry. Nothing in it is secret: Linux shows the same in /proc.
 */
#ifndef PM_PSINFO_H
#define PM_PSINFO_H

#include <stdint.h>

#define PSINFO_GRANT	0	/* the grant's id in PM's table */
#define PSINFO_ENTRIES	320	/* PM's NR_PROCS */
#define PSINFO_CMDLINE	128	/* argv bytes kept (NUL-separated, cut) */

struct psinfo {
	int32_t pid;		/* 0: free */
	int32_t ppid, pgid, sid;
	int32_t ep;		/* the kernel endpoint (a zombie's is gone) */
	uint32_t uid, euid, gid, egid;
	char state;		/* 'Z' zombie, 'T' stopped, 'R' otherwise */
	uint8_t reserved[3];
	uint64_t start_tick;	/* clock tick of its fork */
	uint64_t vsize;		/* bytes of its regions and heap */
	uint64_t ticks;		/* a zombie's own and reaped children's ticks */
	char comm[16];		/* the executable's base name */
	uint32_t cmdlen;	/* bytes used in cmdline */
	char cmdline[PSINFO_CMDLINE];
};

#endif
