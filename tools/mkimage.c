/*
 * mkimage: compile service manifests into a boot image.
 *
 *   mkimage -o IMAGE -b BUILDDIR MANIFEST...
 *
 *   mkimage --verify [-c CONTRACTDIR] [-m REPORT.md] [-g REPORT.dot]
 *           [-t TITLE] [-o IMAGE -b BUILDDIR] MANIFEST...
 *
 * Each manifest (etc/<name>.svc, one `key values...` per line, # comments)
 * names a service and exactly what it may do; see docs/manifests.md. The
 * order on the command line is the start order; the first service is the
 * parent of the others. A manifest without `program` only defines a
 * privilege set (`service user` is the one shared by ordinary processes).
 * Every error names the file and line, and no image is written.
 *
 * --verify checks the image as a whole (docs/verification.md): no two
 * services claim the same I/O port, IRQ line (unless both say `N:shared`),
 * physical memory or PCI device; every contract a service `uses` is served
 * by a service it may send to; every contract served is used in the image
 * or marked `:external`; every `ipc` target is reached over a contract the
 * sender uses and the target serves, or is marked `:notify` or `:raw`;
 * contracts are valid (tools/contractc's parser and checker), have unique
 * ids, and are those the program's CONTRACTS file links; the primitives
 * fit each side of each contract. It reports every error, then writes the
 * system report (a Markdown table and a Graphviz graph) if asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <errno.h>
#include <ctype.h>
#include <sys/stat.h>
#include <dirent.h>
#include <bulkhead/image.h>
#include <bulkhead/kcall.h>
#include <bulkhead/ipc.h>
#include <bulkhead/linux_syscalls.h>
#include "contractc/summary.h"

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

#define NR_IRQ_LINES	16
#define MAX_CONTRACTS	16	/* serves or uses lines' names per service */
#define CONTRACT_NAME_LEN 32
#define MAX_IPC		32

/* What an `ipc` target is for: messages over a contract (the verifier
 * finds which), only notifications (`name:notify`), or bare messages of a
 * test of the kernel's IPC itself (`name:raw`). */
enum ipc_kind { IPC_CONTRACT, IPC_NOTIFY_ONLY, IPC_RAW, IPC_SYSCALLS };

struct contract_ref {
	char name[CONTRACT_NAME_LEN];
	int line, external, optional;	/* optional: `uses X?`, if a server is there */
};

struct svc {
	struct image_entry e;
	char program[256];
	char ipc[MAX_IPC][IMAGE_NAME_LEN];	/* names, resolved once all are read */
	int nipc, ipc_lines[MAX_IPC], ipc_optional[MAX_IPC], service_line, program_line;
	enum ipc_kind ipc_kind[MAX_IPC];
	const char *file;
	/* where each resource was claimed, for --verify */
	int port_line[PRIV_MAX_PORTS], mem_line[PRIV_MAX_MEM], pci_line[PRIV_MAX_PCI];
	int irq_line[NR_IRQ_LINES], bootimage_line;
	uint32_t irq_shared;		/* lines declared `N:shared` */
	struct contract_ref serves[MAX_CONTRACTS], uses[MAX_CONTRACTS];
	int nserves, nuses;
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

/* `serves NAME[:external]` or `uses NAME`: a contract (contracts/NAME.contract). */
static void add_contract_ref(struct svc *s, int serves, char *w)
{
	struct contract_ref *r = serves ? s->serves : s->uses;
	int *n = serves ? &s->nserves : &s->nuses, i, external = 0;
	char *colon = strchr(w, ':');
	size_t len = strlen(w);
	int optional = 0;

	if (!serves && len > 1 && w[len - 1] == '?')
		w[len - 1] = 0, optional = 1;
	if (colon && serves && !strcmp(colon, ":external"))
		external = 1, *colon = 0;
	else if (colon)
		die("contract '%s': only 'serves NAME:external' takes a suffix", w);
	if (!isalpha((unsigned char)w[0]) || strlen(w) >= CONTRACT_NAME_LEN)
		die("bad contract name '%s'", w);
	for (i = 0; w[i]; i++)
		if (!isalnum((unsigned char)w[i]) && w[i] != '_')
			die("bad contract name '%s'", w);
	for (i = 0; i < *n; i++)
		if (!strcmp(r[i].name, w))
			die("contract '%s' named twice (line %d)", w, r[i].line);
	if (*n == MAX_CONTRACTS)
		die("more than %d contracts", MAX_CONTRACTS);
	strcpy(r[*n].name, w);
	r[*n].line = cur_line;
	r[*n].optional = optional;
	r[(*n)++].external = external;
}

/*
 * `restart limit N window T backoff B oneshot`, any subset, any order: the
 * reincarnation server's policy for this service (ticks; docs/recovery.md).
 */
static void parse_restart(struct image_policy *pol, char *rest)
{
	static const char *const words[] = { "limit", "window", "backoff" };
	uint32_t *const fields[] = { &pol->limit, &pol->window, &pol->backoff };
	char *w, *v;
	int n;

	if (!rest)
		die("restart wants limit N, window T, backoff B or oneshot");
	for (w = strtok(rest, " \t"); w; w = strtok(NULL, " \t")) {
		if (!strcmp(w, "oneshot")) {
			pol->flags |= IMAGE_POL_ONESHOT;
			continue;
		}
		if ((n = lookup(words, 3, w)) < 0)
			die("restart: unknown word '%s'", w);
		if (!(v = strtok(NULL, " \t")))
			die("restart: '%s' wants a number", w);
		*fields[n] = (uint32_t)parse_num(v, 1000000);
	}
	if (!pol->window)
		die("restart: the window must be at least 1 tick");
}

static void parse_line(struct svc *s, char *key, char *rest)
{
	struct priv_spec *p = &s->e.priv;
	char *w;
	unsigned long lo, hi;
	int n;

	static const char *const keys[] = { "kcalls", "primitives", "ipc", "syscalls", "ports",
		"irqs", "memory", "pci", "priority", "quantum", "serves", "uses", "heartbeat" };
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
	if (!strcmp(key, "restart")) {
		parse_restart(&s->e.policy, rest);
		return;
	}
	if (lookup(keys, 13, key) < 0)
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
			/* `name[:notify|:raw|:syscalls][?]`; `?`: only if the
			 * image has that service (a driver that some systems
			 * leave out). */
			size_t len = strlen(w);
			int optional = len > 1 && w[len - 1] == '?';
			char *colon;
			enum ipc_kind kind = IPC_CONTRACT;
			if (optional)
				w[--len] = 0;
			if ((colon = strchr(w, ':'))) {
				if (!strcmp(colon, ":notify"))
					kind = IPC_NOTIFY_ONLY;
				else if (!strcmp(colon, ":raw"))
					kind = IPC_RAW;
				else if (!strcmp(colon, ":syscalls"))
					kind = IPC_SYSCALLS;
				else
					die("ipc target '%s': only ':notify', ':raw' or ':syscalls' may follow the name", w);
				*colon = 0;
				len = strlen(w);
			}
			if (!len)
				die("empty ipc target");
			if (s->nipc == MAX_IPC || len >= IMAGE_NAME_LEN)
				die("too many or too long ipc targets");
			s->ipc_lines[s->nipc] = cur_line;
			s->ipc_optional[s->nipc] = optional;
			s->ipc_kind[s->nipc] = kind;
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
			s->port_line[p->nports] = cur_line;
			p->ports[p->nports].lo = (uint16_t)lo;
			p->ports[p->nports++].hi = (uint16_t)hi;
		} else if (!strcmp(key, "irqs")) {
			/* `N:shared`: other services may claim the line too, if
			 * they also say shared; the kernel lets drivers share. */
			char *colon = strchr(w, ':');
			if (colon && strcmp(colon, ":shared"))
				die("irq '%s': only ':shared' may follow the line number", w);
			if (colon)
				*colon = 0;
			n = (int)parse_num(w, 15);
			if (n == 0 || n == 2)
				die("irq %d belongs to the kernel", n);
			p->irqs |= 1u << n;
			s->irq_line[n] = cur_line;
			if (colon)
				s->irq_shared |= 1u << n;
		} else if (!strcmp(key, "memory") && !strcmp(w, "bootimage")) {
			p->flags |= PRIVF_BOOTIMAGE;
			s->bootimage_line = cur_line;
		} else if (!strcmp(key, "memory")) {
			if (p->nmem == PRIV_MAX_MEM)
				die("more than %d memory ranges", PRIV_MAX_MEM);
			parse_range(w, ~0ul, &lo, &hi);
			if ((lo & 0xFFF) || ((hi + 1) & 0xFFF) || hi - lo + 1 == 0)
				die("memory range '%s' is not whole pages", w);
			s->mem_line[p->nmem] = cur_line;
			p->mem[p->nmem].base = lo;
			p->mem[p->nmem++].size = hi - lo + 1;
		} else if (!strcmp(key, "pci")) {
			char *colon = strchr(w, ':');
			if (!colon || p->npci == PRIV_MAX_PCI)
				die("pci wants vendor:device, at most %d", PRIV_MAX_PCI);
			*colon = 0;
			s->pci_line[p->npci] = cur_line;
			p->pci[p->npci].vendor = (uint16_t)parse_num(w, 0xFFFF);
			p->pci[p->npci++].device = (uint16_t)parse_num(colon + 1, 0xFFFF);
		} else if (!strcmp(key, "serves") || !strcmp(key, "uses")) {
			add_contract_ref(s, key[0] == 's', w);
		} else if (!strcmp(key, "priority")) {
			p->priority = (uint8_t)parse_num(w, 15);
		} else if (!strcmp(key, "heartbeat")) {
			s->e.policy.missed = (uint32_t)parse_num(w, 1000);
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
	s->e.policy = (struct image_policy){ IMAGE_POL_DEFAULT_LIMIT, IMAGE_POL_DEFAULT_WINDOW,
		IMAGE_POL_DEFAULT_BACKOFF, IMAGE_POL_DEFAULT_MISSED, 0, 0 };
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
			if (j == nsvcs && svcs[i].ipc_optional[k])
				continue;
			if (j == nsvcs)
				die("ipc target '%s' is not a service in this image", t);
			svcs[i].e.priv.ipc_to |= 1ull << (strcmp(t, "user") ? j : PRIV_USER);
		}
	}
}

/* ---- --verify: the image as a whole ---- */

static int nerrors;

/* One error at file:line of service s; checking goes on. */
static void verr(const struct svc *s, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkimage: %s:%d: ", s->file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	nerrors++;
}

#define MAX_CONTRACT_FILES 64
static struct contract_summary contracts[MAX_CONTRACT_FILES];
static const char *contract_paths[MAX_CONTRACT_FILES];
static int ncontracts;

/* A contract file, parsed and checked by contractc's own code; a bad one
 * is an error of the image (contractc prints where). */
static void read_contract(const char *path)
{
	struct contract_summary *c = &contracts[ncontracts];
	int i, line;

	cur_file = path;
	cur_line = 0;
	if (contract_summarize(path, c, &line) < 0) {
		fprintf(stderr, "mkimage: %s:%d: not a valid contract (contractc's error above)\n",
			path, line);
		nerrors++;
		return;
	}
	if (strlen(c->name) >= CONTRACT_NAME_LEN)
		die("contract name '%s' is longer than %d characters", c->name, CONTRACT_NAME_LEN - 1);
	for (i = 0; i < ncontracts; i++)
		if (contracts[i].id == c->id) {
			fprintf(stderr, "mkimage: %s:%d: contract '%s' has id %#lx, as has '%s' (%s): "
				"their message types would collide\n", path, c->id_line ? c->id_line : 1,
				c->name, c->id, contracts[i].name, contract_paths[i]);
			nerrors++;
			break;	/* still known by name: no errors that follow from this one */
		}
	contract_paths[ncontracts++] = path;
}

static const struct contract_summary *find_contract(const char *name)
{
	int i;

	for (i = 0; i < ncontracts; i++)
		if (!strcmp(contracts[i].name, name))
			return &contracts[i];
	return NULL;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void read_contract_dir(const char *dir)
{
	static char paths[MAX_CONTRACT_FILES][1024];
	struct dirent *d;
	DIR *dp;
	int i, n = 0;

	cur_file = dir;
	cur_line = 0;
	if (!(dp = opendir(dir)))
		die("%s", strerror(errno));
	while ((d = readdir(dp))) {
		size_t len = strlen(d->d_name);
		if (len <= 9 || strcmp(d->d_name + len - 9, ".contract"))
			continue;
		if (n == MAX_CONTRACT_FILES)
			die("more than %d contracts", MAX_CONTRACT_FILES);
		if (snprintf(paths[n], sizeof(paths[n]), "%s/%s", dir, d->d_name) >=
		    (int)sizeof(paths[n]))
			die("path too long");
		n++;
	}
	closedir(dp);
	qsort(paths, n, sizeof(paths[0]), compare_paths);	/* errors in a stable order */
	for (i = 0; i < n; i++)
		read_contract(paths[i]);
}

static int svc_index(const char *name)
{
	int i;

	for (i = 0; i < nsvcs; i++)
		if (!strcmp(svcs[i].e.name, name))
			return i;
	return -1;
}

static int may_ipc(const struct svc *from, const char *to)
{
	int k;

	for (k = 0; k < from->nipc; k++)
		if (!strcmp(from->ipc[k], to))
			return 1;
	return 0;
}

static int speaks(const struct svc *s, const char *contract, int serves)
{
	const struct contract_ref *r = serves ? s->serves : s->uses;
	int i, n = serves ? s->nserves : s->nuses;

	for (i = 0; i < n; i++)
		if (!strcmp(r[i].name, contract))
			return 1;
	return 0;
}

static int has_prim(const struct svc *s, int prim)
{
	return (s->e.priv.primitives >> prim) & 1;
}

/* Each pair of services, the later one blamed: ports, IRQs, memory, PCI. */
static void check_resources(void)
{
	int i, j, a, b, n;

	for (j = 0; j < nsvcs; j++) {
		const struct svc *t = &svcs[j];
		const struct priv_spec *q = &t->e.priv;
		for (i = 0; i < j; i++) {
			const struct svc *s = &svcs[i];
			const struct priv_spec *p = &s->e.priv;
			for (a = 0; a < p->nports; a++)
				for (b = 0; b < q->nports; b++)
					if (q->ports[b].lo <= p->ports[a].hi && p->ports[a].lo <= q->ports[b].hi)
						verr(t, t->port_line[b], "ports %#x-%#x overlap %#x-%#x of service '%s' (%s:%d)",
						     q->ports[b].lo, q->ports[b].hi, p->ports[a].lo, p->ports[a].hi,
						     s->e.name, s->file, s->port_line[a]);
			for (n = 1; n < NR_IRQ_LINES; n++)
				if ((p->irqs & q->irqs & (1u << n)) && !(s->irq_shared & t->irq_shared & (1u << n)))
					verr(t, t->irq_line[n], "irq %d is also claimed by service '%s' (%s:%d); "
					     "a shared line says %d:shared in both", n, s->e.name, s->file,
					     s->irq_line[n], n);
			/* ranges are whole pages, so base + size - 1 cannot wrap */
			for (a = 0; a < p->nmem; a++)
				for (b = 0; b < q->nmem; b++)
					if (q->mem[b].base <= p->mem[a].base + (p->mem[a].size - 1) &&
					    p->mem[a].base <= q->mem[b].base + (q->mem[b].size - 1))
						verr(t, t->mem_line[b], "memory %#lx-%#lx overlaps %#lx-%#lx of service '%s' (%s:%d)",
						     (unsigned long)q->mem[b].base,
						     (unsigned long)(q->mem[b].base + q->mem[b].size - 1),
						     (unsigned long)p->mem[a].base,
						     (unsigned long)(p->mem[a].base + p->mem[a].size - 1),
						     s->e.name, s->file, s->mem_line[a]);
			for (a = 0; a < p->npci; a++)
				for (b = 0; b < q->npci; b++)
					if (p->pci[a].vendor == q->pci[b].vendor && p->pci[a].device == q->pci[b].device)
						verr(t, t->pci_line[b], "pci %04x:%04x is also claimed by service '%s' (%s:%d)",
						     q->pci[b].vendor, q->pci[b].device, s->e.name, s->file, s->pci_line[a]);
		}
	}
}

/* A growing list of words in a fixed buffer; a full buffer truncates. */
struct words {
	char *buf;
	size_t len, n;
	const char *sep;
};

static void add_word(struct words *w, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (w->n >= w->len)
		return;
	if (w->n) {
		r = snprintf(w->buf + w->n, w->len - w->n, "%s", w->sep);
		w->n += r > 0 ? (size_t)r : 0;
		if (w->n >= w->len)
			return;
	}
	va_start(ap, fmt);
	r = vsnprintf(w->buf + w->n, w->len - w->n, fmt, ap);
	va_end(ap);
	w->n += r > 0 ? (size_t)r : 0;
}

#define WORDS(name, b, separator) \
	struct words name = { (b), sizeof(b), 0, (separator) }; (b)[0] = 0

/* The contracts `from` speaks with `to`: it uses them and `to` serves them. */
static const char *contracts_between(const struct svc *from, const struct svc *to, char *b, size_t len)
{
	struct words w = { b, len, 0, " " };
	int k;

	b[0] = 0;
	for (k = 0; k < from->nuses; k++)
		if (speaks(to, from->uses[k].name, 1))
			add_word(&w, "%s", from->uses[k].name);
	return b;
}

/* The program's CONTRACTS file (in its source directory: the build links
 * the generated code of those contracts), as one string of words; "" and
 * 0 if there is none. */
static int program_contracts(const struct svc *s, char *words, size_t len)
{
	char path[300], word[CONTRACT_NAME_LEN + 1];
	const char *slash = strrchr(s->program, '/');
	struct words w = { words, len, 0, " " };
	FILE *f;

	words[0] = 0;
	if (!s->program[0] || !slash)
		return 0;
	snprintf(path, sizeof(path), "%.*s/CONTRACTS", (int)(slash - s->program), s->program);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fscanf(f, "%32s", word) == 1)
		add_word(&w, "%s", word);
	fclose(f);
	return 1;
}

static int has_word(const char *words, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = words; (p = strstr(p, word)); p += n)
		if ((p == words || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

/* A serves or uses entry; `prims`: also check the primitives its side of
 * the contract needs (not for an optional client without a server). */
static void check_contract_ref(const struct svc *s, const struct contract_ref *r, int serves, int prims)
{
	const struct contract_summary *c = find_contract(r->name);
	char linked[1024];

	if (ncontracts && !c)
		verr(s, r->line, "contract '%s' is not in the contract directory", r->name);
	if (program_contracts(s, linked, sizeof(linked)) && !has_word(linked, r->name))
		verr(s, r->line, "%s contract '%s' but its program's CONTRACTS file does not list it",
		     serves ? "serves" : "uses", r->name);
	if ((!c && ncontracts) || !prims)
		return;
	if (!c)		/* no contract directory given: assume both directions */
		c = &(const struct contract_summary){ .client_sends = 1, .server_sends = 1 };
	/* The primitives each side needs for the messages the contract has
	 * it send and receive (a contract is read from the server's side). */
	if (serves && c->client_sends && !has_prim(s, IPC_RECEIVE) && !has_prim(s, IPC_REPLYRECV))
		verr(s, r->line, "serves contract '%s' but has neither 'receive' nor 'replyrecv' "
		     "among its primitives", r->name);
	if (serves && c->server_sends && !has_prim(s, IPC_SENDNB) && !has_prim(s, IPC_SEND) &&
	    !has_prim(s, IPC_REPLYRECV))
		verr(s, r->line, "serves contract '%s', whose server answers, but has none of "
		     "'sendnb', 'send', 'replyrecv' among its primitives", r->name);
	if (!serves && c->client_sends && !has_prim(s, IPC_SEND) && !has_prim(s, IPC_SENDREC) &&
	    !has_prim(s, IPC_SENDNB))
		verr(s, r->line, "uses contract '%s' but has none of 'send', 'sendrec', 'sendnb' "
		     "among its primitives", r->name);
	if (!serves && c->server_sends && !has_prim(s, IPC_SENDREC) && !has_prim(s, IPC_RECEIVE))
		verr(s, r->line, "uses contract '%s', whose server answers, but has neither "
		     "'sendrec' nor 'receive' among its primitives", r->name);
}

/* A program linked with a contract's code speaks it: its manifest must say
 * so, or the verifier would not see one side of a conversation. */
static void check_linked_contracts(const struct svc *s)
{
	char linked[1024], *w, *save;

	if (!program_contracts(s, linked, sizeof(linked)))
		return;
	for (w = strtok_r(linked, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (!speaks(s, w, 0) && !speaks(s, w, 1))
			verr(s, s->program_line, "its program is linked with contract '%s' (CONTRACTS) "
			     "but the manifest neither serves nor uses it", w);
}

static int owns_syscalls(int idx)
{
	int n;

	for (n = 0; n < LINUX_NR_SYSCALLS; n++)
		if (syscall_owner[n] == idx + 1)
			return 1;
	return 0;
}

/* How `from` reaches the target of its k-th ipc entry: the contracts it
 * uses that `to` serves, or why none is needed; NULL if nothing justifies
 * the entry. A service that speaks no contract at all (a Linux program,
 * the `user` set) reaches the owners of Linux system calls through the
 * kernel's gateway, which checks the same ipc mask. */
static const char *ipc_reason(const struct svc *from, int k, const struct svc *to, char *b, size_t len)
{
	if (from->ipc_kind[k] == IPC_NOTIFY_ONLY)
		return "(notifications)";
	/* A privilege set for Linux programs that also speak a contract
	 * (etc/service.svc) names the system call owners it reaches through
	 * the gateway. */
	if (from->ipc_kind[k] == IPC_SYSCALLS)
		return owns_syscalls((int)(to - svcs)) ? "(Linux system calls, through the gateway)" : NULL;
	if (from->ipc_kind[k] == IPC_RAW)
		return "(bare messages: a kernel IPC test)";
	if (contracts_between(from, to, b, len)[0])
		return b;
	if (!from->nserves && !from->nuses && owns_syscalls((int)(to - svcs)))
		return "(Linux system calls, through the gateway)";
	return NULL;
}

/* Every ipc target is reached for a reason the image states. */
static void check_ipc_edges(const struct svc *s)
{
	char b[1024];
	int k, j;

	for (k = 0; k < s->nipc; k++) {
		if ((j = svc_index(s->ipc[k])) < 0)
			continue;	/* an optional target this image lacks */
		if (!ipc_reason(s, k, &svcs[j], b, sizeof(b)))
			verr(s, s->ipc_lines[k], "may send to '%s', which serves none of the contracts "
			     "this service uses; add the contract ('uses X' here, 'serves X' there), or "
			     "write '%s:notify' if only notifications go there", s->ipc[k], s->ipc[k]);
	}
}

static void check_contracts(void)
{
	int i, j, k, servers, reachable, users;

	for (i = 0; i < nsvcs; i++) {
		const struct svc *s = &svcs[i];
		check_linked_contracts(s);
		check_ipc_edges(s);
		for (k = 0; k < s->nuses; k++) {
			const struct contract_ref *u = &s->uses[k];
			servers = reachable = 0;
			for (j = 0; j < nsvcs; j++)
				if (j != i && speaks(&svcs[j], u->name, 1)) {
					servers++;
					reachable += may_ipc(s, svcs[j].e.name);
				}
			check_contract_ref(s, u, 0, servers || !u->optional);
			if (!servers && u->optional)
				continue;
			if (!servers)
				verr(s, u->line, "uses contract '%s' but no service in this image serves it", u->name);
			else if (!reachable)
				verr(s, u->line, "uses contract '%s' but may not send to a service that serves it "
				     "(no 'ipc' line names one)", u->name);
		}
		for (k = 0; k < s->nserves; k++) {
			const struct contract_ref *v = &s->serves[k];
			check_contract_ref(s, v, 1, 1);
			users = 0;
			for (j = 0; j < nsvcs; j++)
				users += j != i && speaks(&svcs[j], v->name, 0);
			if (!users && !v->external)
				verr(s, v->line, "serves contract '%s' but no service in this image uses it "
				     "(say '%s:external' if its clients come from outside the image)",
				     v->name, v->name);
		}
	}
}

/* ---- the system report ---- */

static FILE *report_open(const char *path)
{
	FILE *f;

	cur_file = path;
	cur_line = 0;
	if (!(f = fopen(path, "w")))
		die("%s", strerror(errno));
	return f;
}

static void report_close(FILE *f, const char *path)
{
	cur_file = path;
	if (ferror(f) | fclose(f))
		die("write error");
}

/* Every resource of s, in manifest notation. */
static void resources_of(const struct svc *s, int idx, const char *sep, char *ports, char *irqs,
			 char *mem, char *pci, char *sys, size_t len)
{
	const struct priv_spec *p = &s->e.priv;
	struct words wp = { ports, len, 0, sep }, wi = { irqs, len, 0, sep };
	struct words wm = { mem, len, 0, sep }, wc = { pci, len, 0, sep }, ws = { sys, len, 0, " " };
	int i;

	ports[0] = irqs[0] = mem[0] = pci[0] = sys[0] = 0;
	for (i = 0; i < p->nports; i++)
		add_word(&wp, p->ports[i].lo == p->ports[i].hi ? "%#x" : "%#x-%#x",
			 p->ports[i].lo, p->ports[i].hi);
	for (i = 1; i < NR_IRQ_LINES; i++)
		if ((p->irqs >> i) & 1)
			add_word(&wi, "%d%s", i, (s->irq_shared >> i) & 1 ? ":shared" : "");
	for (i = 0; i < p->nmem; i++)
		add_word(&wm, "%#lx-%#lx", (unsigned long)p->mem[i].base,
			 (unsigned long)(p->mem[i].base + p->mem[i].size - 1));
	if (p->flags & PRIVF_BOOTIMAGE)
		add_word(&wm, "boot image (read-only)");
	for (i = 0; i < p->npci; i++)
		add_word(&wc, "%04x:%04x", p->pci[i].vendor, p->pci[i].device);
	for (i = 0; i < LINUX_NR_SYSCALLS; i++)
		if (syscall_owner[i] == idx + 1 && syscall_names[i])
			add_word(&ws, "%s", syscall_names[i]);
}

static const char *dash(const char *s)
{
	return s[0] ? s : "-";
}

static void write_markdown(const char *path, const char *title)
{
	FILE *f = report_open(path);
	char b1[2048], b2[2048], b3[2048], b4[2048], b5[4096];
	int i, j, k, any;

	fprintf(f, "# System report: %s\n\n", title);
	fprintf(f, "Generated by `make report` (`mkimage --verify`) from the manifests "
		"listed below; do not edit. The image passed every check of the image "
		"verifier (docs/verification.md).\n\n");
	fprintf(f, "## Services\n\n| # | service | manifest | program | priority | primitives | kernel calls |\n"
		"|---|---|---|---|---|---|---|\n");
	for (i = 0; i < nsvcs; i++) {
		const struct svc *s = &svcs[i];
		WORDS(wp, b1, " ");
		WORDS(wk, b2, " ");
		for (k = 1; k < IPC_NR_PRIMITIVES; k++)
			if (has_prim(s, k))
				add_word(&wp, "%s", prim_names[k]);
		for (k = 0; k < NR_KCALLS; k++)
			if ((s->e.priv.kcalls >> k) & 1)
				add_word(&wk, "%s", kcall_names[k]);
		fprintf(f, "| %d | %s | %s | %s | %d | %s | %s |\n", i, s->e.name, s->file,
			s->program[0] ? s->program : "(privileges only)", s->e.priv.priority,
			dash(b1), dash(b2));
	}
	fprintf(f, "\n## Who may talk to whom\n\n"
		"A row is an `ipc` line: the sender may SEND, SENDREC, SENDNB and NOTIFY "
		"to the target. The contracts are those the sender `uses` and the target "
		"`serves`; the verifier refuses a row without one unless the manifest marks "
		"it `:notify` (notifications only), `:raw` (a test of the kernel's IPC) or "
		"`:syscalls` (Linux system calls of a set that also speaks a contract), "
		"or the sender speaks no contract and the target owns Linux system calls. "
		"Answering a SENDREC needs no row (the reply right, docs/ipc.md).\n\n"
		"| from | to | contracts |\n|---|---|---|\n");
	for (i = 0, any = 0; i < nsvcs; i++)
		for (k = 0; k < svcs[i].nipc; k++) {
			if ((j = svc_index(svcs[i].ipc[k])) < 0)
				continue;	/* an optional target this image lacks */
			fprintf(f, "| %s | %s | %s |\n", svcs[i].e.name, svcs[i].ipc[k],
				ipc_reason(&svcs[i], k, &svcs[j], b1, sizeof(b1)));
			any = 1;
		}
	if (!any)
		fprintf(f, "| - | - | - |\n");
	fprintf(f, "\n## Contracts\n\n| contract | served by | used by |\n|---|---|---|\n");
	for (i = 0, any = 0; i < nsvcs; i++)
		for (k = 0; k < svcs[i].nserves; k++) {
			const struct contract_ref *v = &svcs[i].serves[k];
			WORDS(wu, b1, ", ");
			for (j = 0; j < nsvcs; j++)
				if (speaks(&svcs[j], v->name, 0))
					add_word(&wu, "%s", svcs[j].e.name);
			if (v->external)
				add_word(&wu, "(external clients)");
			fprintf(f, "| %s | %s | %s |\n", v->name, svcs[i].e.name, dash(b1));
			any = 1;
		}
	if (!any)
		fprintf(f, "| - | - | - |\n");
	fprintf(f, "\n## Resources\n\nEach is held by one service only, except IRQ lines "
		"that every holder declares `:shared`.\n\n"
		"| service | I/O ports | IRQ lines | physical memory | PCI devices | Linux system calls |\n"
		"|---|---|---|---|---|---|\n");
	for (i = 0, any = 0; i < nsvcs; i++) {
		resources_of(&svcs[i], i, ", ", b1, b2, b3, b4, b5, sizeof(b1));
		if (b1[0] || b2[0] || b3[0] || b4[0] || b5[0]) {
			fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", svcs[i].e.name, dash(b1),
				dash(b2), dash(b3), dash(b4), dash(b5));
			any = 1;
		}
	}
	if (!any)
		fprintf(f, "| - | - | - | - | - | - |\n");
	report_close(f, path);
}

static void write_dot(const char *path, const char *title)
{
	FILE *f = report_open(path);
	char b1[2048], p[2048], q[2048], m[2048], c[2048], sys[4096];
	int i, j, k, words;

	fprintf(f, "// System report: %s. Generated by `make report`; do not edit.\n", title);
	fprintf(f, "digraph bulkhead {\n\trankdir=LR;\n\tlabel=\"%s\";\n"
		"\tnode [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];\n"
		"\tedge [fontname=\"Helvetica\", fontsize=9];\n", title);
	for (i = 0; i < nsvcs; i++)
		fprintf(f, "\t\"%s\"%s;\n", svcs[i].e.name, svcs[i].program[0] ? "" :
			" [style=\"rounded,dashed\", label=\"user\\n(ordinary processes)\"]");
	for (i = 0; i < nsvcs; i++)
		for (k = 0; k < svcs[i].nipc; k++) {
			if ((j = svc_index(svcs[i].ipc[k])) < 0)
				continue;
			if (contracts_between(&svcs[i], &svcs[j], b1, sizeof(b1))[0])
				fprintf(f, "\t\"%s\" -> \"%s\" [label=\"%s\", penwidth=2];\n",
					svcs[i].e.name, svcs[j].e.name, b1);
			else	/* notifications, bare test messages, the gateway */
				fprintf(f, "\t\"%s\" -> \"%s\" [style=dashed, label=\"%s\"];\n",
					svcs[i].e.name, svcs[j].e.name,
					svcs[i].ipc_kind[k] == IPC_NOTIFY_ONLY ? "notify" :
					svcs[i].ipc_kind[k] == IPC_RAW ? "raw" : "syscalls");
		}
	for (i = 0; i < nsvcs; i++) {
		const struct svc *s = &svcs[i];
		resources_of(s, i, " ", p, q, m, c, sys, sizeof(p));
		if (p[0] || q[0] || m[0] || c[0])
			fprintf(f, "\t\"hw_%s\" [shape=note, fontsize=9, label=\"%s%s%s%s%s%s%s%s\"];\n"
				"\t\"%s\" -> \"hw_%s\" [arrowhead=none, style=dotted];\n",
				s->e.name, p[0] ? "ports " : "", p, q[0] ? "\\nirqs " : "", q,
				m[0] ? "\\nmemory " : "", m, c[0] ? "\\npci " : "", c, s->e.name, s->e.name);
		for (k = 0; k < s->nserves; k++)
			if (s->serves[k].external)
				fprintf(f, "\t\"ext_%s\" [shape=plaintext, label=\"%s clients\\n(outside the image)\"];\n"
					"\t\"ext_%s\" -> \"%s\" [label=\"%s\", penwidth=2];\n",
					s->serves[k].name, s->serves[k].name, s->serves[k].name,
					s->e.name, s->serves[k].name);
		if (!sys[0])
			continue;
		fprintf(f, "\t\"linux_gate\" [shape=plaintext, label=\"Linux system calls\\n(kernel gateway)\"];\n"
			"\t\"linux_gate\" -> \"%s\" [label=\"", s->e.name);
		for (words = 0, k = 0; sys[k]; k++)	/* five names a line */
			if (sys[k] == ' ' && ++words % 5 == 0)
				fputs("\\n", f);
			else
				fputc(sys[k], f);
		fprintf(f, "\"];\n");
	}
	fprintf(f, "}\n");
	report_close(f, path);
}

int main(int argc, char **argv)
{
	const char *out = NULL, *build = ".", *contract_dir = NULL, *md = NULL, *dot = NULL;
	const char *title = "image";
	int verify = 0;
	struct image_header h;
	static char buf[128 << 20];
	uint64_t off;
	FILE *o;
	int i;

	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "--verify")) {
			verify = 1;
			argc--, argv++;
			continue;
		}
		if (argc < 3)
			break;
		if (!strcmp(argv[1], "-o"))
			out = argv[2];
		else if (!strcmp(argv[1], "-b"))
			build = argv[2];
		else if (!strcmp(argv[1], "-c"))
			contract_dir = argv[2];
		else if (!strcmp(argv[1], "-m"))
			md = argv[2];
		else if (!strcmp(argv[1], "-g"))
			dot = argv[2];
		else if (!strcmp(argv[1], "-t"))
			title = argv[2];
		else
			break;
		argc -= 2, argv += 2;
	}
	if ((!out && !verify) || argc < 2 || (!verify && (contract_dir || md || dot))) {
		fprintf(stderr, "usage: mkimage -o IMAGE [-b BUILDDIR] MANIFEST...\n"
			"       mkimage --verify [-c CONTRACTDIR] [-m REPORT.md] [-g REPORT.dot] "
			"[-t TITLE] [-o IMAGE [-b BUILDDIR]] MANIFEST...\n");
		return 2;
	}
	for (i = 1; i < argc; i++)
		read_manifest(argv[i]);
	resolve_ipc();
	if (verify) {
		if (contract_dir)
			read_contract_dir(contract_dir);
		check_resources();
		check_contracts();
		if (nerrors) {
			fprintf(stderr, "mkimage: %d error%s: the image is refused\n", nerrors,
				nerrors == 1 ? "" : "s");
			return 1;
		}
		if (md)
			write_markdown(md, title);
		if (dot)
			write_dot(dot, title);
		if (!out)
			return 0;
	}

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
