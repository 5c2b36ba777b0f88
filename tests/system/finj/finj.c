/*
 * finj: the fault injector (issue 6; docs/reliability.md, "Fault
 * injection"). It mutates the code of a running driver or server the way
 * the MINIX 3 (Herder et al., DSN 2009) and Nooks experiments did, at
 * random instructions, while a workload uses it; RS detects what follows
 * and restarts the target from the boot image, which the injection never
 * touches (KC_INJECT writes only the target's own frames).
 *
 * Its boot image (tools/faultinject builds it) carries two data entries:
 * `finj.conf`, lines of `key value`:
 *	target NAME	the service to inject into
 *	seed N		the random seed (0: from the TSC); printed
 *	faults N	how many faults to inject, then idle
 *	interval N	ticks between two faults
 *	batch N		faults of one type per trial; a trial ends when the
 *			target fails (RS restarts it), or after N faults,
 *			when finj has RS restart it so that no latent fault
 *			of this type is blamed on the next
 *	start N		ticks to wait before the first fault
 *	pace N		ticks to wait after a failure of the target before the
 *			next trial, so that the campaign stays inside RS's
 *			restart limit (a limit RS gives up at is not what is
 *			measured here)
 *	types A,B	the fault types to cycle through (default: all)
 *	plant ADDR HEX	before the first fault: write these bytes (hex) at
 *			ADDR (decimal) in the target, once -- a chosen fault,
 *			for a regression test that must hit the same one
 *	client NAME	the plant waits until NAME has been idle 50 ticks
 * and `finj.sites`, the target's instruction table (sites.h), made on the
 * host by tools/faultsites from objdump.
 *
 * Every fault is one console line, `finj: fault N TYPE at ADDR ...`, and
 * every trial's end one more; the host counts them beside RS's lines.
 * Privileges (tests/system/svc/finj.svc): KC_INJECT and KC_VCOPY on any
 * process, the boot image read-only, `ipc rs` for the restarts. Run
 * without `inject` (finj_denied.svc) it prints the refusal and idles.
 */
#include "../../../user/service/service.c"
#include "../../../servers/ds/heartbeat.h"
#include <bulkhead/image.h>
#include "sites.h"

#define IMAGE_VA	0x100000000ul	/* where finj sees the boot image */
#define PAGE		4096ul
#define STACK_TOP	0x00007FFFFFFFF000ul	/* as the kernel and RS place it */
#define STACK_SIZE	(64 * 1024ul)

enum fault_type {
	F_SRC_REG, F_DST_REG, F_POINTER, F_SKIP, F_BRANCH, F_BITFLIP, F_LOOP,
	F_WILD_WRITE, NR_FAULT_TYPES
};
static const char *const type_names[NR_FAULT_TYPES] = {
	"src-reg", "dst-reg", "pointer", "skip", "branch", "bitflip", "loop", "wild-write",
};

static struct {
	char target[IMAGE_NAME_LEN];
	char client[IMAGE_NAME_LEN];
	uint64_t seed, faults, interval, batch, start, pace;
	uint32_t types;		/* bit per enum fault_type */
	uint64_t plant_at;
	uint8_t plant[16];
	uint32_t plant_len;
} conf = { "", "", 0, 100, 10, 10, 100, 0, (1u << NR_FAULT_TYPES) - 1, 0, { 0 }, 0 };

static const struct sites_header *sh;
static const struct fault_site *site;
static const char *self_name;
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* Sleep n ticks, answering RS's heartbeat meanwhile. */
static void wait_ticks(uint64_t n)
{
	message_t m;

	if (sys_alarm(n ? n : 1) < 0)
		return;
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.source == CLOCK)
			return;
		rs_heartbeat(&m);
	}
}

/* The data entry named name in the boot image, or NULL. */
static const uint8_t *image_file(const struct image_header *h, uint64_t img_size,
    const char *name, uint64_t *size)
{
	uint32_t i;

	for (i = 0; i < h->count; i++) {
		const struct image_entry *e = &h->entry[i];
		if (e->kind != IMAGE_FILE || strncmp(e->name, name, IMAGE_NAME_LEN) ||
		    e->offset > img_size || e->size > img_size - e->offset)
			continue;
		*size = e->size;
		return (const uint8_t *)h + e->offset;
	}
	return NULL;
}

static uint64_t parse_number(const char *s)
{
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

/* A comma-separated list of fault type names as a bit mask; 0 if any
 * name is unknown. */
static uint32_t parse_types(const char *v)
{
	uint32_t mask = 0;
	int t;

	while (*v) {
		const char *end = v;
		while (*end && *end != ',')
			end++;
		for (t = 0; t < NR_FAULT_TYPES; t++)
			if (strlen(type_names[t]) == (size_t)(end - v) &&
			    !strncmp(type_names[t], v, (size_t)(end - v)))
				break;
		if (t == NR_FAULT_TYPES)
			return 0;
		mask |= 1u << t;
		v = *end ? end + 1 : end;
	}
	return mask;
}

/* "ADDR HEX": the plant key's value; 0 if well formed. */
static int parse_plant(const char *v)
{
	int half = 0, d;

	conf.plant_at = parse_number(v);
	while (*v && *v != ' ')
		v++;
	for (conf.plant_len = 0; *v; v++) {
		if (*v == ' ')
			continue;
		d = *v >= '0' && *v <= '9' ? *v - '0' : *v >= 'a' && *v <= 'f' ? *v - 'a' + 10 : -1;
		if (d < 0 || conf.plant_len == sizeof(conf.plant))
			return -EINVAL;
		conf.plant[conf.plant_len] = (uint8_t)(conf.plant[conf.plant_len] << 4 | d);
		if (++half == 2)
			half = 0, conf.plant_len++;
	}
	return conf.plant_at && conf.plant_len && !half ? 0 : -EINVAL;
}

/* `key value` lines; unknown keys are refused so a typo is not ignored. */
static int parse_conf(const char *t, uint64_t n)
{
	char line[160];
	uint64_t i = 0, k;

	while (i < n) {
		for (k = 0; i < n && t[i] != '\n'; i++)
			if (k < sizeof(line) - 1)
				line[k++] = t[i];
		line[k] = 0;
		i++;
		char *v = line;
		while (*v && *v != ' ')
			v++;
		if (!*v)
			continue;
		*v++ = 0;
		if (!strcmp(line, "target"))
			strncpy(conf.target, v, sizeof(conf.target) - 1);
		else if (!strcmp(line, "client"))
			strncpy(conf.client, v, sizeof(conf.client) - 1);
		else if (!strcmp(line, "seed"))
			conf.seed = parse_number(v);
		else if (!strcmp(line, "faults"))
			conf.faults = parse_number(v);
		else if (!strcmp(line, "interval"))
			conf.interval = parse_number(v);
		else if (!strcmp(line, "batch"))
			conf.batch = parse_number(v);
		else if (!strcmp(line, "start"))
			conf.start = parse_number(v);
		else if (!strcmp(line, "pace"))
			conf.pace = parse_number(v);
		else if (!strcmp(line, "types") && (conf.types = parse_types(v)))
			;
		else if (!strcmp(line, "plant") && !parse_plant(v))
			;
		else {
			printf("%s: finj.conf: bad line '%s %s'\n", self_name, line, v);
			return -EINVAL;
		}
	}
	return conf.target[0] ? 0 : -EINVAL;
}

static int load_inputs(void)
{
	const struct image_header *h = (const void *)IMAGE_VA;
	const uint8_t *c, *s;
	struct info_kernel k;
	uint64_t cn, sn;
	long r;

	if ((r = sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k))) < 0 ||
	    (r = sys_mapphys(IMAGE_VA, k.boot_image_phys,
	    (k.boot_image_size + PAGE - 1) & ~(PAGE - 1), PROT_R)) < 0)
		return (int)r;
	if (k.boot_image_size < sizeof(*h) || memcmp(h->magic, IMAGE_MAGIC, 8) ||
	    h->count > IMAGE_MAX ||
	    h->count * sizeof(struct image_entry) > k.boot_image_size - sizeof(*h))
		return -ENOEXEC;
	if (!(c = image_file(h, k.boot_image_size, "finj.conf", &cn)) ||
	    !(s = image_file(h, k.boot_image_size, "finj.sites", &sn)))
		return -ENOENT;
	if ((r = parse_conf((const char *)c, cn)) < 0)
		return (int)r;
	sh = (const void *)s;
	if (sn < sizeof(*sh) || memcmp(sh->magic, SITES_MAGIC, 8) || !sh->count ||
	    sh->count > (sn - sizeof(*sh)) / sizeof(struct fault_site))
		return -ENOEXEC;
	site = (const void *)(sh + 1);
	return 0;
}

/* A 3-bit register field at bit shift of *b, changed to another value. */
static void change_field(uint8_t *b, int shift)
{
	*b ^= (uint8_t)((1 + rnd_below(7)) << shift);
}

/*
 * Mutate the instruction bytes b (a copy of site f in the target) for
 * fault type t; 0 if this site cannot take it (the caller draws another).
 * Each mutation keeps the instruction's length, so the code after it
 * still decodes as before.
 */
static int mutate(enum fault_type t, const struct fault_site *f, uint8_t *b)
{
	uint8_t *m = &b[f->modrm_at];
	int mod3 = (f->flags & SITE_MODRM) && (*m >> 6) == 3;
	int mem = (f->flags & SITE_MODRM) && !mod3;

	switch (t) {
	case F_SRC_REG:		/* the register an instruction reads */
		if (mod3 && (f->flags & SITE_REG_OPERAND))
			change_field(m, (f->flags & (SITE_REG_IS_DST | SITE_NO_DST)) ==
			    SITE_REG_IS_DST ? 0 : 3);
		else if (mem && (f->flags & SITE_REG_OPERAND) && !(f->flags & SITE_REG_IS_DST))
			change_field(m, 3);	/* the value a store writes */
		else
			return 0;
		return 1;
	case F_DST_REG:		/* the register an instruction writes */
		if (mod3 && !(f->flags & SITE_NO_DST))
			change_field(m, (f->flags & SITE_REG_IS_DST) ? 3 : 0);
		else if (mem && (f->flags & SITE_REG_OPERAND) && (f->flags & SITE_REG_IS_DST))
			change_field(m, 3);	/* the register a load fills */
		else
			return 0;
		return 1;
	case F_POINTER:		/* the address a memory operand computes */
		if (!mem)
			return 0;
		if (f->disp_at)
			b[f->disp_at + rnd_below(f->disp_len)] ^= (uint8_t)(1 << rnd_below(8));
		else if ((*m & 7) != 4 && (*m & 7) != 5) {
			do
				change_field(m, 0);
			while ((*m & 7) == 4 || (*m & 7) == 5);	/* no SIB, no disp */
		} else
			return 0;
		return 1;
	case F_SKIP:		/* the instruction is not executed */
		memset(b, 0x90, f->len);
		return 1;
	case F_BRANCH:		/* the opposite condition (Jcc: bit 0) */
		if (!(f->flags & SITE_JCC))
			return 0;
		b[f->opc_at] ^= 1;
		return 1;
	case F_BITFLIP:
		b[rnd_below(f->len)] ^= (uint8_t)(1 << rnd_below(8));
		return 1;
	case F_LOOP:		/* jmp to itself */
		if (f->len < 2)
			return 0;
		b[0] = 0xEB, b[1] = 0xFE;
		return 1;
	default:
		return 0;
	}
}

/* Write 8 random bytes at a random address of the target's data, bss or
 * stack: its own wild store, done for it. */
static long wild_write(endpoint_t ep, uint64_t *at)
{
	uint64_t lo = sh->data_lo, n = sh->data_hi - sh->data_lo, v = rnd();
	int tries;
	long r = -EFAULT;

	for (tries = 0; tries < 16 && r == -EFAULT; tries++) {
		if (rnd_below(2))
			*at = (lo + rnd_below(n)) & ~7ul;
		else
			*at = (STACK_TOP - STACK_SIZE + rnd_below(STACK_SIZE)) & ~7ul;
		r = sys_inject(ep, *at, &v, sizeof(v));
	}
	return r;
}

/* One fault of type t into ep; prints its line. */
static long inject_one(endpoint_t ep, enum fault_type t, uint64_t n)
{
	const struct fault_site *f;
	uint8_t b[16];
	uint64_t at;
	int tries;
	long r;

	if (t == F_WILD_WRITE) {
		if ((r = wild_write(ep, &at)) >= 0)
			printf("%s: fault %lu %s at %lx in %s (endpoint %d)\n", self_name, n,
			    type_names[t], at, conf.target, ep);
		return r;
	}
	for (tries = 0; tries < 1000; tries++) {
		f = &site[rnd_below(sh->count)];
		if (f->len > sizeof(b) || f->addr < sh->text_lo || f->addr + f->len > sh->text_hi)
			continue;
		if ((r = sys_vcopy(ep, f->addr, SELF, (uint64_t)b, f->len)) < 0)
			return r;
		if (!mutate(t, f, b))
			continue;
		if ((r = sys_inject(ep, f->addr, b, f->len)) < 0)
			return r;
		printf("%s: fault %lu %s at %x in %s (endpoint %d)\n", self_name, n,
		    type_names[t], f->addr, conf.target, ep);
		return 0;
	}
	return -ENOENT;
}

/* Wait until ep (the target's client) has received nothing for
 * IDLE_TICKS (or 300 ticks have passed), so a planted fault meets the
 * next request, not one already in flight. The client, not the target: a
 * driver also receives its (maybe shared) interrupt line's notifications. */
#define IDLE_TICKS	50
static void wait_idle(endpoint_t ep)
{
	uint64_t last = ~0ull;
	struct info_proc ip;
	int quiet = 0, i;

	if (ep < 0)
		return;
	for (i = 0; i < 300 && quiet < IDLE_TICKS; i++) {
		if (sys_getinfo(INFO_PROC, ENDPOINT_SLOT(ep), &ip, sizeof(ip)) <= 0 ||
		    ip.endpoint != ep)
			return;
		quiet = ip.ipc_received == last ? quiet + 1 : 0;
		last = ip.ipc_received;
		wait_ticks(1);
	}
}

/* Have RS start a clean copy of the target, and wait for it. */
static endpoint_t restart_target(endpoint_t old)
{
	char *argv[] = { "service", "restart", conf.target, NULL };
	endpoint_t ep;
	int i;

	if (service_run(3, argv, NULL, 0) < 0)
		printf("%s: restart of %s refused\n", self_name, conf.target);
	for (i = 0; i < 1000; i++) {
		ep = lookup_endpoint(conf.target);
		if (ep >= 0 && ep != old)
			return ep;
		wait_ticks(1);
	}
	return old;
}

int main(endpoint_t self, const char *name)
{
	uint64_t n = 0, in_trial = 0, trials = 0;
	enum fault_type t = F_SRC_REG;
	endpoint_t ep, cur;
	long r = 0;

	(void)self;
	self_name = name;
	if ((r = load_inputs()) < 0) {
		printf("%s: no usable finj.conf/finj.sites in the boot image: error %ld\n", name, r);
		for (;;)
			wait_ticks(1000);
	}
	rng = conf.seed;
	if (!rng)
		rng = __builtin_ia32_rdtsc() | 1;
	printf("%s: %lu faults into %s, every %lu ticks, %lu per trial, seed %lu, %u sites\n",
	    name, conf.faults, conf.target, conf.interval, conf.batch, rng, sh->count);
	while (!(conf.types & (1u << t)))
		t++;
	wait_ticks(conf.start);
	cur = lookup_endpoint(conf.target);
	if (conf.plant_len) {
		wait_idle(conf.client[0] ? lookup_endpoint(conf.client) : cur);
		r = sys_inject(cur, conf.plant_at, conf.plant, conf.plant_len);
		printf("%s: planted %u bytes at %lx in %s (endpoint %d): %ld\n", name,
		    conf.plant_len, conf.plant_at, conf.target, cur, r);
	}
	while (r != -EPERM && n < conf.faults) {
		wait_ticks(conf.interval);
		ep = lookup_endpoint(conf.target);
		if (ep < 0)
			continue;	/* being restarted */
		if (ep != cur || in_trial == conf.batch) {
			if (ep != cur) {
				printf("%s: trial %lu %s: %s failed after %lu faults\n", name, trials,
				    type_names[t], conf.target, in_trial);
				wait_ticks(conf.pace);
			} else {
				printf("%s: trial %lu %s: no failure after %lu faults: restarting %s\n",
				    name, trials, type_names[t], in_trial, conf.target);
				ep = restart_target(ep);
			}
			trials++;
			do
				t = (enum fault_type)((t + 1) % NR_FAULT_TYPES);
			while (!(conf.types & (1u << t)));
			in_trial = 0;
			cur = ep;
			continue;
		}
		r = inject_one(ep, t, n + 1);
		if (r == -EPERM)
			break;
		if (r < 0) {	/* the target died under us: next round sees it */
			printf("%s: injection into endpoint %d failed: error %ld\n", name, ep, r);
			continue;
		}
		n++;
		in_trial++;
	}
	if (r == -EPERM)
		printf("%s: KC_INJECT refused (error %ld): not privileged\n", name, r);
	/* End the last trial as the others end: its latent faults go */
	if (r != -EPERM && n) {
		printf("%s: trial %lu %s: ended by the campaign: restarting %s\n", name, trials,
		    type_names[t], conf.target);
		(void)restart_target(lookup_endpoint(conf.target));
	}
	printf("%s: done: %lu faults in %lu trials\n", name, n, trials);
	for (;;)
		wait_ticks(1000);
}
