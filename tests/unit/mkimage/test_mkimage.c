/*
 * Host tests of tools/mkimage: run the real tool on the manifests in
 * fixtures/ (and on manifests generated here), then read the image it
 * writes through the real headers (include/bulkhead/image.h, priv.h,
 * kcall.h, ipc.h, linux_syscalls.h) and
 * compare every field with what the manifests say. Bad manifests must be
 * refused with exit status 1, an error naming file:line, and no image.
 * Last, random mutations of a good manifest are fed to a build of mkimage
 * with AddressSanitizer and UBSan: it must exit 0 or 1, never crash.
 *
 * Usage: test_mkimage MKIMAGE MKIMAGE_SANITIZED FIXTURES WORKDIR
 * Prints "ok NAME" / "not ok NAME" per test, "# ..." for diagnostics.
 *
 * Tests of bugs known to be in mkimage check the right behaviour; while it
 * fails they print "ok NAME # TODO known mkimage bug: ..." so the suite
 * stays green, unless MKIMAGE_STRICT=1 (make test STRICT=1) is set.
 * Environment: FUZZ_N (default 500), FUZZ_SEED (default 1).
 */
#define _GNU_SOURCE
#include <bulkhead/image.h>	/* first: kcall.h needs <stdint.h> */
#include <bulkhead/kcall.h>
#include <bulkhead/ipc.h>
#include <bulkhead/priv.h>
#include <bulkhead/linux_syscalls.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- checks ---- */

/* what a failing check is about (a service name), if anything */
static const char *ctx;

#define CHECK(c) do {							\
	if (!(c)) {							\
		printf("# %s:%d: %s%sfailed: %s\n", __FILE__, __LINE__,	\
		       ctx ? ctx : "", ctx ? ": " : "", #c);		\
		return false;						\
	}								\
} while (0)
#define CHECK_EQ(a, b) do {						\
	unsigned long long a_ = (unsigned long long)(a);		\
	unsigned long long b_ = (unsigned long long)(b);		\
	if (a_ != b_) {							\
		printf("# %s:%d: %s%s%s == %#llx, expected %s == %#llx\n", \
		       __FILE__, __LINE__, ctx ? ctx : "", ctx ? ": " : "", \
		       #a, a_, #b, b_);					\
		return false;						\
	}								\
} while (0)

static const char *mkimage, *mkimage_san, *fixtures, *work;
static bool strict;
static int nfail;

/*
 * One result line. known_bug: what is wrong in mkimage while this test
 * fails; such a failure is reported as a TODO, not counted.
 */
static void report(const char *name, bool pass, const char *known_bug)
{
	ctx = NULL;
	if (pass) {
		printf("ok %s\n", name);
		if (known_bug)
			printf("# %s passes: the known bug seems fixed; drop its known_bug note\n", name);
	} else if (known_bug && !strict) {
		printf("ok %s # TODO known mkimage bug: %s\n", name, known_bug);
	} else {
		printf("not ok %s\n", name);
		nfail++;
	}
	fflush(stdout);
}

/* ---- files ---- */

static char *path_in(const char *dir, const char *name)
{
	char *p;

	if (name[0] == '/')
		return strdup(name);
	if (asprintf(&p, "%s/%s", dir, name) < 0)
		abort();
	return p;
}

/* Whole file, NUL-terminated (the NUL is not counted in *len). */
static unsigned char *read_file(const char *path, size_t *len)
{
	unsigned char *p = NULL;
	size_t n = 0, cap = 0;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 65536;
			if (!(p = realloc(p, cap + 1)))
				abort();
		}
		size_t r = fread(p + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	p[n] = 0;
	if (len)
		*len = n;
	return p;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		printf("# cannot write %s: %s\n", path, strerror(errno));
		exit(2);
	}
}

/* Write WORK/name from a printf format; returns the path. */
static char *gen(const char *name, const char *fmt, ...)
{
	char *path = path_in(work, name), *text;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	write_file(path, text, (size_t)n);
	free(text);
	return path;
}

/* ---- running mkimage ---- */

struct run {
	bool exited;		/* else killed by signal sig */
	int code, sig;
	char *err;		/* its stdout and stderr */
};

static void free_run(struct run *r)
{
	free(r->err);
	r->err = NULL;
}

/*
 * Run BIN -o OUT -b . MANIFEST... in FIXTURES (so programs are found as
 * prog/NAME), with OUT removed first. Manifest names are passed as given:
 * relative ones are relative to FIXTURES.
 */
static void run_bin(const char *bin, const char *out, const char *const *mf, int n,
		    struct run *r)
{
	char *errpath = path_in(work, "mkimage.stderr");
	const char **argv = calloc((size_t)n + 6, sizeof(*argv));
	int st, i;
	pid_t pid;

	unlink(out);
	argv[0] = bin, argv[1] = "-o", argv[2] = out, argv[3] = "-b", argv[4] = ".";
	for (i = 0; i < n; i++)
		argv[5 + i] = mf[i];
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 || chdir(fixtures))
			_exit(126);
		alarm(10);	/* a hang becomes SIGALRM */
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			abort();
	r->exited = WIFEXITED(st);
	r->code = r->exited ? WEXITSTATUS(st) : -1;
	r->sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	r->err = (char *)read_file(errpath, NULL);
	if (!r->err)
		r->err = strdup("");
	free(argv);
	free(errpath);
}

static void run_mk(const char *out, const char *const *mf, int n, struct run *r)
{
	run_bin(mkimage, out, mf, n, r);
}

static void show_run(const struct run *r)
{
	const char *p = r->err;

	if (r->exited)
		printf("#   mkimage exit status %d\n", r->code);
	else
		printf("#   mkimage killed by signal %d\n", r->sig);
	while (*p) {
		int len = (int)strcspn(p, "\n");
		printf("#   | %.*s\n", len, p);
		p += len + (p[len] == '\n');
	}
}

/* ---- reading images ---- */

struct img {
	unsigned char *data;
	size_t size;
	const struct image_header *h;
};

static bool load_image(const char *path, struct img *im)
{
	im->data = read_file(path, &im->size);
	im->h = (const struct image_header *)im->data;
	CHECK(im->data != NULL);
	CHECK(im->size >= sizeof(struct image_header));
	CHECK(memcmp(im->h->magic, IMAGE_MAGIC, 8) == 0);
	CHECK(im->h->count <= IMAGE_MAX);
	CHECK(im->size >= sizeof(struct image_header) +
	      im->h->count * sizeof(struct image_entry));
	return true;
}

/* True if PATH exists and starts with a plausible image header (quietly). */
static bool valid_image_at(const char *path)
{
	size_t size;
	unsigned char *p = read_file(path, &size);
	const struct image_header *h = (const struct image_header *)p;
	bool ok = p && size >= sizeof(*h) && !memcmp(h->magic, IMAGE_MAGIC, 8) &&
		  h->count <= IMAGE_MAX &&
		  size >= sizeof(*h) + h->count * sizeof(struct image_entry);

	free(p);
	return ok;
}

static const struct image_entry *entry_named(const struct img *im, const char *name)
{
	uint32_t i;

	for (i = 0; i < im->h->count; i++)
		if (!strncmp(im->h->entry[i].name, name, IMAGE_NAME_LEN))
			return &im->h->entry[i];
	return NULL;
}

/* Linux system call numbers by name, from the real list */
#define SYS_ENTRY(n, name) { #name, n },
static const struct { const char *name; int nr; } sysnames[] = {
	LINUX_SYSCALL_LIST(SYS_ENTRY)
};
#undef SYS_ENTRY
#define NSYSNAMES (int)(sizeof(sysnames) / sizeof(sysnames[0]))

static int sys_nr(const char *name)
{
	int i;

	for (i = 0; i < NSYSNAMES; i++)
		if (!strcmp(sysnames[i].name, name))
			return sysnames[i].nr;
	printf("# no system call '%s' in LINUX_SYSCALL_LIST\n", name);
	exit(2);
}

/* ---- the good image: fixtures/good/{alpha,beta,user,gamma}.svc ---- */

static const char *const good_mf[] = {
	"good/alpha.svc", "good/beta.svc", "good/user.svc", "good/gamma.svc",
};
#define NGOOD 4
static const char *const good_names[NGOOD] = { "alpha", "beta", "user", "gamma_fifteen_1" };
static const char *const good_progs[NGOOD] = {
	"prog/alpha.bin", "prog/beta.bin", NULL, "prog/gamma.bin",
};
static struct img good;
static bool good_ok;

#define B(n) (1ull << (n))

static struct priv_spec expect_alpha(void)
{
	struct priv_spec p;

	memset(&p, 0, sizeof(p));
	p.kcalls = B(KC_PRINT) | B(KC_EXIT) | B(KC_GETINFO) | B(KC_SAFECOPY) |
		   B(KC_DEVIO) | B(KC_IRQCTL);
	p.ipc_to = B(1) | B(PRIV_USER) | B(0);	/* beta, user, itself */
	p.primitives = B(IPC_SEND) | B(IPC_RECEIVE) | B(IPC_SENDREC) | B(IPC_NOTIFY);
	p.irqs = B(1) | B(3) | B(4) | B(15);
	p.priority = 3;
	p.quantum = 100;
	p.nports = 4;
	p.ports[0].lo = 0x60, p.ports[0].hi = 0x64;
	p.ports[1].lo = 0x3f8, p.ports[1].hi = 0x3ff;
	p.ports[2].lo = 80, p.ports[2].hi = 80;
	p.ports[3].lo = 0xffff, p.ports[3].hi = 0xffff;
	p.nmem = 3;
	p.mem[0].base = 0xb8000, p.mem[0].size = 0x8000;
	p.mem[1].base = 0xfee00000, p.mem[1].size = 0x1000;
	p.mem[2].base = 0x100000000, p.mem[2].size = 0x100000;
	p.npci = 2;
	p.pci[0].vendor = 0x8086, p.pci[0].device = 0x100e;
	p.pci[1].vendor = 0x10ec, p.pci[1].device = 0x8139;
	return p;
}

static struct priv_spec expect_beta(void)
{
	struct priv_spec p;

	memset(&p, 0, sizeof(p));
	p.priority = 8;
	p.quantum = 5;
	return p;
}

static struct priv_spec expect_user(void)
{
	struct priv_spec p = expect_beta();

	p.primitives = B(IPC_SENDREC);
	p.ipc_to = B(1);
	p.priority = 12;
	return p;
}

static struct priv_spec expect_gamma(void)
{
	struct priv_spec p;
	int i;

	memset(&p, 0, sizeof(p));
	p.primitives = B(IPC_SEND) | B(IPC_RECEIVE) | B(IPC_SENDREC) | B(IPC_NOTIFY) |
		       B(IPC_SENDNB) | B(IPC_REPLYRECV);
	p.ipc_to = B(0) | B(3);	/* alpha, itself */
	p.irqs = 0xfffa;	/* 1 and 3..15 */
	p.priority = 0;
	p.quantum = 1;
	p.nports = 8;
	for (i = 0; i < 7; i++)
		p.ports[i].lo = p.ports[i].hi = (uint16_t)i;
	p.ports[7].lo = 0, p.ports[7].hi = 0xffff;
	p.nmem = 4;
	p.mem[0].base = 0, p.mem[0].size = 0x1000;
	p.mem[1].base = 0x1000, p.mem[1].size = 0x1000;
	p.mem[2].base = 0x2000, p.mem[2].size = 0x2000;
	p.mem[3].base = 0xfffffffffffff000, p.mem[3].size = 0x1000;
	p.npci = 4;
	p.pci[0].vendor = 0, p.pci[0].device = 0;
	p.pci[1].vendor = 0xffff, p.pci[1].device = 0xffff;
	p.pci[2].vendor = 1, p.pci[2].device = 2;
	p.pci[3].vendor = 0x1234, p.pci[3].device = 0x5678;
	return p;
}

static struct priv_spec (*const good_expect[NGOOD])(void) = {
	expect_alpha, expect_beta, expect_user, expect_gamma,
};

#define NEED_GOOD() CHECK(good_ok)

static bool t_good_builds(void)
{
	struct run r;
	char *out = path_in(work, "good.img");

	run_mk(out, good_mf, NGOOD, &r);
	if (!r.exited || r.code != 0 || r.err[0])
		show_run(&r);
	CHECK(r.exited && r.code == 0);
	CHECK(r.err[0] == 0);		/* silent on success */
	free_run(&r);
	CHECK(load_image(out, &good));
	free(out);
	good_ok = true;
	return true;
}

static bool t_header(void)
{
	NEED_GOOD();
	CHECK(memcmp(good.h->magic, "BHIMAGE2", 8) == 0);
	CHECK_EQ(good.h->count, NGOOD);
	CHECK_EQ(good.h->reserved, 0);
	return true;
}

static bool t_names_order(void)
{
	int i;

	NEED_GOOD();
	for (i = 0; i < NGOOD; i++) {
		const struct image_entry *e = &good.h->entry[i];
		char want[IMAGE_NAME_LEN] = { 0 };

		strncpy(want, good_names[i], IMAGE_NAME_LEN - 1);
		if (memcmp(e->name, want, IMAGE_NAME_LEN)) {
			printf("# entry %d is '%.16s', expected '%s' (NUL-padded)\n",
			       i, e->name, good_names[i]);
			return false;
		}
	}
	/* a 15-character name still ends in a NUL */
	CHECK_EQ(good.h->entry[3].name[IMAGE_NAME_LEN - 1], 0);
	return true;
}

/* One field of every good entry against the expected priv_spec. */
#define FIELD_TEST(fn, field)						\
static bool fn(void)							\
{									\
	int i;								\
	NEED_GOOD();							\
	for (i = 0; i < NGOOD; i++) {					\
		struct priv_spec w = good_expect[i]();			\
		const struct priv_spec *p = &good.h->entry[i].priv;	\
		if (memcmp(&p->field, &w.field, sizeof(w.field))) {	\
			printf("# %s: " #field " differs\n", good_names[i]); \
			return false;					\
		}							\
	}								\
	return true;							\
}
FIELD_TEST(t_kcalls, kcalls)
FIELD_TEST(t_primitives, primitives)
FIELD_TEST(t_ipc_to, ipc_to)
FIELD_TEST(t_irqs, irqs)

static bool t_ports(void)
{
	int i, k;

	NEED_GOOD();
	for (i = 0; i < NGOOD; i++) {
		struct priv_spec w = good_expect[i]();
		const struct priv_spec *p = &good.h->entry[i].priv;

		ctx = good_names[i];
		CHECK_EQ(p->nports, w.nports);
		for (k = 0; k < PRIV_MAX_PORTS; k++) {	/* unused slots stay 0 */
			CHECK_EQ(p->ports[k].lo, w.ports[k].lo);
			CHECK_EQ(p->ports[k].hi, w.ports[k].hi);
		}
	}
	return true;
}

static bool t_memory(void)
{
	int i, k;

	NEED_GOOD();
	for (i = 0; i < NGOOD; i++) {
		struct priv_spec w = good_expect[i]();
		const struct priv_spec *p = &good.h->entry[i].priv;

		ctx = good_names[i];
		CHECK_EQ(p->nmem, w.nmem);
		for (k = 0; k < PRIV_MAX_MEM; k++) {
			CHECK_EQ(p->mem[k].base, w.mem[k].base);
			CHECK_EQ(p->mem[k].size, w.mem[k].size);
			CHECK_EQ(p->mem[k].base & 0xfff, 0);
			CHECK_EQ(p->mem[k].size & 0xfff, 0);
		}
	}
	return true;
}

static bool t_pci(void)
{
	int i, k;

	NEED_GOOD();
	for (i = 0; i < NGOOD; i++) {
		struct priv_spec w = good_expect[i]();
		const struct priv_spec *p = &good.h->entry[i].priv;

		ctx = good_names[i];
		CHECK_EQ(p->npci, w.npci);
		for (k = 0; k < PRIV_MAX_PCI; k++) {
			CHECK_EQ(p->pci[k].vendor, w.pci[k].vendor);
			CHECK_EQ(p->pci[k].device, w.pci[k].device);
		}
	}
	return true;
}

static bool t_priority_quantum(void)
{
	int i;

	NEED_GOOD();
	for (i = 0; i < NGOOD; i++) {
		struct priv_spec w = good_expect[i]();
		const struct priv_spec *p = &good.h->entry[i].priv;

		ctx = good_names[i];
		CHECK_EQ(p->priority, w.priority);
		CHECK_EQ(p->quantum, w.quantum);
	}
	/* beta sets neither: the defaults */
	CHECK_EQ(good.h->entry[1].priv.priority, 8);
	CHECK_EQ(good.h->entry[1].priv.quantum, 5);
	return true;
}

/* The whole priv_spec, byte for byte: reserved bytes and unused slots are 0. */
static bool t_priv_exact(void)
{
	int i;

	NEED_GOOD();
	for (i = 0; i < NGOOD; i++) {
		struct priv_spec w = good_expect[i]();

		if (memcmp(&good.h->entry[i].priv, &w, sizeof(w))) {
			printf("# %s: priv_spec differs from the expected one\n", good_names[i]);
			return false;
		}
	}
	return true;
}

static bool t_program_layout(void)
{
	uint64_t end = sizeof(struct image_header) + NGOOD * sizeof(struct image_entry);
	int i;

	NEED_GOOD();
	for (i = 0; i < NGOOD; i++) {
		const struct image_entry *e = &good.h->entry[i];

		ctx = good_names[i];
		if (!good_progs[i]) {	/* privileges only */
			CHECK_EQ(e->offset, 0);
			CHECK_EQ(e->size, 0);
			continue;
		}
		CHECK_EQ(e->offset % 4096, 0);
		CHECK(e->offset >= end);	/* after the table and earlier programs */
		CHECK(e->size <= good.size && e->offset <= good.size - e->size);
		end = e->offset + e->size;
	}
	return true;
}

static bool t_program_bytes(void)
{
	int i;

	NEED_GOOD();
	for (i = 0; i < NGOOD; i++) {
		const struct image_entry *e = &good.h->entry[i];
		unsigned char *want;
		size_t len;
		char *path;

		if (!good_progs[i])
			continue;
		path = path_in(fixtures, good_progs[i]);
		want = read_file(path, &len);
		CHECK(want != NULL);
		ctx = good_progs[i];
		CHECK_EQ(e->size, len);
		CHECK(e->offset <= good.size && len <= good.size - e->offset);
		CHECK(memcmp(good.data + e->offset, want, len) == 0);
		free(want);
		free(path);
	}
	return true;
}

/* ipc bits are image indices: a different order gives different bits. */
static bool t_ipc_follows_order(void)
{
	const char *const mf[] = { "good/beta.svc", "good/gamma.svc", "good/user.svc",
				   "good/alpha.svc" };
	char *out = path_in(work, "order.img");
	const struct image_entry *a, *g, *u;
	struct img im;
	struct run r;

	run_mk(out, mf, 4, &r);
	if (!r.exited || r.code)
		show_run(&r);
	CHECK(r.exited && r.code == 0);
	free_run(&r);
	CHECK(load_image(out, &im));
	CHECK(!strcmp(im.h->entry[0].name, "beta"));
	CHECK(!strcmp(im.h->entry[3].name, "alpha"));
	CHECK((a = entry_named(&im, "alpha")) && (g = entry_named(&im, "gamma_fifteen_1")) &&
	      (u = entry_named(&im, "user")));
	CHECK_EQ(a->priv.ipc_to, B(0) | B(PRIV_USER) | B(3));	/* beta, user, itself */
	CHECK_EQ(g->priv.ipc_to, B(3) | B(1));			/* alpha, itself */
	CHECK_EQ(u->priv.ipc_to, B(0));				/* beta */
	CHECK_EQ(im.h->syscall_owner[sys_nr("openat")], 3 + 1);	/* alpha */
	CHECK_EQ(im.h->syscall_owner[sys_nr("exit_group")], 1 + 1);	/* gamma */
	free(im.data);
	free(out);
	return true;
}

/* `restart` and `heartbeat` lines become the entry's policy; a manifest
 * without them gets the documented defaults (include/bulkhead/image.h). */
static bool t_restart_policy(void)
{
	char *mf = gen("policy.svc", "service pol\nprogram prog/gamma.bin\n"
		       "restart backoff 7 oneshot limit 3\nrestart window 500\nheartbeat 0\n");
	char *out = path_in(work, "policy.img");
	const struct image_entry *b, *p;
	struct img im;
	struct run r;

	run_mk(out, (const char *const[]){ "good/beta.svc", mf }, 2, &r);
	if (!r.exited || r.code)
		show_run(&r);
	CHECK(r.exited && r.code == 0);
	free_run(&r);
	CHECK(load_image(out, &im));
	CHECK((b = entry_named(&im, "beta")) && (p = entry_named(&im, "pol")));
	CHECK_EQ(b->policy.limit, 10);
	CHECK_EQ(b->policy.window, 6000);
	CHECK_EQ(b->policy.backoff, 10);
	CHECK_EQ(b->policy.missed, 4);
	CHECK_EQ(b->policy.flags, 0);
	CHECK_EQ(p->policy.limit, 3);
	CHECK_EQ(p->policy.window, 500);
	CHECK_EQ(p->policy.backoff, 7);
	CHECK_EQ(p->policy.missed, 0);
	CHECK_EQ(p->policy.flags, IMAGE_POL_ONESHOT);
	free(im.data);
	free(out);
	free(mf);
	return true;
}

/* Every name in KCALL_LIST is known, and sets exactly its bit. */
static bool t_kcalls_all_names(void)
{
#define KC_STR(n, up, low) " " #low
	static const char names[] = KCALL_LIST(KC_STR);
#undef KC_STR
#define KC_NUM(n, up, low) n,
	static const int nums[] = { KCALL_LIST(KC_NUM) };
#undef KC_NUM
	char *mf = gen("allkcalls.svc", "service all\nkcalls%s\n", names);
	char *out = path_in(work, "allkcalls.img");
	uint64_t want = 0;
	struct img im;
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		want |= B(nums[i]);
	run_mk(out, (const char *const[]){ mf }, 1, &r);
	if (!r.exited || r.code)
		show_run(&r);
	CHECK(r.exited && r.code == 0);
	free_run(&r);
	CHECK(load_image(out, &im));
	CHECK_EQ(im.h->entry[0].priv.kcalls, want);
	CHECK_EQ(want, (NR_KCALLS == 64 ? ~0ull : B(NR_KCALLS) - 1));
	free(im.data);

	/* and each name alone gives its own bit */
	const char *p = names;
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		char name[32];
		int len;

		p += strspn(p, " ");
		len = (int)strcspn(p, " ");
		snprintf(name, sizeof(name), "%.*s", len, p);
		p += len;
		free(mf);
		mf = gen("onekcall.svc", "service one\nkcalls %s\n", name);
		run_mk(out, (const char *const[]){ mf }, 1, &r);
		CHECK(r.exited && r.code == 0);
		free_run(&r);
		CHECK(load_image(out, &im));
		if (im.h->entry[0].priv.kcalls != B(nums[i])) {
			printf("# kcalls %s gave %#llx\n", name,
			       (unsigned long long)im.h->entry[0].priv.kcalls);
			return false;
		}
		free(im.data);
	}
	free(mf);
	free(out);
	return true;
}

/* ---- Linux system call owners (image header) ---- */

/* The header's owner table is exactly WANT. */
static bool owners_are(const struct image_header *h, const uint8_t *want)
{
	int n;

	for (n = 0; n < LINUX_NR_SYSCALLS; n++)
		if (h->syscall_owner[n] != want[n]) {
			printf("# syscall_owner[%d] == %d, expected %d\n", n, h->syscall_owner[n],
			       want[n]);
			return false;
		}
	return true;
}

/* alpha (index 0) owns read write openat, gamma (3) faccessat2 exit_group. */
static bool t_syscall_owners(void)
{
	uint8_t want[LINUX_NR_SYSCALLS] = { 0 };

	NEED_GOOD();
	want[sys_nr("read")] = want[sys_nr("write")] = want[sys_nr("openat")] = 0 + 1;
	want[sys_nr("faccessat2")] = want[sys_nr("exit_group")] = 3 + 1;
	return owners_are(good.h, want);
}

/* Every name in LINUX_SYSCALL_LIST is known; owners follow the image order. */
static bool t_syscall_every_name(void)
{
	uint8_t want[LINUX_NR_SYSCALLS] = { 0 };
	char *text = NULL, *mf, *out = path_in(work, "allsys.img");
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct img im;
	struct run r;
	int i;

	/* the second service owns them all, at most 16 names a line */
	fprintf(f, "service first\n\nservice all\n");
	for (i = 0; i < NSYSNAMES; i++) {
		fprintf(f, "%s%s%s", i % 16 ? "" : "syscalls", " ", sysnames[i].name);
		if (i % 16 == 15 || i == NSYSNAMES - 1)
			fputc('\n', f);
		want[sysnames[i].nr] = 2;
	}
	fclose(f);
	mf = gen("allsys.svc", "%s", strstr(text, "service all"));
	char *first = gen("first.svc", "service first\n");
	run_mk(out, (const char *const[]){ first, mf }, 2, &r);
	if (!r.exited || r.code)
		show_run(&r);
	CHECK(r.exited && r.code == 0);
	free_run(&r);
	CHECK(load_image(out, &im));
	CHECK(owners_are(im.h, want));
	free(im.data), free(text), free(mf), free(first), free(out);
	return true;
}

/* CRLF line ends give the same image as LF. */
static bool t_crlf(void)
{
	size_t len, i, n = 0;
	char *path = path_in(fixtures, "good/alpha.svc");
	unsigned char *lf = read_file(path, &len);
	char *crlf = malloc(2 * len + 1), *mfc = path_in(work, "alpha-crlf.svc");
	char *out = path_in(work, "crlf.img");
	const char *mf[NGOOD];
	struct img im;
	struct run r;

	CHECK(lf && crlf);
	for (i = 0; i < len; i++) {
		if (lf[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = (char)lf[i];
	}
	write_file(mfc, crlf, n);
	memcpy(mf, good_mf, sizeof(mf));
	mf[0] = mfc;
	run_mk(out, mf, NGOOD, &r);
	if (!r.exited || r.code)
		show_run(&r);
	CHECK(r.exited && r.code == 0);
	free_run(&r);
	NEED_GOOD();
	CHECK(load_image(out, &im));
	CHECK(im.size == good.size && memcmp(im.data, good.data, im.size) == 0);
	free(im.data), free(lf), free(crlf), free(mfc), free(out), free(path);
	return true;
}

/* IMAGE_MAX services fit; the last one's index is its ipc bit. */
static bool t_max_services(void)
{
	const char *mf[IMAGE_MAX + 1];
	char *out = path_in(work, "max.img");
	struct img im;
	struct run r;
	int i;

	for (i = 0; i <= IMAGE_MAX; i++) {
		char name[32];
		snprintf(name, sizeof(name), "max%d.svc", i);
		mf[i] = gen(name, "service s%d\nipc s%d\n", i, i ? 0 : IMAGE_MAX - 1);
	}
	run_mk(out, mf, IMAGE_MAX, &r);
	if (!r.exited || r.code)
		show_run(&r);
	CHECK(r.exited && r.code == 0);
	free_run(&r);
	CHECK(load_image(out, &im));
	CHECK_EQ(im.h->count, IMAGE_MAX);
	CHECK_EQ(im.h->entry[0].priv.ipc_to, B(IMAGE_MAX - 1));
	CHECK_EQ(im.h->entry[IMAGE_MAX - 1].priv.ipc_to, B(0));
	CHECK(!strcmp(im.h->entry[IMAGE_MAX - 1].name, "s47"));
	free(im.data);

	/* one more is refused */
	run_mk(out, mf, IMAGE_MAX + 1, &r);
	if (!r.exited || r.code != 1)
		show_run(&r);
	CHECK(r.exited && r.code == 1);
	CHECK(strstr(r.err, "more than 48 services"));
	CHECK(strstr(r.err, mf[IMAGE_MAX]));
	CHECK(access(out, F_OK) != 0);
	free_run(&r);
	for (i = 0; i <= IMAGE_MAX; i++)
		free((char *)mf[i]);
	free(out);
	return true;
}

static bool t_usage(void)
{
	char *errpath = path_in(work, "usage.stderr");
	char *cmd;
	int st;

	/* no -o: usage, status 2 */
	if (asprintf(&cmd, "cd '%s' && '%s' good/beta.svc >'%s' 2>&1", fixtures, mkimage,
		     errpath) < 0)
		abort();
	st = system(cmd);
	free(cmd);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
	char *err = (char *)read_file(errpath, NULL);
	CHECK(err && strstr(err, "usage"));
	free(err), free(errpath);
	return true;
}

/* ---- refused manifests ---- */

/* Does the error name FILE:LINE (line < 0: any line)? */
static bool names_place(const char *err, const char *file, int line)
{
	char want[PATH_MAX + 32];
	const char *p;

	if (line >= 0) {
		snprintf(want, sizeof(want), "mkimage: %s:%d: ", file, line);
		return strstr(err, want) != NULL;
	}
	snprintf(want, sizeof(want), "mkimage: %s:", file);
	if (!(p = strstr(err, want)))
		return false;
	p += strlen(want);
	if (*p < '0' || *p > '9')
		return false;
	p += strspn(p, "0123456789");
	return p[0] == ':' && p[1] == ' ';
}

static bool names_any(const char *err, const char *const *mf, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (names_place(err, mf[i], -1))
			return true;
	return false;
}

/*
 * Run on MF[0..n-1]; expect exit status 1, a message naming file:line
 * (file NULL: any of MF; line < 0: any) and containing MSG, and no valid
 * image. With no_file, the output must not exist at all.
 */
static bool expect_refusal(const char *const *mf, int n, const char *file, int line,
			   const char *msg, bool no_file)
{
	char *out = path_in(work, "bad.img");
	struct run r;
	bool ok = true;

	run_mk(out, mf, n, &r);
	if (!r.exited || r.code != 1) {
		printf("# expected exit status 1\n");
		ok = false;
	} else if (file ? !names_place(r.err, file, line) : !names_any(r.err, mf, n)) {
		printf("# expected an error naming %s:%d\n", file ? file : "a manifest", line);
		ok = false;
	} else if (!strstr(r.err, msg)) {
		printf("# expected an error saying \"%s\"\n", msg);
		ok = false;
	} else if (no_file && access(out, F_OK) == 0) {
		printf("# the output file was left behind\n");
		ok = false;
	} else if (valid_image_at(out)) {
		printf("# a valid image was written\n");
		ok = false;
	}
	if (!ok)
		show_run(&r);
	free_run(&r);
	free(out);
	return ok;
}

struct bad {
	const char *name;
	const char *mf[4];	/* fixtures; the error names mf[at] */
	int at, line;		/* line -1: any line number */
	const char *msg;
	const char *line_bug;	/* the line number is wrong: a known bug */
};

static const struct bad bads[] = {
	{ "unknown_key", { "bad/unknown_key.svc" }, 0, 4, "unknown key 'colour'", NULL },
	{ "unknown_kcall", { "bad/unknown_kcall.svc" }, 0, 4, "unknown kernel call 'frobnicate'", NULL },
	{ "unknown_syscall", { "bad/unknown_syscall.svc" }, 0, 4,
	  "unknown Linux system call 'frobnicate'", NULL },
	{ "syscall_owned_twice",
	  { "good/alpha.svc", "good/beta.svc", "good/user.svc", "bad/syscall_owned_twice.svc" },
	  3, 4, "system call 'write' already owned (good/alpha.svc:18)", NULL },
	{ "unknown_primitive", { "bad/unknown_primitive.svc" }, 0, 4, "unknown IPC primitive 'yell'", NULL },
	{ "ipc_target_not_in_image", { "good/beta.svc", "bad/ipc_stranger.svc" }, 1, 4,
	  "ipc target 'stranger' is not a service in this image", NULL },
	{ "ipc_user_not_in_image", { "bad/ipc_user_absent.svc", "good/beta.svc" }, 0, 4,
	  "ipc target 'user' is not a service in this image", NULL },
	{ "duplicate_service", { "good/beta.svc", "bad/dup_beta.svc" }, 1, 3,
	  "service 'beta' defined twice", NULL },
	{ "name_too_long", { "bad/name_too_long.svc" }, 0, 2, "service name must be one word under 16", NULL },
	{ "name_two_words", { "bad/name_two_words.svc" }, 0, 2, "service name must be one word", NULL },
	{ "number_overflow", { "bad/number_overflow.svc" }, 0, 4, "bad number '18446744073709551616'", NULL },
	{ "number_garbage", { "bad/number_garbage.svc" }, 0, 4, "bad number '5x'", NULL },
	{ "number_negative", { "bad/number_negative.svc" }, 0, 4, "bad number '-3'", NULL },
	{ "port_too_big", { "bad/port_too_big.svc" }, 0, 4, "bad number '0x10000'", NULL },
	{ "port_range_empty", { "bad/port_range_empty.svc" }, 0, 4, "empty range", NULL },
	{ "memory_range_empty", { "bad/memory_range_empty.svc" }, 0, 4, "empty range", NULL },
	{ "irq0", { "bad/irq0.svc" }, 0, 4, "irq 0 belongs to the kernel", NULL },
	{ "irq2", { "bad/irq2.svc" }, 0, 4, "irq 2 belongs to the kernel", NULL },
	{ "irq16", { "bad/irq16.svc" }, 0, 4, "bad number '16'", NULL },
	{ "memory_base_unaligned", { "bad/memory_base_unaligned.svc" }, 0, 4, "is not whole pages", NULL },
	{ "memory_end_unaligned", { "bad/memory_end_unaligned.svc" }, 0, 4, "is not whole pages", NULL },
	{ "too_many_ports", { "bad/too_many_ports.svc" }, 0, 5, "more than 8 port ranges", NULL },
	{ "too_many_memory", { "bad/too_many_memory.svc" }, 0, 5, "more than 4 memory ranges", NULL },
	{ "too_many_pci", { "bad/too_many_pci.svc" }, 0, 4, "at most 4", NULL },
	{ "too_many_ipc", { "bad/too_many_ipc.svc" }, 0, 5, "too many", NULL },
	{ "quantum0", { "bad/quantum0.svc" }, 0, 4, "quantum must be at least 1", NULL },
	{ "priority16", { "bad/priority16.svc" }, 0, 4, "bad number '16'", NULL },
	{ "no_service", { "good/beta.svc", "bad/no_service.svc" }, 1, -1, "no 'service' line", NULL },
	{ "missing_program", { "good/beta.svc", "bad/missing_program.svc" }, 1, 3,
	  "prog/does-not-exist.bin", NULL },
	{ "missing_manifest", { "good/beta.svc", "bad/no-such-manifest.svc" }, 1, -1,
	  "No such file", NULL },
};

static void run_bads(void)
{
	size_t i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		char name[96];
		int n = 0;
		bool ok;

		while (n < 4 && b->mf[n])
			n++;
		/* when the place is a known bug: any manifest, any line */
		snprintf(name, sizeof(name), "mkimage_bad_%s", b->name);
		ok = expect_refusal(b->mf, n, b->line_bug ? NULL : b->mf[b->at],
				    b->line_bug ? -1 : b->line, b->msg, false);
		report(name, ok, NULL);
		if (b->line_bug) {
			snprintf(name, sizeof(name), "mkimage_bad_%s_place", b->name);
			report(name, expect_refusal(b->mf, n, b->mf[b->at], b->line, b->msg, false),
			       b->line_bug);
		}
	}
}

/* One bad line after `service v` / `program ...`: the error is at line 3. */
struct badline {
	const char *name, *line, *msg;
};

static const struct badline badlines[] = {
	{ "priority_huge", "priority 99999999999999999999999", "bad number" },
	{ "priority_hex_overflow", "priority 0x10000000000000000", "bad number" },
	{ "priority_negative", "priority -1", "bad number" },
	{ "priority_garbage", "priority 4.0", "bad number" },
	{ "priority_letters", "priority high", "bad number" },
	{ "priority_bare_0x", "priority 0x", "bad number" },
	{ "quantum_negative", "quantum -5", "bad number" },
	{ "quantum_101", "quantum 101", "bad number '101'" },
	{ "quantum_0x0", "quantum 0x0", "quantum must be at least 1" },
	{ "port_negative", "ports -5", "bad number" },
	{ "port_hi_too_big", "ports 0x60-0x10000", "bad number '0x10000'" },
	{ "port_hi_missing", "ports 0x60-", "bad number" },
	{ "port_double_dash", "ports 1--2", "bad number" },
	{ "port_garbage", "ports 0x3f8-0x3fz", "bad number" },
	{ "port_range_empty_dec", "ports 100-99", "empty range" },
	{ "irq_negative", "irqs -1", "bad number" },
	{ "irq_0_hex", "irqs 0x0", "irq 0 belongs to the kernel" },
	{ "irq_2_after_ok", "irqs 1 3 2", "irq 2 belongs to the kernel" },
	{ "irq_17", "irqs 17", "bad number" },
	{ "irq_garbage", "irqs 3a", "bad number" },
	{ "memory_single_page_no_range", "memory 0x1000", "is not whole pages" },
	{ "memory_overflow", "memory 0x10000000000000000-0x10000000000000fff", "bad number" },
	{ "memory_negative", "memory -4096", "bad number" },
	{ "memory_garbage", "memory 0x1000-0x1fffg", "bad number" },
	{ "memory_empty_same_page", "memory 0x2000-0x1fff", "empty range" },
	{ "pci_no_colon", "pci 8086", "pci wants vendor:device" },
	{ "pci_vendor_too_big", "pci 0x18086:0x100e", "bad number" },
	{ "pci_device_negative", "pci 0x8086:-1", "bad number" },
	{ "pci_device_missing", "pci 0x8086:", "bad number" },
	{ "pci_two_colons", "pci 8086:100e:1", "bad number" },
	{ "restart_empty", "restart", "restart wants" },
	{ "restart_unknown_word", "restart forever", "restart: unknown word 'forever'" },
	{ "restart_limit_without_number", "restart limit", "restart: 'limit' wants a number" },
	{ "restart_limit_negative", "restart limit -1", "bad number" },
	{ "restart_window_zero", "restart window 0", "window must be at least 1 tick" },
	{ "restart_backoff_huge", "restart backoff 1000001", "bad number" },
	{ "heartbeat_letters", "heartbeat often", "bad number" },
	{ "heartbeat_huge", "heartbeat 1001", "bad number" },
	{ "kcall_uppercase", "kcalls PRINT", "unknown kernel call 'PRINT'" },
	{ "kcall_prefix", "kcalls prin", "unknown kernel call 'prin'" },
	{ "primitive_uppercase", "primitives SEND", "unknown IPC primitive 'SEND'" },
	{ "key_uppercase", "Kcalls print", "unknown key 'Kcalls'" },
	{ "ipc_name_too_long", "ipc abcdefghijklmnop", "too many or too long" },
	{ "program_path_too_long",
	  "program prog/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaa.bin", "program" },
};

static void run_badlines(void)
{
	size_t i;

	for (i = 0; i < sizeof(badlines) / sizeof(badlines[0]); i++) {
		const struct badline *b = &badlines[i];
		char name[96], file[96], *mf;

		snprintf(file, sizeof(file), "line-%s.svc", b->name);
		mf = gen(file, "service v\nprogram prog/gamma.bin\n%s\nkcalls print\n", b->line);
		snprintf(name, sizeof(name), "mkimage_badline_%s", b->name);
		report(name, expect_refusal((const char *const[]){ mf }, 1, mf, 3, b->msg, true),
		       NULL);
		free(mf);
	}
}

/* Parse errors are found before any output is opened: no file at all. */
static bool t_no_output_on_parse_error(void)
{
	const char *const mf[] = { "good/alpha.svc", "bad/unknown_kcall.svc" };

	return expect_refusal(mf, 2, mf[1], 4, "unknown kernel call", true);
}

/* A failure while copying programs should not leave a file behind either. */
static bool t_no_output_on_program_error(void)
{
	const char *const mf[] = { "good/beta.svc", "bad/missing_program.svc" };

	return expect_refusal(mf, 2, mf[1], -1, "does-not-exist.bin", true);
}

/* ---- known bugs: behaviour the tests expect but mkimage lacks ---- */

/* Run on one generated manifest plus good/beta.svc. */
static void run_gen(const char *file, const char *text, const char *out, struct run *r,
		    char **mfp)
{
	char *mf = gen(file, "%s", text);

	run_mk(out, (const char *const[]){ mf, "good/beta.svc" }, 2, r);
	*mfp = mf;
}

static bool t_unknown_key_without_values(void)
{
	char *mf = gen("nokeyvals.svc", "service v\nbogus\n");

	return expect_refusal((const char *const[]){ mf }, 1, mf, 2, "unknown key 'bogus'", true);
}

static bool accepted_as(const char *text, const char *name, const char *what)
{
	char *out = path_in(work, "gen.img"), *mf;
	struct img im;
	struct run r;

	run_gen("gen.svc", text, out, &r, &mf);
	if (!r.exited || r.code) {
		printf("# %s is refused\n", what);
		show_run(&r);
	}
	CHECK(r.exited && r.code == 0);
	free_run(&r);
	CHECK(load_image(out, &im));
	CHECK(!strcmp(im.h->entry[0].name, name));
	free(im.data), free(out), free(mf);
	return true;
}

static bool t_comment_after_service(void)
{
	return accepted_as("service v   # a comment\n", "v", "a comment after the name");
}

static bool t_comment_after_program(void)
{
	return accepted_as("service v\nprogram prog/gamma.bin\t# a comment\n", "v",
			   "a comment after the program path");
}

static bool t_tab_in_service_name(void)
{
	char *mf = gen("tabname.svc", "service two\twords\n");

	return expect_refusal((const char *const[]){ mf }, 1, mf, 1,
			      "service name must be one word", true);
}

static bool t_directory_as_program(void)
{
	char *mf = gen("dirprog.svc", "service v\nprogram prog\n");

	return expect_refusal((const char *const[]){ mf }, 1, mf, -1, "prog", false);
}

static bool t_memory_size_wraps(void)
{
	char *mf = gen("memwrap.svc", "service v\nmemory 0-0xffffffffffffffff\n");
	char *out = path_in(work, "memwrap.img");
	struct img im;
	struct run r;

	run_mk(out, (const char *const[]){ mf }, 1, &r);
	/* refusing it is right; accepting it with a size of 0 is not */
	if (r.exited && r.code == 1) {
		free_run(&r);
		return true;
	}
	CHECK(r.exited && r.code == 0);
	free_run(&r);
	CHECK(load_image(out, &im));
	printf("# accepted: base %#llx size %#llx\n",
	       (unsigned long long)im.h->entry[0].priv.mem[0].base,
	       (unsigned long long)im.h->entry[0].priv.mem[0].size);
	CHECK(im.h->entry[0].priv.mem[0].size != 0);
	free(im.data);
	return true;
}

/*
 * A line longer than the tool's 1024-byte buffer must be refused at its
 * own line number, or read whole (then a comment grants nothing); its
 * tail must never be read as a line of its own.
 */
static bool long_line_ok(const char *file, const char *text)
{
	char *mf = gen(file, "%s", text), *out = path_in(work, "longline.img");
	struct img im;
	struct run r;

	run_mk(out, (const char *const[]){ mf }, 1, &r);
	if (r.exited && r.code == 1) {
		bool ok = names_place(r.err, mf, 2);
		if (!ok) {
			printf("# %s: refused, but not at line 2\n", file);
			show_run(&r);
		}
		free_run(&r);
		return ok;
	}
	CHECK(r.exited && r.code == 0);
	free_run(&r);
	CHECK(load_image(out, &im));
	if (im.h->entry[0].priv.kcalls)
		printf("# %s: a comment granted kcalls %#llx\n", file,
		       (unsigned long long)im.h->entry[0].priv.kcalls);
	CHECK_EQ(im.h->entry[0].priv.kcalls, 0);
	free(im.data), free(out), free(mf);
	return true;
}

static bool t_long_comment_line(void)
{
	char pad[1024], *text;
	bool ok;

	/* '#' and 1022 more bytes: exactly what one fgets(line, 1024) takes */
	memset(pad, 'x', 1023);
	pad[0] = '#';
	pad[1023] = 0;
	/* the tail after those 1023 bytes is "kcalls print" */
	if (asprintf(&text, "service v\n%skcalls print\n", pad) < 0)
		abort();
	ok = long_line_ok("longline1.svc", text);
	free(text);
	/* one byte more: the tail is "xkcalls print" */
	if (asprintf(&text, "service v\n%sxkcalls print\n", pad) < 0)
		abort();
	ok &= long_line_ok("longline2.svc", text);
	free(text);
	return ok;
}

static bool t_ipc_error_line(void)
{
	char *mf = gen("ipclines.svc", "service v\nipc nosuch\nipc beta\n");

	return expect_refusal((const char *const[]){ mf, "good/beta.svc" }, 2, mf, 2,
			      "ipc target 'nosuch'", true);
}

static bool t_negative_zero(void)
{
	char *mf = gen("negzero.svc", "service v\npriority -0\n");

	return expect_refusal((const char *const[]){ mf }, 1, mf, 2, "bad number '-0'", true);
}

/* ---- fuzz ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13, x ^= x >> 7, x ^= x << 17;
	return rng_state = x;
}

static size_t rn(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

struct text {
	char *p;
	size_t n, cap;
};

#define TEXT_MAX (256 * 1024)

static void t_insert(struct text *t, size_t at, const char *s, size_t len)
{
	if (t->n + len > TEXT_MAX)
		return;
	if (t->n + len > t->cap) {
		t->cap = (t->n + len) * 2;
		if (!(t->p = realloc(t->p, t->cap)))
			abort();
	}
	memmove(t->p + at + len, t->p + at, t->n - at);
	memcpy(t->p + at, s, len);
	t->n += len;
}

static void t_delete(struct text *t, size_t at, size_t len)
{
	if (at + len > t->n)
		len = t->n - at;
	memmove(t->p + at, t->p + at + len, t->n - at - len);
	t->n -= len;
}

/* Start of a random line, and its length including the newline. */
static size_t pick_line(const struct text *t, size_t *len)
{
	size_t at = rn(t->n + 1), end;

	while (at > 0 && t->p[at - 1] != '\n')
		at--;
	end = at;
	while (end < t->n && t->p[end] != '\n')
		end++;
	*len = end - at + (end < t->n);
	return at;
}

static const char *const dict[] = {
	"service", "program", "kcalls", "primitives", "ipc", "ports", "irqs", "memory",
	"pci", "priority", "quantum", "print", "shutdown", "fork", "exit", "map", "unmap",
	"protect", "mapphys", "setgrant", "safecopy", "vcopy", "irqctl", "devio",
	"setpriv", "alarm", "getinfo", "getevent", "setregs", "getregs", "send",
	"receive", "sendrec", "notify", "sendnb", "replyrecv", "user", "beta", "alpha",
	"syscalls", "read", "write", "openat", "close", "faccessat2", "exit_group",
	"file", "bootimage",
	"0", "1", "2", "15", "16", "100", "101", "0x0", "0xfff", "0x1000", "0xffff",
	"0x10000", "-1", "-0", "+1", "4294967296", "18446744073709551615",
	"18446744073709551616", "0xffffffffffffffff", "0x1000-0x1fff",
	"0-0xffffffffffffffff", "0xfffffffffffff000-0xffffffffffffffff", "1-0", "-", "--",
	"8086:100e", ":", "::", "0x", "#", " ", "\t", "\n", "\r\n", "\r", "",
	"abcdefghijklmnop", "abcdefghijklmno", "prog/gamma.bin", "prog", "/", "..",
	"prog/missing.bin", "%s%n%x", "\xff\xfe", "\x01",
};
#define NDICT (sizeof(dict) / sizeof(dict[0]))

static void mutate(struct text *t)
{
	static const char bytes[] = " \t\n\r#-:0123456789xabcdefABCDEF\xff\x80\x7f";
	size_t at, len, k;
	char c, *s;

	switch (rn(9)) {
	case 0:	/* replace a byte */
		if (t->n) {
			at = rn(t->n);
			t->p[at] = rn(4) ? bytes[rn(sizeof(bytes) - 1)] : (char)rn(256);
		}
		break;
	case 1:	/* delete a few bytes */
		if (t->n)
			t_delete(t, rn(t->n), 1 + rn(8));
		break;
	case 2:	/* insert a word */
		s = (char *)dict[rn(NDICT)];
		at = rn(t->n + 1);
		t_insert(t, at, s, strlen(s));
		if (rn(2))
			t_insert(t, at, " ", 1);
		break;
	case 3:	/* replace a word */
		at = rn(t->n + 1);
		while (at < t->n && !strchr(" \t\n", t->p[at]))
			at++;
		at += at < t->n;
		len = 0;
		while (at + len < t->n && !strchr(" \t\n", t->p[at + len]))
			len++;
		t_delete(t, at, len);
		s = (char *)dict[rn(NDICT)];
		t_insert(t, at, s, strlen(s));
		break;
	case 4:	/* repeat a line, up to enough to pass every limit */
		at = pick_line(t, &len);
		if (len && len < 4096) {
			char *line = malloc(len + 1);
			memcpy(line, t->p + at, len);
			if (line[len - 1] != '\n')
				line[len++] = '\n';
			for (k = 1 + rn(rn(2) ? 3 : 40); k; k--)
				t_insert(t, at, line, len);
			free(line);
		}
		break;
	case 5:	/* delete a line */
		at = pick_line(t, &len);
		t_delete(t, at, len);
		break;
	case 6:	/* a long line: around the tool's 1024-byte buffer, or far beyond */
		len = rn(3) ? 1000 + rn(60) : 1 + rn(5000);
		s = malloc(len + 1);
		c = rn(2) ? '#' : bytes[rn(sizeof(bytes) - 1)];
		for (k = 0; k < len; k++)
			s[k] = rn(8) ? 'x' : c;
		s[len] = '\n';
		at = pick_line(t, &k);
		t_insert(t, at, s, len + 1);
		free(s);
		break;
	case 7:	/* truncate */
		t->n = rn(t->n + 1);
		break;
	case 8:	/* swap two characters */
		if (t->n > 1) {
			at = rn(t->n - 1);
			c = t->p[at], t->p[at] = t->p[at + 1], t->p[at + 1] = c;
		}
		break;
	}
}

static bool t_fuzz(void)
{
	const char *seed_env = getenv("FUZZ_SEED"), *n_env = getenv("FUZZ_N");
	uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : 1;
	int n = n_env ? atoi(n_env) : 500, i, accepted = 0, refused = 0, bad = 0;
	char *base_path = path_in(fixtures, "good/alpha.svc");
	char *mf = path_in(work, "fuzz.svc"), *out = path_in(work, "fuzz.img");
	size_t base_len;
	unsigned char *base = read_file(base_path, &base_len);
	const char *const mfs[] = { mf, "good/beta.svc", "good/user.svc" };

	CHECK(base != NULL);
	setenv("ASAN_OPTIONS", "abort_on_error=1:detect_leaks=0:halt_on_error=1", 1);
	setenv("UBSAN_OPTIONS", "abort_on_error=1:halt_on_error=1:print_stacktrace=1", 1);
	rng_state = seed * 0x9e3779b97f4a7c15ull | 1;
	for (i = 0; i < n; i++) {
		struct text t = { malloc(base_len), base_len, base_len };
		struct run r;
		bool ok;
		int k;

		memcpy(t.p, base, base_len);
		for (k = 1 + (int)rn(4); k; k--)
			mutate(&t);
		write_file(mf, t.p, t.n);
		run_bin(mkimage_san, out, mfs, 3, &r);
		ok = r.exited && (r.code == 0 || r.code == 1) &&
		     !strstr(r.err, "Sanitizer") && !strstr(r.err, "runtime error");
		if (ok && r.code == 0) {
			accepted++;
			/* then the image must be whole */
			ok = valid_image_at(out) && r.err[0] == 0;
		} else if (ok) {
			refused++;
			/* then an error naming a file and line, and no image */
			ok = !strncmp(r.err, "mkimage: ", 9) && strstr(r.err, ".svc:") &&
			     !valid_image_at(out);
		}
		if (!ok) {
			char keep[64], *kp;

			snprintf(keep, sizeof(keep), "fuzz-fail-%d.svc", i);
			kp = path_in(work, keep);
			write_file(kp, t.p, t.n);
			printf("# fuzz case %d (FUZZ_SEED=%llu) failed; input kept in %s\n", i,
			       (unsigned long long)seed, kp);
			show_run(&r);
			free(kp);
			if (++bad >= 5)
				i = n;
		}
		free_run(&r);
		free(t.p);
	}
	printf("# fuzz: %d cases, %d accepted, %d refused, %d failed\n", n, accepted, refused,
	       bad);
	free(base), free(base_path), free(mf), free(out);
	CHECK(bad == 0);
	/* the mutations should reach both outcomes, or they test little */
	CHECK(n < 100 || (accepted > n / 20 && refused > n / 20));
	return true;
}

/* The sanitized build (the one fuzzed) makes the same image as the plain one. */
static bool t_sanitizer_works(void)
{
	char *out = path_in(work, "san.img");
	struct img im;
	struct run r;

	setenv("ASAN_OPTIONS", "abort_on_error=1:detect_leaks=0:halt_on_error=1", 1);
	run_bin(mkimage_san, out, good_mf, NGOOD, &r);
	if (!r.exited || r.code)
		show_run(&r);
	CHECK(r.exited && r.code == 0);
	free_run(&r);
	NEED_GOOD();
	CHECK(load_image(out, &im));
	CHECK(im.size == good.size && !memcmp(im.data, good.data, im.size));
	free(im.data), free(out);
	return true;
}

/* ---- main ---- */

static char *absolute(const char *p)
{
	char *r = realpath(p, NULL);

	if (!r) {
		printf("# %s: %s\n", p, strerror(errno));
		exit(2);
	}
	return r;
}

int main(int argc, char **argv)
{
	const char *s = getenv("MKIMAGE_STRICT");

	if (argc != 5) {
		fprintf(stderr, "usage: test_mkimage MKIMAGE MKIMAGE_SANITIZED FIXTURES WORKDIR\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mkimage = absolute(argv[1]);
	mkimage_san = absolute(argv[2]);
	fixtures = absolute(argv[3]);
	work = absolute(argv[4]);
	strict = s && *s && strcmp(s, "0");

	report("mkimage_good_image_builds", t_good_builds(), NULL);
	report("mkimage_header", t_header(), NULL);
	report("mkimage_names_in_order", t_names_order(), NULL);
	report("mkimage_kcall_bits", t_kcalls(), NULL);
	report("mkimage_kcall_every_name", t_kcalls_all_names(), NULL);
	report("mkimage_primitive_bits", t_primitives(), NULL);
	report("mkimage_ipc_bits", t_ipc_to(), NULL);
	report("mkimage_ipc_bits_follow_image_order", t_ipc_follows_order(), NULL);
	report("mkimage_syscall_owners", t_syscall_owners(), NULL);
	report("mkimage_syscall_every_name", t_syscall_every_name(), NULL);
	report("mkimage_port_ranges", t_ports(), NULL);
	report("mkimage_irq_bits", t_irqs(), NULL);
	report("mkimage_memory_ranges", t_memory(), NULL);
	report("mkimage_pci_ids", t_pci(), NULL);
	report("mkimage_priority_quantum_and_defaults", t_priority_quantum(), NULL);
	report("mkimage_priv_exact", t_priv_exact(), NULL);
	report("mkimage_restart_policy_and_defaults", t_restart_policy(), NULL);
	report("mkimage_program_offsets", t_program_layout(), NULL);
	report("mkimage_program_bytes", t_program_bytes(), NULL);
	report("mkimage_crlf_same_image", t_crlf(), NULL);
	report("mkimage_48_services_not_49", t_max_services(), NULL);
	report("mkimage_usage", t_usage(), NULL);
	report("mkimage_sanitized_build_same_image", t_sanitizer_works(), NULL);

	run_bads();
	run_badlines();
	report("mkimage_no_output_on_parse_error", t_no_output_on_parse_error(), NULL);

	report("mkimage_no_output_on_program_error", t_no_output_on_program_error(), NULL);
	report("mkimage_unknown_key_without_values", t_unknown_key_without_values(), NULL);
	report("mkimage_comment_after_service_name", t_comment_after_service(), NULL);
	report("mkimage_comment_after_program", t_comment_after_program(), NULL);
	report("mkimage_tab_in_service_name", t_tab_in_service_name(), NULL);
	report("mkimage_directory_as_program", t_directory_as_program(), NULL);
	report("mkimage_memory_full_range_size", t_memory_size_wraps(), NULL);
	report("mkimage_long_line", t_long_comment_line(), NULL);
	report("mkimage_ipc_error_names_its_line", t_ipc_error_line(), NULL);
	report("mkimage_negative_zero", t_negative_zero(), NULL);

	report("mkimage_fuzz", t_fuzz(), NULL);
	return nfail ? 1 : 0;
}
