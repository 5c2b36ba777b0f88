/*
 * mkimage: compile service manifests into a boot image.
 *
 *   mkimage -o IMAGE -b BUILDDIR MANIFEST...
 *
 * Each manifest (etc/<name>.svc, one `key values...` per line, # comments)
 * names a service and exactly what it may do; see docs/manifests.md. The
 * order on the command line is the start order; the first service is the
 * parent of the others. A manifest without `program` only defines a
 * privilege set (`service user` is the one shared by ordinary processes).
 * Every error names the file and line, and no image is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <errno.h>
#include <ctype.h>
#include <sys/stat.h>
#include <bulkhead/image.h>
#include <bulkhead/kcall.h>
#include <bulkhead/ipc.h>
#include <bulkhead/linux_syscalls.h>

#define KCALL_NAME(n, up, low) [n] = #low,
static const char *const kcall_names[NR_KCALLS] = { KCALL_LIST(KCALL_NAME) };
static const char *const prim_names[IPC_NR_PRIMITIVES] = {
	[IPC_SEND] = "send", [IPC_RECEIVE] = "receive", [IPC_SENDREC] = "sendrec",
	[IPC_NOTIFY] = "notify", [IPC_SENDNB] = "sendnb", [IPC_REPLYRECV] = "replyrecv",
};

#define SYSCALL_NAME(n, name) [n] = #name,
static const char *const syscall_names[LINUX_NR_SYSCALLS] = { LINUX_SYSCALL_LIST(SYSCALL_NAME) };
static uint8_t syscall_owner[LINUX_NR_SYSCALLS];
static int syscall_line[LINUX_NR_SYSCALLS];
static const char *syscall_file[LINUX_NR_SYSCALLS];

struct svc {
	struct image_entry e;
	char program[256];
	char ipc[32][IMAGE_NAME_LEN];	/* names, resolved once all are read */
	int nipc, ipc_lines[32], service_line, program_line;
	const char *file;
};

static struct svc svcs[IMAGE_MAX];
static int nsvcs;
static const char *cur_file;
static int cur_line;
static const char *out_path;

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkimage: %s:%d: ", cur_file, cur_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (out_path)
		remove(out_path);
	exit(1);
}

static unsigned long parse_num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		die("bad number '%s'", s);
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s || v > max)
		die("bad number '%s'", s);
	return v;
}

static void parse_range(char *s, unsigned long max, unsigned long *lo, unsigned long *hi)
{
	char *dash = strchr(s, '-');

	if (dash)
		*dash = 0;
	*lo = parse_num(s, max);
	*hi = dash ? parse_num(dash + 1, max) : *lo;
	if (*hi < *lo)
		die("empty range '%s'", s);
}

static int lookup(const char *const *names, int n, const char *w)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], w))
			return i;
	return -1;
}

static void parse_line(struct svc *s, char *key, char *rest)
{
	struct priv_spec *p = &s->e.priv;
	char *w;
	unsigned long lo, hi;
	int n;

	static const char *const keys[] = { "kcalls", "primitives", "ipc", "syscalls", "ports",
		"irqs", "memory", "pci", "priority", "quantum" };
	if (!strcmp(key, "service")) {
		s->service_line = cur_line;
		if (!rest || strlen(rest) >= IMAGE_NAME_LEN || strpbrk(rest, " \t"))
			die("service name must be one word under %d characters", IMAGE_NAME_LEN);
		strcpy(s->e.name, rest);
		return;
	}
	if (!strcmp(key, "program") || !strcmp(key, "file")) {
		if (!rest || strlen(rest) >= sizeof(s->program) || s->program[0])
			die("one program or file path per service");
		strcpy(s->program, rest);
		s->program_line = cur_line;
		s->e.kind = strcmp(key, "file") ? IMAGE_PROGRAM : IMAGE_FILE;
		return;
	}
	if (lookup(keys, 10, key) < 0)
		die("unknown key '%s'", key);
	for (w = strtok(rest, " \t"); w; w = strtok(NULL, " \t")) {
		if (!strcmp(key, "kcalls")) {
			if ((n = lookup(kcall_names, NR_KCALLS, w)) < 0)
				die("unknown kernel call '%s'", w);
			p->kcalls |= 1ull << n;
		} else if (!strcmp(key, "primitives")) {
			if ((n = lookup(prim_names, IPC_NR_PRIMITIVES, w)) < 0)
				die("unknown IPC primitive '%s'", w);
			p->primitives |= 1u << n;
		} else if (!strcmp(key, "ipc")) {
			if (s->nipc == 32 || strlen(w) >= IMAGE_NAME_LEN)
				die("too many or too long ipc targets");
			s->ipc_lines[s->nipc] = cur_line;
			strcpy(s->ipc[s->nipc++], w);
		} else if (!strcmp(key, "syscalls")) {
			/* Owner numbering is fixed up once the image order is known. */
			if ((n = lookup(syscall_names, LINUX_NR_SYSCALLS, w)) < 0)
				die("unknown Linux system call '%s'", w);
			if (syscall_owner[n])
				die("system call '%s' already owned (%s:%d)", w,
				    syscall_file[n], syscall_line[n]);
			syscall_owner[n] = (uint8_t)(nsvcs);	/* index + 1 */
			syscall_line[n] = cur_line;
			syscall_file[n] = cur_file;
		} else if (!strcmp(key, "ports")) {
			if (p->nports == PRIV_MAX_PORTS)
				die("more than %d port ranges", PRIV_MAX_PORTS);
			parse_range(w, 0xFFFF, &lo, &hi);
			p->ports[p->nports].lo = (uint16_t)lo;
			p->ports[p->nports++].hi = (uint16_t)hi;
		} else if (!strcmp(key, "irqs")) {
			n = (int)parse_num(w, 15);
			if (n == 0 || n == 2)
				die("irq %d belongs to the kernel", n);
			p->irqs |= 1u << n;
		} else if (!strcmp(key, "memory") && !strcmp(w, "bootimage")) {
			p->flags |= PRIVF_BOOTIMAGE;
		} else if (!strcmp(key, "memory")) {
			if (p->nmem == PRIV_MAX_MEM)
				die("more than %d memory ranges", PRIV_MAX_MEM);
			parse_range(w, ~0ul, &lo, &hi);
			if ((lo & 0xFFF) || ((hi + 1) & 0xFFF) || hi - lo + 1 == 0)
				die("memory range '%s' is not whole pages", w);
			p->mem[p->nmem].base = lo;
			p->mem[p->nmem++].size = hi - lo + 1;
		} else if (!strcmp(key, "pci")) {
			char *colon = strchr(w, ':');
			if (!colon || p->npci == PRIV_MAX_PCI)
				die("pci wants vendor:device, at most %d", PRIV_MAX_PCI);
			*colon = 0;
			p->pci[p->npci].vendor = (uint16_t)parse_num(w, 0xFFFF);
			p->pci[p->npci++].device = (uint16_t)parse_num(colon + 1, 0xFFFF);
		} else if (!strcmp(key, "priority")) {
			p->priority = (uint8_t)parse_num(w, 15);
		} else if (!strcmp(key, "quantum")) {
			p->quantum = (uint8_t)parse_num(w, 100);
			if (!p->quantum)
				die("quantum must be at least 1");
		} else {
			die("unknown key '%s'", key);
		}
	}
}

static void read_manifest(const char *path)
{
	struct svc *s;
	char line[1024];
	FILE *f;

	cur_file = path;
	cur_line = 0;
	if (nsvcs == IMAGE_MAX)
		die("more than %d services", IMAGE_MAX);
	if (!(f = fopen(path, "r")))
		die("%s", strerror(errno));
	s = &svcs[nsvcs++];
	s->file = path;
	s->e.priv.priority = 8;
	s->e.priv.quantum = 5;
	while (fgets(line, sizeof(line), f)) {
		char *key, *rest, *hash = strchr(line, '#');
		cur_line++;
		if (!strchr(line, '\n') && !feof(f))
			die("line longer than %d characters", (int)sizeof(line) - 2);
		if (hash)
			*hash = 0;
		line[strcspn(line, "\r\n")] = 0;
		for (size_t l = strlen(line); l && (line[l - 1] == ' ' || line[l - 1] == '\t'); l--)
			line[l - 1] = 0;
		key = strtok(line, " \t");
		if (!key)
			continue;
		rest = strtok(NULL, "");
		while (rest && (*rest == ' ' || *rest == '\t'))
			rest++;
		parse_line(s, key, rest);
	}
	fclose(f);
	if (!s->e.name[0])
		die("no 'service' line");
}

static void resolve_ipc(void)
{
	int i, j, k;

	for (i = 0; i < nsvcs; i++) {
		cur_file = svcs[i].file;
		cur_line = svcs[i].service_line;
		for (j = 0; j < i; j++)
			if (!strcmp(svcs[i].e.name, svcs[j].e.name))
				die("service '%s' defined twice", svcs[i].e.name);
		for (k = 0; k < svcs[i].nipc; k++) {
			const char *t = svcs[i].ipc[k];
			cur_line = svcs[i].ipc_lines[k];
			for (j = 0; j < nsvcs; j++)
				if (!strcmp(svcs[j].e.name, t))
					break;
			if (j == nsvcs)
				die("ipc target '%s' is not a service in this image", t);
			svcs[i].e.priv.ipc_to |= 1ull << (strcmp(t, "user") ? j : PRIV_USER);
		}
	}
}

int main(int argc, char **argv)
{
	const char *out = NULL, *build = ".";
	struct image_header h;
	static char buf[128 << 20];
	uint64_t off;
	FILE *o;
	int i;

	while (argc > 2 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "-o"))
			out = argv[2];
		else if (!strcmp(argv[1], "-b"))
			build = argv[2];
		else
			break;
		argc -= 2, argv += 2;
	}
	if (!out || argc < 2) {
		fprintf(stderr, "usage: mkimage -o IMAGE [-b BUILDDIR] MANIFEST...\n");
		return 2;
	}
	for (i = 1; i < argc; i++)
		read_manifest(argv[i]);
	resolve_ipc();

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, IMAGE_MAGIC, 8);
	h.count = (uint32_t)nsvcs;
	memcpy(h.syscall_owner, syscall_owner, sizeof(syscall_owner));
	off = (sizeof(h) + nsvcs * sizeof(struct image_entry) + 4095) & ~4095ul;
	out_path = out;
	if (!(o = fopen(out, "wb")))
		die("%s: %s", out, strerror(errno));
	for (i = 0; i < nsvcs; i++) {
		char path[600];
		FILE *f;
		size_t n;
		if (!svcs[i].program[0])
			continue;
		snprintf(path, sizeof(path), "%s/%s", build, svcs[i].program);
		struct stat st;
		cur_file = svcs[i].file, cur_line = svcs[i].program_line;
		if (!(f = fopen(path, "rb")))
			die("program %s: %s", path, strerror(errno));
		if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))
			die("program %s is not a regular file", path);
		n = fread(buf, 1, sizeof(buf), f);
		if (ferror(f))
			die("program %s: read error", path);
		fclose(f);
		if (n == sizeof(buf))
			die("program %s is too large", path);
		svcs[i].e.offset = off;
		svcs[i].e.size = n;
		if (fseek(o, (long)off, SEEK_SET) || fwrite(buf, 1, n, o) != n)
			die("writing %s failed", out);
		off = (off + n + 4095) & ~4095ul;
	}
	if (fseek(o, 0, SEEK_SET) || fwrite(&h, sizeof(h), 1, o) != 1)
		die("writing %s failed", out);
	for (i = 0; i < nsvcs; i++)
		if (fwrite(&svcs[i].e, sizeof(svcs[i].e), 1, o) != 1)
			die("writing %s failed", out);
	if (fclose(o))
		die("writing %s failed", out);
	return 0;
}
