/*
 * IS, the information server: /proc (contracts/procfs.contract, asked by
 * VFS). What it shows it reads, at each request, from where the facts
 * live: POSIX processes from PM's public table (servers/pm/psinfo.h, by
 * KC_SAFECOPY under PM's grant), kernel processes, IPC counters, CPU time
 * and privileges from the kernel (KC_GETINFO). It keeps nothing between
 * requests, so RS may restart it at any time and VFS simply asks the new
 * one (docs/is.md).
 *
 * It never calls anyone: VFS waits on it, and PM waits on VFS, so IS only
 * copies (PM's table, VFS's transfer buffer) and answers.
 *
 * Inode numbers: bit 31 set, then pid << 8 | file; pid 0 is /proc itself
 * and its own files.
 */
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include "../ds/heartbeat.h"
#include "../pm/psinfo.h"
#include <procfs.h>

#define INO_BASE	0x80000000u
#define INO(pid, f)	(INO_BASE | (uint32_t)(pid) << 8 | (f))
#define INO_PID(i)	((int)(((i) & ~INO_BASE) >> 8))
#define INO_FILE(i)	((i) & 0xff)
#define S_IFDIR		0040000
#define S_IFREG		0100000
#define DT_DIR		4
#define DT_REG		8
#define EXT2_ROOT_INO	2	/* `..` of /proc: the root directory */
#define OUT_SIZE	65536

/* /proc's own files, then each pid directory's; index = the inode's file. */
static const char *const top_files[] = { 0, "uptime", "meminfo", "loadavg", "stat",
	"endpoints", "privileges" };
static const char *const pid_files[] = { 0, "stat", "cmdline", "status" };
#define NTOP	(int)(sizeof(top_files) / sizeof(top_files[0]))
#define NPID	(int)(sizeof(pid_files) / sizeof(pid_files[0]))

static struct psinfo ps[PSINFO_ENTRIES];
static struct info_proc kp[NR_SLOTS];	/* kp[s].endpoint == 0: slot free */
static struct info_kernel kinfo;
static char out[OUT_SIZE];
static size_t out_len;
static struct contract_monitor mon;

/* ---- gathering ---- */

static int load_psinfo(void)
{
	endpoint_t pm = lookup_endpoint("pm");

	if (pm < 0 || sys_safecopy(SAFECOPY_FROM, pm, PSINFO_GRANT, 0, ps, sizeof(ps)) < 0) {
		memset(ps, 0, sizeof(ps));
		return -EIO;
	}
	return 0;
}

static void load_kernel(void)
{
	int s;

	if (sys_getinfo(INFO_KERNEL, 0, &kinfo, sizeof(kinfo)) < 0)
		memset(&kinfo, 0, sizeof(kinfo));
	if (!kinfo.hz)
		kinfo.hz = 100;
	for (s = 0; s < NR_SLOTS; s++)
		if (sys_getinfo(INFO_PROC, (uint64_t)s, &kp[s], sizeof(kp[s])) < 0)
			kp[s].endpoint = 0;
}

static const struct psinfo *find_pid(int pid)
{
	int i;

	for (i = 0; pid > 0 && i < PSINFO_ENTRIES; i++)
		if (ps[i].pid == pid)
			return &ps[i];
	return NULL;
}

/* The kernel's record of a live process, or NULL (a zombie has none). */
static const struct info_proc *kernel_proc(const struct psinfo *p)
{
	const struct info_proc *k = p->ep > 0 ? &kp[ENDPOINT_SLOT(p->ep)] : NULL;

	return k && k->endpoint == p->ep ? k : NULL;
}

static char state_of(const struct psinfo *p)
{
	const struct info_proc *k = kernel_proc(p);

	if (p->state != 'R' || !k)
		return p->state == 'R' ? 'Z' : p->state;
	return k->flags ? 'S' : 'R';	/* blocked in IPC (a system call) or runnable */
}

/* ---- rendering ---- */

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + out_len, sizeof(out) - out_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		out_len += (size_t)n < sizeof(out) - out_len ? (size_t)n : sizeof(out) - out_len - 1;
}

/* s, padded with spaces to w columns (the printf has no %-Ns). */
static void emit_left(const char *s, size_t w)
{
	size_t n = strlen(s);

	emit("%s", s);
	while (n++ < w)
		emit(" ");
}

static void emit_hundredths(uint64_t ticks)
{
	emit("%lu.%02lu", ticks / kinfo.hz, (ticks % kinfo.hz) * 100 / kinfo.hz);
}

/* CPU ticks: user processes, services, and the rest (idle). */
static void cpu_split(uint64_t *user, uint64_t *sys, uint64_t *idle)
{
	int s;

	*user = *sys = 0;
	for (s = 0; s < NR_SLOTS; s++) {
		if (!kp[s].endpoint)
			continue;
		if (kp[s].priv_id == PRIV_USER)
			*user += kp[s].ticks;
		else
			*sys += kp[s].ticks;
	}
	*idle = kinfo.ticks > *user + *sys ? kinfo.ticks - *user - *sys : 0;
}

static void render_top(int file)
{
	uint64_t user, sys, idle, kb = 4096 / 1024;
	int i, s, running = 0, total = 0, last = 0;

	cpu_split(&user, &sys, &idle);
	for (i = 0; i < PSINFO_ENTRIES; i++) {
		if (!ps[i].pid)
			continue;
		total++;
		running += state_of(&ps[i]) == 'R';
		if (ps[i].pid > last)
			last = ps[i].pid;
	}
	switch (file) {
	case 1:		/* uptime: seconds since boot, seconds idle */
		emit_hundredths(kinfo.ticks);
		emit(" ");
		emit_hundredths(idle);
		emit("\n");
		break;
	case 2:		/* meminfo: frames of the kernel's allocator */
		emit("MemTotal:       %8lu kB\n", kinfo.total_frames * kb);
		emit("MemFree:        %8lu kB\n", kinfo.free_frames * kb);
		emit("MemAvailable:   %8lu kB\n", kinfo.free_frames * kb);
		emit("Buffers:        %8lu kB\nCached:         %8lu kB\n", 0ul, 0ul);
		emit("SwapTotal:      %8lu kB\nSwapFree:       %8lu kB\n", 0ul, 0ul);
		break;
	case 3:		/* loadavg: IS keeps no history, so no averages */
		emit("0.00 0.00 0.00 %d/%d %d\n", running, total, last);
		break;
	case 4:		/* stat: one CPU as the kernel schedules one */
		emit("cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n", user, sys, idle);
		emit("cpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n", user, sys, idle);
		emit("processes %d\nprocs_running %d\nprocs_blocked 0\n", total, running);
		break;
	case 5:		/* endpoints: every kernel process and its IPC counters */
		emit("SLOT ENDPOINT PARENT PRIV NAME            FLAGS       SENT   RECEIVED    TICKS\n");
		for (s = 0; s < NR_SLOTS; s++) {
			const struct info_proc *k = &kp[s];
			char name[17];
			if (!k->endpoint)
				continue;
			memcpy(name, k->name, 16);
			name[16] = 0;
			emit("%4d %8d %6d %4u ", s, k->endpoint, k->parent, k->priv_id);
			emit_left(name[0] ? name : "-", 16);
			emit("%5x %10lu %10lu %8lu\n", k->flags, k->ipc_sent, k->ipc_received, k->ticks);
		}
		break;
	case 6:		/* privileges: each privilege set the kernel holds */
		for (i = 0; i < NR_PRIVS; i++) {
			static const char *const kcalls[] = {
#define KCALL_NAME(n, up, low) [n] = #low,
				KCALL_LIST(KCALL_NAME)
#undef KCALL_NAME
			};
			static const char *const prims[] = { 0, "send", "receive", "sendrec",
				"notify", "sendnb", "replyrecv" };
			struct priv_spec sp;
			const char *holder = i == PRIV_USER ? "user" : "-";
			int b;
			if (sys_getinfo(INFO_PRIV, (uint64_t)i, &sp, sizeof(sp)) < 0)
				continue;
			for (s = 0; s < NR_SLOTS && i != PRIV_USER; s++)
				if (kp[s].endpoint && kp[s].priv_id == (uint32_t)i && kp[s].name[0]) {
					holder = kp[s].name;
					break;
				}
			emit("%d %s\n  kcalls:", i, holder);
			for (b = 0; b < NR_KCALLS; b++)
				if (sp.kcalls >> b & 1)
					emit(" %s", kcalls[b]);
			emit("\n  primitives:");
			for (b = 1; b < IPC_NR_PRIMITIVES; b++)
				if (sp.primitives >> b & 1)
					emit(" %s", prims[b]);
			emit("\n  ipc:");
			for (b = 0; b < NR_PRIVS; b++)
				if (sp.ipc_to >> b & 1)
					emit(" %d", b);
			emit("\n  ports:");
			for (b = 0; b < sp.nports && b < PRIV_MAX_PORTS; b++)
				emit(" 0x%x-0x%x", sp.ports[b].lo, sp.ports[b].hi);
			emit("\n  irqs:");
			for (b = 0; b < 32; b++)
				if (sp.irqs >> b & 1)
					emit(" %d", b);
			emit("\n  memory:");
			for (b = 0; b < sp.nmem && b < PRIV_MAX_MEM; b++)
				emit(" 0x%lx+0x%lx", sp.mem[b].base, sp.mem[b].size);
			emit("\n  priority %u quantum %u\n", sp.priority, sp.quantum);
		}
		break;
	}
}

static void render_pid(const struct psinfo *p, int file)
{
	const struct info_proc *k = kernel_proc(p);
	uint64_t ticks = k ? k->ticks : p->ticks;
	char st = state_of(p);
	uint32_t i;

	switch (file) {
	case 1:		/* stat, as proc(5): fields busybox ps and top read */
		emit("%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %lu 0 %lu 0 20 0 1 0 %lu %lu %lu",
		    p->pid, p->comm, st, p->ppid, p->pgid, p->sid, ticks,
		    p->ticks, p->start_tick, p->vsize, p->vsize / 4096);
		emit(" 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n");
		break;
	case 2:		/* cmdline: the argv strings, each NUL-terminated */
		for (i = 0; i < p->cmdlen && i < sizeof(p->cmdline); i++)
			out[out_len++] = p->cmdline[i];
		break;
	case 3:		/* status: Linux's lines, then Bulkhead's own */
		emit("Name:\t%s\nState:\t%c\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n",
		    p->comm, st, p->pid, p->pid, p->ppid);
		emit("Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", p->uid, p->euid,
		    p->euid, p->euid, p->gid, p->egid, p->egid, p->egid);
		emit("VmSize:\t%lu kB\nThreads:\t1\n", p->vsize / 1024);
		if (k)
			emit("Endpoint:\t%d\nPrivilege:\t%u\nIpcSent:\t%lu\nIpcReceived:\t%lu\n",
			    k->endpoint, k->priv_id, k->ipc_sent, k->ipc_received);
		break;
	}
}

/* ---- the file system ---- */

/* The node of inode ino, or -ENOENT. */
static int node_of(uint32_t ino, struct procfs_Node *n)
{
	int pid = INO_PID(ino), f = INO_FILE(ino);
	const struct psinfo *p = NULL;

	if (!(ino & INO_BASE) || (pid && !(p = find_pid(pid))) || f >= (pid ? NPID : NTOP))
		return -ENOENT;
	memset(n, 0, sizeof(*n));
	n->ino = ino;
	n->mode = f ? S_IFREG | 0444 : S_IFDIR | 0555;
	n->nlink = f ? 1 : 2;
	n->uid = p ? p->euid : 0;
	n->gid = p ? p->egid : 0;
	return 0;
}

static int lookup(uint32_t dir, const char *name, size_t len, struct procfs_Node *n)
{
	int pid = INO_PID(dir), f, v = 0;
	size_t i;

	if (node_of(dir, n) < 0 || INO_FILE(dir))
		return -ENOENT;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return node_of(INO(0, 0), n);
	for (f = 1; f < (pid ? NPID : NTOP); f++) {
		const char *fn = pid ? pid_files[f] : top_files[f];
		if (strlen(fn) == len && !memcmp(fn, name, len))
			return node_of(INO(pid, f), n);
	}
	if (pid || len > 7)
		return -ENOENT;
	for (i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -ENOENT;
		v = v * 10 + name[i] - '0';
	}
	return node_of(INO(v, 0), n);
}

/* Render file ino into out; -ENOENT if it does not exist. */
static int render(uint32_t ino)
{
	struct procfs_Node n;
	int pid = INO_PID(ino);

	if (node_of(ino, &n) < 0)
		return -ENOENT;
	if (!INO_FILE(ino))
		return -EISDIR;
	out_len = 0;
	if (pid)
		render_pid(find_pid(pid), INO_FILE(ino));
	else
		render_top(INO_FILE(ino));
	return 0;
}

/* One linux_dirent64 record at out + out_len; 0 if it does not fit in max. */
static int put_dirent(size_t max, uint64_t ino, uint64_t next, uint8_t type, const char *name)
{
	size_t nl = strlen(name), rl = (19 + nl + 1 + 7) & ~7ul;
	uint16_t r16 = (uint16_t)rl;

	if (out_len + rl > max)
		return 0;
	memset(out + out_len, 0, rl);
	memcpy(out + out_len, &ino, 8);
	memcpy(out + out_len + 8, &next, 8);
	memcpy(out + out_len + 16, &r16, 2);
	out[out_len + 18] = (char)type;
	memcpy(out + out_len + 19, name, nl);
	out_len += rl;
	return 1;
}

/*
 * Entries in cookie order: 0 ".", 1 "..", then the files (2 ..), then,
 * in /proc, the pids by table index (64 + i). Returns the next cookie;
 * *full: stopped because max was reached.
 */
static uint64_t getdents(uint32_t dir, uint64_t cookie, size_t max, int *full)
{
	int pid = INO_PID(dir), nfiles = pid ? NPID : NTOP;
	char num[16];

	out_len = 0;
	*full = 0;
	for (;;) {
		uint64_t c = cookie;
		int ok;
		if (c == 0)
			ok = put_dirent(max, dir, c + 1, DT_DIR, ".");
		else if (c == 1)
			ok = put_dirent(max, pid ? INO(0, 0) : EXT2_ROOT_INO, c + 1, DT_DIR, "..");
		else if (c < (uint64_t)nfiles + 1)
			ok = put_dirent(max, INO(pid, c - 1), c + 1, DT_REG,
			    pid ? pid_files[c - 1] : top_files[c - 1]);
		else if (c < 64 && !pid) {
			cookie = 64;
			continue;
		} else if (!pid && c - 64 < PSINFO_ENTRIES) {
			if (!ps[c - 64].pid) {
				cookie++;
				continue;
			}
			snprintf(num, sizeof(num), "%d", ps[c - 64].pid);
			ok = put_dirent(max, INO(ps[c - 64].pid, 0), c + 1, DT_DIR, num);
		} else {
			return cookie;	/* the end */
		}
		if (!ok) {
			*full = 1;
			return cookie;
		}
		cookie++;
	}
}

static void serve(const struct procfs_msg *d, endpoint_t vfs)
{
	struct procfs_Node n;
	char name[256];
	int e;

	load_kernel();
	if (load_psinfo() < 0)
		printf("is: PM's process table is not readable\n");
	switch (d->type) {
	case PROCFS_MOUNT:
		(void)node_of(INO(0, 0), &n);
		procfs_reply_Node(&mon, vfs, 0, n.ino, n.mode, n.uid, n.gid, n.nlink, 0);
		return;
	case PROCFS_STAT:
		if ((e = node_of(d->u.Stat.ino, &n)) < 0)
			break;
		procfs_reply_Node(&mon, vfs, 0, n.ino, n.mode, n.uid, n.gid, n.nlink, 0);
		return;
	case PROCFS_LOOKUP:
		if ((e = (int)sys_safecopy(SAFECOPY_FROM, vfs, d->u.Lookup.buf, 0, name,
		    d->u.Lookup.len)) < 0)
			break;
		if ((e = lookup(d->u.Lookup.dir, name, d->u.Lookup.len, &n)) < 0)
			break;
		procfs_reply_Node(&mon, vfs, 0, n.ino, n.mode, n.uid, n.gid, n.nlink, 0);
		return;
	case PROCFS_READ: {
		const struct procfs_Read *r = &d->u.Read;
		uint64_t len;
		if ((e = render(r->ino)) < 0)
			break;
		len = r->offset >= out_len ? 0 : out_len - r->offset;
		if (len > r->len)
			len = r->len;
		if (len && (e = (int)sys_safecopy(SAFECOPY_TO, vfs, r->buf, 0,
		    out + r->offset, len)) < 0)
			break;
		procfs_reply_Ok(&mon, vfs, (int64_t)len);
		return;
	}
	case PROCFS_GETDENTS: {
		const struct procfs_Getdents *g = &d->u.Getdents;
		uint64_t next;
		int full;
		if ((e = node_of(g->ino, &n)) < 0 || INO_FILE(g->ino)) {
			e = e < 0 ? e : -ENOTDIR;
			break;
		}
		next = getdents(g->ino, g->cookie, g->len > OUT_SIZE ? OUT_SIZE : g->len, &full);
		if (full && out_len == 0) {
			e = -EINVAL;	/* not even one entry fits */
			break;
		}
		if (out_len && (e = (int)sys_safecopy(SAFECOPY_TO, vfs, g->buf, 0, out,
		    out_len)) < 0)
			break;
		procfs_reply_Dents(&mon, vfs, next, (int64_t)out_len);
		return;
	}
	default:
		e = -ENOSYS;
	}
	procfs_reply_Fail(&mon, vfs, e < -4095 ? -EIO : e);
}

static void log_line(const char *line)
{
	printf("is: %s\n", line);
}

int main(endpoint_t self, const char *name)
{
	struct procfs_msg d;
	message_t m;

	contract_log_hook = log_line;
	procfs_monitor_init(&mon, CONTRACT_SERVER);
	printf("%s: information server up (endpoint %d)\n", name, self);
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.type == MSG_NOTIFY) {
			rs_heartbeat(&m);
			continue;
		}
		if (procfs_accept(&mon, &m, &d) < 0)
			continue;	/* refused, logged, the sender told */
		serve(&d, m.source);
	}
}
