/*
 * The kernel fuzzer: FUZZ_ITERS random traps. rax is drawn over the whole
 * range (Linux numbers, IPC primitives, kernel calls, the gaps, garbage);
 * arguments from hostile classes: 0, small, -1, powers of two, huge,
 * non-canonical, kernel addresses (direct map, image), pointers into our
 * own mapped, unmapped, read-only, executable and code pages, buffers that
 * straddle a page boundary, endpoints of live boot processes, of our
 * children, stale generations and pseudo endpoints.
 *
 * The fuzzer holds every kernel call and primitive. It may not do what
 * would legitimately end the test rather than test the kernel; the
 * deny-list (sanitize() below) is:
 *   D1 KC_SHUTDOWN: powers the machine off.
 *   D2 KC_EXIT of itself (SELF or its own endpoint): ends the run. (It is
 *      nobody's parent but its children's, so it cannot end the
 *      supervisor or echo; the kernel refuses that and is fuzzed on it.)
 *   D3 KC_UNMAP / KC_PROTECT of itself over its program, data or stack
 *      (and KC_MAP within 1 MiB below the stack, so that no long copy can
 *      run from a fresh mapping into the stack): it would fault.
 *   D4 Any pointer argument into its own writable data, bss or stack is
 *      moved into the scratch area: the kernel would rightly write there.
 *   D5 KC_VCOPY into another boot process's memory (VCOPY is the POSIX
 *      servers' trusted copy; it may write anywhere by design).
 *   D6 KC_SETPRIV of itself, and rewriting the privilege sets of the boot
 *      services (RS's power: it could take away the supervisor's rights);
 *      a spec given to a child never has a priority above 8.
 *   D7 KC_SETREGS of a child at a rip inside our program: the child would
 *      run our code with our rights (KC_SHUTDOWN included). Such rips
 *      become child_entry.
 *   D8 KC_PRINT of our own readable memory other than the print page: it
 *      could print "ok ..." or "bulkhead: tests done" and fool the runner.
 * The manifest gives it one harmless I/O port (0x80) and IRQ line (5)
 * and a VGA text page, so DEVIO, IRQCTL and MAPPHYS get past the
 * privilege check.
 */
#include "fuzz.h"

#define SCR		0x10000000ul	/* scratch layout, rebuilt now and then */
#define SCR_PAGES	12
#define P_RW0		0	/* 0..3 read-write, random contents */
#define P_RO		4	/* read-only */
#define P_GAP		5	/* unmapped */
#define P_RW1		6	/* read-write: SETREGS/SETPRIV buffers */
#define P_RX		7	/* read-execute */
#define P_PRINT		8	/* read-only, printable text */
#define P_GAP2		9	/* unmapped */
#define MAPAREA		0x20000000ul	/* where self-maps go when redirected */
#define STACK_LO	(0x00007FFFFFFFF000ul - 64 * 1024)
#define STACK_GUARD	(1ul << 20)
#define NCHILD		32
#define VGA		0xb8000ul

static endpoint_t self_ep, sup_ep, echo_ep;
static uint32_t self_priv, sup_priv, echo_priv;
static uint64_t prog_lo, prog_hi, data_lo, data_hi;	/* probed at start */
static endpoint_t child[NCHILD];
static int nchild;
static endpoint_t seen[64];	/* endpoints met so far, for stale generations */
static unsigned nseen;
static unsigned long stat_class[8], stat_ok, stat_err[160], stat_denied;

static void note_endpoint(endpoint_t e)
{
	if (e > 0)
		seen[nseen++ % 64] = e;
}

/* ---- our own memory ---------------------------------------------------- */

static int page_mapped(uint64_t va)
{
	return kcall(KC_DMA, DMA_PHYS, va, 0, 0, 0, 0) >= 0;
}

static int page_writable(uint64_t va)
{
	/* copy a byte onto itself: fails unless the page is writable */
	return sys_vcopy(0, va, 0, va, 1) == 0;
}

static void probe_layout(void)
{
	uint64_t va;

	prog_lo = 0x400000;
	prog_hi = prog_lo;
	for (va = prog_lo; va < prog_lo + (16ul << 20); va += PAGE) {
		if (!page_mapped(va))
			break;
		if (page_writable(va)) {
			if (!data_lo)
				data_lo = va;
			data_hi = va + PAGE;
		} else if (!data_lo) {
			prog_hi = va + PAGE;
		}
	}
	printf("fuzz: layout: code+rodata %lx-%lx, data+bss %lx-%lx, stack %lx-%lx\n",
	    prog_lo, prog_hi, data_lo, data_hi, STACK_LO, STACK_LO + 64 * 1024);
}

static void build_scratch(void)
{
	static const char text[] = "  (fuzz print page)\n";
	uint64_t i;

	sys_unmap(SELF, SCR, SCR_PAGES * PAGE);
	if (sys_map(SELF, SCR, 4 * PAGE, PROT_R | PROT_W) ||
	    sys_map(SELF, SCR + P_RO * PAGE, PAGE, PROT_R | PROT_W) ||
	    sys_map(SELF, SCR + P_RW1 * PAGE, PAGE, PROT_R | PROT_W) ||
	    sys_map(SELF, SCR + P_RX * PAGE, PAGE, PROT_R | PROT_W) ||
	    sys_map(SELF, SCR + P_PRINT * PAGE, PAGE, PROT_R | PROT_W)) {
		sys_unmap(SELF, SCR, SCR_PAGES * PAGE);	/* out of memory: no scratch this round */
		return;
	}
	for (i = 0; i < 5 * PAGE; i += 8)
		*(volatile uint64_t *)(SCR + i) = rnd_below(4) ? rnd() : (rnd() & 0xffffffff);
	for (i = 0; i < PAGE; i++)
		*(volatile char *)(SCR + P_PRINT * PAGE + i) = text[i % (sizeof(text) - 1)];
	for (i = 0; i < PAGE; i++)	/* ud2: a child sent here faults */
		*(volatile uint8_t *)(SCR + P_RX * PAGE + i) = (i & 1) ? 0x0b : 0x0f;
	sys_protect(SELF, SCR + P_RO * PAGE, PAGE, PROT_R);
	sys_protect(SELF, SCR + P_RX * PAGE, PAGE, PROT_R | PROT_X);
	sys_protect(SELF, SCR + P_PRINT * PAGE, PAGE, PROT_R);
}

/* ---- value generators -------------------------------------------------- */

static uint64_t rand_ptr(void)
{
	switch (rnd_below(16)) {
	case 0: case 1: return SCR + rnd_below(4 * PAGE);
	case 2: return SCR + P_RO * PAGE + rnd_below(PAGE);
	case 3: return SCR + P_GAP * PAGE + rnd_below(PAGE);
	case 4: return SCR + P_RO * PAGE - 1 - rnd_below(80);		/* rw | ro */
	case 5: return SCR + P_GAP * PAGE - 1 - rnd_below(80);		/* ro | gap */
	case 6: return SCR + P_RX * PAGE - 1 - rnd_below(80);		/* rw | rx */
	case 7: return prog_lo + rnd_below(prog_hi - prog_lo);		/* code, rodata */
	case 8: return 0xFFFF800000000000ul + rnd_below(1ul << 30);	/* direct map */
	case 9: return 0xFFFFFFFF80000000ul + rnd_below(4ul << 20);	/* kernel image */
	case 10: return 0x0000800000000000ul + rnd_below(1ul << 40);	/* non-canonical */
	case 11: return USER_TOP - 1 - rnd_below(128);
	case 12: return rnd_below(2 * PAGE);				/* null page */
	case 13: return data_lo + rnd_below(data_hi - data_lo);	/* sanitized (D4) */
	case 14: return MAPAREA + rnd_below(16 * PAGE);
	default: return SCR + P_RW1 * PAGE + rnd_below(PAGE);
	}
}

static endpoint_t rand_endpoint(void)
{
	endpoint_t e;

	switch (rnd_below(14)) {
	case 0: return SELF;
	case 1: return -(endpoint_t)rnd_below(7);			/* ANY .. beyond SYSTEM */
	case 2: return sup_ep;
	case 3: return echo_ep;
	case 4: return self_ep;
	case 5: case 6: return nchild ? child[rnd_below(nchild)] : self_ep;
	case 7: case 8:							/* stale or future generation */
		e = nseen ? seen[rnd_below(nseen < 64 ? nseen : 64)] : echo_ep;
		return MAKE_ENDPOINT(ENDPOINT_GEN(e) + (rnd_below(2) ? 1 : -1), ENDPOINT_SLOT(e));
	case 9: return MAKE_ENDPOINT(1 + (endpoint_t)rnd_below(4), (endpoint_t)rnd_below(NR_SLOTS));
	case 10: return (endpoint_t)rnd();
	case 11: return 0x7fffffff;
	case 12: return (endpoint_t)0x80000000u;
	default: return (endpoint_t)rnd_below(NR_SLOTS);		/* generation 0 */
	}
}

static uint64_t rand_len(void)
{
	switch (rnd_below(8)) {
	case 0: return 0;
	case 1: return rnd_below(128);
	case 2: return PAGE * (1 + rnd_below(4));
	case 3: return PAGE * (1 + rnd_below(64)) + rnd_below(2);
	case 4: return (uint64_t)-1 - rnd_below(PAGE);
	case 5: return 1ul << rnd_below(64);
	case 6: return USER_TOP - rnd_below(2) * PAGE;
	default: return rnd_below(PAGE);
	}
}

static uint64_t rand_val(void)
{
	switch (rnd_below(12)) {
	case 0: return 0;
	case 1: return rnd_below(16);
	case 2: return (uint64_t)-1;
	case 3: return (uint64_t)-(int64_t)(1 + rnd_below(256));
	case 4: return 1ul << rnd_below(64);
	case 5: return (1ul << rnd_below(64)) - 1;
	case 6: return rnd();
	case 7: return (uint64_t)(uint32_t)rand_endpoint() | (rnd_below(4) ? 0 : rnd() << 32);
	case 8: case 9: return rand_ptr();
	case 10: return rand_len();
	default: return (uint64_t)(int64_t)rand_endpoint();
	}
}

static uint64_t rand_nr(void)
{
	unsigned c = (unsigned)rnd_below(20);

	if (c < 3) {			/* Linux */
		stat_class[0]++;
		return rnd_below(4) ? rnd_below(512) : rnd_below(IPC_BASE);
	}
	if (c < 6) {			/* IPC primitives, and the two either side */
		stat_class[1]++;
		return IPC_BASE + rnd_below(IPC_NR_PRIMITIVES + 1);
	}
	if (c < 18) {			/* kernel calls */
		stat_class[2]++;
		return KCALL_BASE + rnd_below(NR_KCALLS);
	}
	stat_class[3]++;		/* garbage */
	switch (rnd_below(4)) {
	case 0: return IPC_BASE + IPC_NR_PRIMITIVES + rnd_below(KCALL_BASE - IPC_BASE - IPC_NR_PRIMITIVES);
	case 1: return KCALL_BASE + NR_KCALLS + rnd_below(64);
	case 2: return (KCALL_BASE + rnd_below(NR_KCALLS)) | (1ul << (32 + rnd_below(32)));
	default: return rnd();
	}
}

/* ---- the deny-list ----------------------------------------------------- */

static int in_range(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v >= lo && v < hi;
}

static int overlaps(uint64_t va, uint64_t len, uint64_t lo, uint64_t hi)
{
	uint64_t end = va + len < va ? ~0ul : va + len;

	return va < hi && end > lo;
}

/* D4: no pointer into our own writable memory, whatever the call. */
static uint64_t safe_ptr(uint64_t v)
{
	if (in_range(v, data_lo, data_hi) || in_range(v, STACK_LO - STACK_GUARD, USER_TOP)) {
		stat_denied++;
		return SCR + (v & (PAGE - 1));
	}
	return v;
}

static int is_self(uint64_t target)
{
	return target == 0 || target == (uint64_t)(uint32_t)self_ep;
}

static int is_child(endpoint_t e)
{
	int i;

	for (i = 0; i < nchild; i++)
		if (child[i] == e)
			return 1;
	return 0;
}

/* D7: read the register block the kernel would read, fix rip, hand it our
 * copy. Reading goes through VCOPY so that an unmapped buffer cannot fault
 * us. */
static struct user_regs regs_buf;
static struct priv_spec spec_buf;

static uint64_t safe_regs(uint64_t p)
{
	struct user_regs *u = &regs_buf;

	if (sys_vcopy(0, p, 0, (uint64_t)u, sizeof(*u)) != 0)
		return p;	/* the kernel will say EFAULT */
	if (in_range(u->rip, prog_lo, prog_hi) || rnd_below(3) == 0) {
		extern void fuzz_child_entry(void);
		u->rip = (uint64_t)fuzz_child_entry;
		u->rsp = SCR + (P_RW1 + 1) * PAGE - 72;
	}
	return (uint64_t)u;
}

/* D6: the spec a child may get. */
static uint64_t safe_spec(uint64_t p)
{
	struct priv_spec *s = &spec_buf;

	if (!p || sys_vcopy(0, p, 0, (uint64_t)s, sizeof(*s)) != 0)
		return p;
	if (s->priority < 8)
		s->priority = 8 + s->priority;
	return (uint64_t)s;
}

static int sanitize(uint64_t nr, uint64_t a[6])
{
	unsigned k = (unsigned)(nr - KCALL_BASE);
	int i;

	for (i = 0; i < 6; i++)
		a[i] = safe_ptr(a[i]);
	if (nr < KCALL_BASE || nr >= KCALL_BASE + NR_KCALLS)
		return 0;
	switch (k) {
	case KC_SHUTDOWN:						/* D1 */
		return -1;
	case KC_EXIT:							/* D2 */
		if (is_self(a[0]))
			return -1;
		break;
	case KC_UNMAP: case KC_PROTECT:					/* D3 */
		if (is_self(a[0]) && (overlaps(a[1], a[2], prog_lo, data_hi) ||
		    overlaps(a[1], a[2], STACK_LO - STACK_GUARD, USER_TOP))) {
			stat_denied++;
			a[1] = MAPAREA + (a[1] & (PAGE - 1));
			a[2] &= 64 * PAGE - 1;
		}
		break;
	case KC_DMA:
		if (overlaps(a[1], a[2], STACK_LO - STACK_GUARD, USER_TOP)) {
			stat_denied++;
			a[1] = MAPAREA + (a[1] & (PAGE - 1));
		}
		break;
	case KC_MAP:
		if (is_self(a[0]) && overlaps(a[1], a[2], STACK_LO - STACK_GUARD, USER_TOP)) {
			stat_denied++;
			a[1] = MAPAREA + (a[1] & (PAGE - 1));
			a[2] &= 64 * PAGE - 1;
		}
		break;
	case KC_VCOPY:							/* D5 */
		if (a[2] && !is_self(a[2]) && !is_child((endpoint_t)a[2]) &&
		    ((endpoint_t)a[2] == sup_ep || (endpoint_t)a[2] == echo_ep ||
		    ENDPOINT_SLOT((endpoint_t)a[2]) == ENDPOINT_SLOT(sup_ep) ||
		    ENDPOINT_SLOT((endpoint_t)a[2]) == ENDPOINT_SLOT(echo_ep) ||
		    ENDPOINT_SLOT((endpoint_t)a[2]) == ENDPOINT_SLOT(self_ep))) {
			stat_denied++;
			a[2] = 0;
		}
		break;
	case KC_SETPRIV:						/* D6 */
		if (is_self(a[0]))
			return -1;
		if (a[2] && (a[1] == sup_priv || a[1] == echo_priv || a[1] == self_priv)) {
			stat_denied++;
			a[1] = 3 + rnd_below(NR_PRIVS - 3);
		}
		a[2] = safe_spec(a[2]);
		break;
	case KC_SETREGS:						/* D7 */
		a[1] = safe_regs(a[1]);
		break;
	case KC_PRINT:							/* D8 */
		if (a[0] < USER_TOP && !in_range(a[0], SCR + P_PRINT * PAGE, SCR + (P_GAP2 + 1) * PAGE) &&
		    !in_range(a[0], SCR + P_GAP * PAGE, SCR + (P_GAP + 1) * PAGE) && a[0] >= PAGE) {
			stat_denied++;
			a[0] = SCR + P_PRINT * PAGE + (a[0] & 63);
		}
		break;
	}
	return 0;
}

/* ---- structured arguments per call -------------------------------------- */

static void args_for(uint64_t nr, uint64_t a[6])
{
	int i;

	for (i = 0; i < 6; i++)
		a[i] = rand_val();
	if (rnd_below(4) == 0)
		return;		/* a quarter stay fully random */
	if (nr >= IPC_BASE && nr < IPC_BASE + IPC_NR_PRIMITIVES + 1) {
		a[0] = (uint64_t)(int64_t)rand_endpoint();
		a[1] = rand_ptr();
		a[2] = (uint64_t)(int64_t)rand_endpoint();
		return;
	}
	if (nr < KCALL_BASE || nr >= KCALL_BASE + NR_KCALLS)
		return;
	switch (nr - KCALL_BASE) {
	case KC_PRINT:
		a[0] = rnd_below(4) ? SCR + P_PRINT * PAGE + rnd_below(2 * PAGE) : rand_ptr();
		a[1] = rnd_below(4) ? rnd_below(80) : rand_len();
		break;
	case KC_FORK:
		a[0] = (uint64_t)(int64_t)rand_endpoint();
		a[1] = rnd_below(4) ? rnd_below(2) : rand_val();
		break;
	case KC_EXIT: case KC_STOP: case KC_GETREGS: case KC_SETREGS:
		a[0] = (uint64_t)(int64_t)(nchild && rnd_below(2) ? child[rnd_below(nchild)] : rand_endpoint());
		a[1] = rand_ptr();
		break;
	case KC_MAP: case KC_UNMAP: case KC_PROTECT:
		a[0] = (uint64_t)(int64_t)(rnd_below(2) ? SELF : rand_endpoint());
		a[1] = rnd_below(2) ? MAPAREA + PAGE * rnd_below(32) : (rnd_below(2) ? SCR + PAGE * rnd_below(SCR_PAGES) : rand_val());
		a[2] = rnd_below(2) ? PAGE * (1 + rnd_below(8)) : rand_len();
		a[3] = rnd_below(8);
		break;
	case KC_MAPPHYS:
		a[0] = MAPAREA + PAGE * (64 + rnd_below(8));
		a[1] = rnd_below(2) ? VGA + PAGE * rnd_below(2) : rand_val();
		a[2] = rnd_below(2) ? PAGE : rand_len();
		a[3] = rnd_below(8);
		break;
	case KC_SETGRANT:
		a[0] = rand_ptr();
		a[1] = rnd_below(2) ? rnd_below(8) : rand_val();
		break;
	case KC_SAFECOPY:
		a[0] = rnd_below(4);
		a[1] = (uint64_t)(int64_t)rand_endpoint();
		a[2] = rnd_below(2) ? rnd_below(8) : rand_val();
		a[3] = rand_len();
		a[4] = rand_ptr();
		a[5] = rand_len();
		break;
	case KC_VCOPY:
		a[0] = (uint64_t)(int64_t)rand_endpoint();
		a[1] = rand_ptr();
		a[2] = rnd_below(2) ? 0 : (uint64_t)(int64_t)rand_endpoint();
		a[3] = rand_ptr();
		a[4] = rand_len();
		break;
	case KC_IRQCTL:
		a[0] = rnd_below(6);
		a[1] = rnd_below(2) ? 5 : rnd_below(20);
		break;
	case KC_DEVIO:
		a[0] = rnd_below(8);
		a[1] = rnd_below(2) ? 0x80 - rnd_below(4) : rand_val();
		break;
	case KC_SETPRIV:
		a[0] = (uint64_t)(int64_t)(nchild && rnd_below(2) ? child[rnd_below(nchild)] : rand_endpoint());
		a[1] = rnd_below(70);
		a[2] = rnd_below(2) ? 0 : rand_ptr();
		break;
	case KC_ALARM:
		a[0] = rnd_below(2) ? rnd_below(4) : rand_val();
		break;
	case KC_GETINFO:
		a[0] = rnd_below(6);
		a[1] = rnd_below(2) ? rnd_below(NR_SLOTS + 2) : rand_ptr();
		a[2] = rand_ptr();
		a[3] = rnd_below(2) ? rnd_below(128) : rand_len();
		break;
	case KC_GETEVENT:
		a[0] = rand_ptr();
		break;
	case KC_DMA:
		a[0] = rnd_below(5);
		a[1] = rnd_below(2) ? MAPAREA + PAGE * (128 + rnd_below(16)) : rand_ptr();
		a[2] = rnd_below(2) ? PAGE * (1 + rnd_below(4)) : rand_len();
		break;
	}
}

/* ---- children ------------------------------------------------------------ */

/* A child started by SETREGS lands here (D7), or from a fork (returns 0). */
void fuzz_child_entry(void)
{
	uint64_t a[6] = { 0 };

	if (rnd_below(4) == 0) {	/* a page fault for the parent to see */
		volatile uint64_t bad = SCR + P_GAP * PAGE;
		*(volatile int *)bad = 1;
	}
	a[0] = (uint64_t)rand_endpoint();
	raw_trap(IPC_BASE + IPC_NOTIFY, a);
	sys_exit(SELF, 7);
	for (;;)
		;
}

/* Our children, as the kernel sees them. */
static void refresh_children(void)
{
	struct info_proc ip;
	struct fault_report r;
	int s;

	while (sys_getevent(&r) == 1)
		;
	nchild = 0;
	for (s = 0; s < NR_SLOTS && nchild < NCHILD; s++)
		if (sys_getinfo(INFO_PROC, s, &ip, sizeof(ip)) == sizeof(ip) &&
		    ip.parent == self_ep && !(ip.flags & 0x20))
			child[nchild++] = ip.endpoint;
}

static void end_children(void)
{
	int i, round;

	for (round = 0; round < 4; round++) {
		refresh_children();
		for (i = 0; i < nchild; i++)
			sys_exit(child[i], 0);
	}
	refresh_children();
}

/* ---- the loop -------------------------------------------------------------- */

int fuzz_kcall_main(endpoint_t self)
{
	uint64_t seed = fuzz_seed(), a[6], nr;
	struct info_proc ip;
	unsigned long i, blocked_ok = 0;
	long r;

	rng_state = seed;
	self_ep = self;
	sup_ep = lookup_endpoint("test");
	echo_ep = lookup_endpoint("echo");
	note_endpoint(sup_ep);
	note_endpoint(echo_ep);
	note_endpoint(self_ep);
	sys_getinfo(INFO_SELF, 0, &ip, sizeof(ip));
	self_priv = ip.priv_id;
	sys_getinfo(INFO_PROC, ENDPOINT_SLOT(sup_ep), &ip, sizeof(ip));
	sup_priv = ip.priv_id;
	sys_getinfo(INFO_PROC, ENDPOINT_SLOT(echo_ep), &ip, sizeof(ip));
	echo_priv = ip.priv_id;
	printf("fuzz: kcall fuzzer: seed 0x%lx, %lu traps (FUZZ_SEED=0x%lx FUZZ_ITERS=%lu to repeat)\n",
	    seed, (unsigned long)FUZZ_ITERS, seed, (unsigned long)FUZZ_ITERS);
	probe_layout();
	build_scratch();
	for (i = 0; i < FUZZ_ITERS; i++) {
		if (i % 1024 == 1023)
			build_scratch();
		if (i % 128 == 0)
			refresh_children();
		if (i % 5000 == 0 && i)
			printf("fuzz: %lu traps\n", i);
		nr = rand_nr();
		args_for(nr, a);
		if (nr == KCALL_BASE + KC_FORK && nchild >= NCHILD - 4) {
			nr = KCALL_BASE + KC_EXIT;	/* keep the slot table from filling */
			a[0] = (uint64_t)child[rnd_below(nchild)];
		}
		if (sanitize(nr, a)) {
			stat_denied++;
			continue;
		}
		/* Most receives find a notification waiting, so that the
		 * watchdog is needed only now and then. */
		if ((nr == IPC_BASE + IPC_RECEIVE || nr == IPC_BASE + IPC_REPLYRECV) && rnd_below(4)) {
			uint64_t n[6] = { (uint64_t)self_ep, 0, 0, 0, 0, 0 };
			raw_trap(IPC_BASE + IPC_NOTIFY, n);
		}
		r = raw_trap(nr, a);
		if (nr == KCALL_BASE + KC_FORK && r == 0)
			fuzz_child_entry();		/* we are the copy */
		if (nr == KCALL_BASE + KC_FORK && r > 0) {
			note_endpoint((endpoint_t)r);
			if (nchild < NCHILD)
				child[nchild++] = (endpoint_t)r;
		}
		if (r == -EINTR)
			blocked_ok++;
		if (r >= 0)
			stat_ok++;
		else if (-r < 160)
			stat_err[-r]++;
	}
	end_children();
	printf("fuzz: kcall fuzzer done: %lu traps (linux %lu, ipc %lu, kcall %lu, garbage %lu)\n",
	    (unsigned long)FUZZ_ITERS, stat_class[0], stat_class[1], stat_class[2], stat_class[3]);
	printf("fuzz: results: %lu ok, EPERM %lu EINVAL %lu EFAULT %lu ENOSYS %lu ENOMEM %lu "
	    "EEXIST %lu EDEADSRCDST %lu EDEADLK %lu EAGAIN %lu EINTR %lu (watchdog), %lu denied\n",
	    stat_ok, stat_err[EPERM], stat_err[EINVAL], stat_err[EFAULT], stat_err[ENOSYS],
	    stat_err[ENOMEM], stat_err[EEXIST], stat_err[EDEADSRCDST], stat_err[EDEADLK],
	    stat_err[EAGAIN], blocked_ok, stat_denied);
	return 0;
}
