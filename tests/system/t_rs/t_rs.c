/*
 * Recovery tests (image tests/system/rs.image, RS first). A service is
 * killed four ways -- an injected crash, an exit, an infinite loop caught
 * only by the heartbeat, and `service restart` -- and each time must come
 * back with a new endpoint, found through a DS subscription, serve correct
 * answers, and keep the state it stored in DS. `service list` must show the
 * restarts and their causes, a service that crashes in a loop must be given
 * up after its restart limit, and down/up must work. With recovery off,
 * every wait for a new endpoint times out and the checks fail.
 * Prints `metric rs_recovery_*` lines: fault to serving again, in ticks and
 * in TSC cycles (guest instructions under tools/qemu --bench).
 */
#include "../test.h"
#include <victim.h>
#include "../../../servers/ds/dsc.h"
#include "../../../user/service/service.c"

#define WAIT_TICKS	500	/* 5 s of guest time: far above any recovery */

static char out[4096];

static uint64_t ticks_now(void)
{
	struct info_kernel k;

	return sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k)) < 0 ? 0 : k.ticks;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static struct contract_monitor victim_mon;

/* One request of the victim's contract: its answer, or a negative errno. */
static long call(endpoint_t ep, int type, uint64_t arg)
{
	struct victim_msg r;
	int e;

	switch (type) {
	case VICTIM_ECHO:	e = victim_call_Echo(&victim_mon, ep, arg, &r); break;
	case VICTIM_ADD:	e = victim_call_Add(&victim_mon, ep, arg, &r); break;
	case VICTIM_CRASH:	e = victim_call_Crash(&victim_mon, ep, &r); break;
	case VICTIM_EXIT:	e = victim_call_Exit(&victim_mon, ep, &r); break;
	case VICTIM_LOOP:	e = victim_call_Loop(&victim_mon, ep, &r); break;
	default:		return -EINVAL;
	}
	if (e < 0)
		return e;
	return r.type == VICTIM_VALUE ? (long)r.u.Value.value : -EPROTO;
}

/* Wait until DS names an endpoint for `name` other than `old`: DS notifies
 * us (we subscribed) when RS publishes it; the clock bounds the wait. */
static endpoint_t wait_endpoint(const char *name, endpoint_t old)
{
	uint64_t deadline = ticks_now() + WAIT_TICKS;
	message_t m;
	endpoint_t ep;

	for (;;) {
		ep = dsc_endpoint(name);
		if (ep > 0 && ep != old)
			return ep;
		if (ticks_now() >= deadline)
			return -EAGAIN;
		sys_alarm(10);		/* also look again now and then */
		if (ipc_receive(ANY, &m) < 0)
			return -EINTR;
	}
}

/* Let `ticks` pass. */
static void sleep_ticks(uint64_t ticks)
{
	uint64_t end = ticks_now() + ticks;
	message_t m;

	while (ticks_now() < end) {
		sys_alarm(end - ticks_now());
		ipc_receive(CLOCK, &m);
	}
}

/* RS's table entry for name (rs.contract Entry), via a List walk. */
static int entry_of(const char *name, struct rs_Entry *e)
{
	static struct contract_monitor mon;
	endpoint_t rs = lookup_endpoint("rs");
	struct rs_msg m;
	uint32_t i;

	rs_monitor_init(&mon, CONTRACT_CLIENT);
	for (i = 0; rs_call_List(&mon, rs, i, &m) == 0 && m.type == RS_ENTRY; i++)
		if (!strncmp((const char *)m.u.Entry.name, name, 16)) {
			*e = m.u.Entry;
			return 0;
		}
	return -ENOENT;
}

/* Kill the victim one way and check that it comes back and serves, no
 * sooner than min_backoff ticks after the failure (its manifest's
 * `restart backoff 25`: 25 before the 2nd restart in a window, 50 before
 * the 3rd). */
static endpoint_t kill_and_recover(const char *way, endpoint_t ep, int type,
    uint32_t want_cause, uint64_t want_detail, uint32_t want_restarts, uint64_t min_backoff,
    uint64_t *sum)
{
	char name[80];
	struct rs_Entry e;
	uint64_t t0 = ticks_now(), c0 = rdtsc();
	endpoint_t nep;
	long r;

	if (type) {
		snprintf(name, sizeof(name), "rs_%s_caller_sees_dead_server", way);
		CHECK_EQ(name, call(ep, type, 0), -EDEADSRCDST);
	} else {
		char *argv[] = { "service", "restart", "rs_victim", NULL };
		snprintf(name, sizeof(name), "rs_%s_service_restart_ok", way);
		CHECK_EQ(name, service_run(3, argv, NULL, 0), 0);
	}
	nep = wait_endpoint("rs_victim", ep);
	snprintf(name, sizeof(name), "rs_%s_new_endpoint_in_ds", way);
	check(name, nep > 0 && nep != ep, nep);
	snprintf(name, sizeof(name), "rs_%s_restarted_serves", way);
	CHECK_EQ(name, call(nep, VICTIM_ECHO, 41), 42);
	printf("metric rs_recovery_%s_ticks %lu\n", way, ticks_now() - t0);
	printf("metric rs_recovery_%s_cycles %lu\n", way, rdtsc() - c0);
	snprintf(name, sizeof(name), "rs_%s_old_endpoint_dead", way);
	CHECK_EQ(name, call(ep, VICTIM_ECHO, 1), -EDEADSRCDST);
	snprintf(name, sizeof(name), "rs_%s_state_in_ds_survives", way);
	*sum += 1;
	CHECK_EQ(name, call(nep, VICTIM_ADD, 1), *sum);
	r = entry_of("rs_victim", &e);
	snprintf(name, sizeof(name), "rs_%s_listed_cause", way);
	check(name, r == 0 && e.cause == want_cause && e.detail == want_detail &&
	    e.ep == nep && e.status == 1, r ? r : (long)e.cause * 1000 + (long)e.detail);
	snprintf(name, sizeof(name), "rs_%s_listed_restarts", way);
	CHECK_EQ(name, e.restarts, want_restarts);
	if (min_backoff) {
		snprintf(name, sizeof(name), "rs_%s_waited_manifest_backoff", way);
		check(name, e.recovery >= min_backoff, (long)e.recovery);
	}
	return nep;
}

/* The line of `service list` output that starts with name, or NULL. */
static const char *line_of(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while (*p) {
		if (!strncmp(p, name, n) && p[n] == ' ')
			return p;
		while (*p && *p != '\n')
			p++;
		if (*p)
			p++;
	}
	return NULL;
}

static int line_has(const char *line, const char *want)
{
	size_t n = strlen(want);

	for (; line && *line && *line != '\n'; line++)
		if (!strncmp(line, want, n))
			return 1;
	return 0;
}

int main(void)
{
	char *list[] = { "service", "list", NULL };
	char *down[] = { "service", "down", "rs_victim", NULL };
	char *up[] = { "service", "up", "rs_victim", NULL };
	char want[80];
	struct rs_Entry e;
	uint64_t sum = 0, t;
	endpoint_t ep;
	const char *l;

	victim_monitor_init(&victim_mon, CONTRACT_CLIENT);
	CHECK_EQ("rs_ds_subscribe", dsc_subscribe("rs_victim"), 0);
	ep = wait_endpoint("rs_victim", 0);
	check("rs_victim_published_in_ds", ep > 0, ep);
	CHECK_EQ("rs_victim_published_endpoint_is_live", ep, lookup_endpoint("rs_victim"));
	CHECK_EQ("rs_victim_serves", call(ep, VICTIM_ECHO, 1), 2);
	CHECK_EQ("rs_victim_add", call(ep, VICTIM_ADD, 5), 5);
	CHECK_EQ("rs_victim_add_again", call(ep, VICTIM_ADD, 7), 12);
	sum = 12;

	ep = kill_and_recover("crash", ep, VICTIM_CRASH, 2, 14, 1, 0, &sum);
	ep = kill_and_recover("exit", ep, VICTIM_EXIT, 1, 3, 2, 25, &sum);
	ep = kill_and_recover("loop", ep, VICTIM_LOOP, 3, 4, 3, 50, &sum);
	ep = kill_and_recover("service_kill", ep, 0, 4, 0, 4, 0, &sum);

	/* `service list`, as a person would read it. */
	CHECK_EQ("rs_service_list_runs", service_run(2, list, out, sizeof(out)), 0);
	l = line_of(out, "rs_victim");
	{
		char c1[24], c2[24], c3[24];
		snprintf(want, sizeof(want), "%s %8d %8u %s %s", col(c1, "rs_victim", 15),
		    ep, 4, col(c2, "up", 10), col(c3, "killed", 22));
	}
	check("rs_service_list_victim_line", l && !strncmp(l, want, strlen(want)), l ? 1 : 0);
	check("rs_service_list_shows_ds", line_has(line_of(out, "ds"), " up "), 0);

	/* The crash loop: restarted `limit` (3) times, then given up. */
	t = ticks_now() + WAIT_TICKS;
	while (entry_of("rs_crashy", &e) == 0 && e.status != 4 && ticks_now() < t)
		sleep_ticks(5);
	CHECK_EQ("rs_crash_loop_given_up", e.status, 4);
	CHECK_EQ("rs_crash_loop_restart_limit", e.restarts, 3);
	check("rs_crash_loop_cause_is_page_fault", e.cause == 2 && e.detail == 14, (long)e.detail);
	sleep_ticks(50);
	entry_of("rs_crashy", &e);
	CHECK_EQ("rs_crash_loop_stays_down", e.restarts * 10 + e.status, 34);
	service_run(2, list, out, sizeof(out));
	check("rs_service_list_crashy_failed",
	    line_has(line_of(out, "rs_crashy"), " failed ") &&
	    line_has(line_of(out, "rs_crashy"), "crash(page fault)"), 0);

	/* down and up */
	CHECK_EQ("rs_service_down", service_run(3, down, NULL, 0), 0);
	CHECK_EQ("rs_down_service_is_gone", call(ep, VICTIM_ECHO, 1), -EDEADSRCDST);
	entry_of("rs_victim", &e);
	CHECK_EQ("rs_down_listed", e.status, 2);
	sleep_ticks(50);
	entry_of("rs_victim", &e);
	CHECK_EQ("rs_down_stays_down", e.status, 2);
	CHECK_EQ("rs_service_up", service_run(3, up, NULL, 0), 0);
	ep = wait_endpoint("rs_victim", ep);
	CHECK_EQ("rs_up_serves", call(ep, VICTIM_ECHO, 9), 10);
	CHECK_EQ("rs_up_state_survives", call(ep, VICTIM_ADD, 0), sum);
	entry_of("rs_victim", &e);
	CHECK_EQ("rs_up_is_not_a_failure", e.restarts, 4);
	service_run(2, list, NULL, 0);
	tests_finish();
}
