/*
 * RS, the reincarnation server. The first service of a boot image, so the
 * kernel makes it the parent of every other boot service: their fault and
 * exit reports come here (a SYSTEM notification, then KC_GETEVENT). RS
 * restarts a failed service from the boot image, pings every service
 * periodically and restarts one that stops answering, publishes each
 * service's current endpoint in DS, and serves the `service` command
 * (contracts/rs.contract). It never blocks on anyone: it only receives,
 * replies and notifies with non-blocking primitives, and talks to DS by
 * SENDNB, so a hung service or a hung DS cannot hang RS.
 */
#include "reinc.h"
#include <rs.h>
#include <ds.h>

static struct svc svcs[IMAGE_MAX];
static int nsvcs;
static endpoint_t self;
static struct contract_monitor mon;	/* rs.contract, server side */
static struct contract_monitor ds_mon;	/* ds.contract, client side: DS's answers */
static int ds_waited;			/* RS ticks an answer from DS has been due */
static uint64_t rs_ticks;		/* RS clock wake-ups so far */

static const char *const cause_names[] = { "none", "exit", "crash", "no heartbeat", "killed" };

static uint64_t now(void)
{
	struct info_kernel k;

	if (sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k)) < 0)
		return 0;
	return k.ticks;
}

static struct svc *by_ep(endpoint_t ep)
{
	int i;

	for (i = 0; i < nsvcs; i++)
		if (svcs[i].ep == ep && ep != NONE)
			return &svcs[i];
	return NULL;
}

static struct svc *by_name(const void *name)
{
	int i;

	for (i = 0; i < nsvcs; i++)
		if (!strncmp(svcs[i].name, (const char *)name, IMAGE_NAME_LEN))
			return &svcs[i];
	return NULL;
}

/* Start s from the boot image. `failed`: this ends a failure (count it
 * and report the recovery time). */
static long start(struct svc *s, int failed)
{
	long ep = exec_service(&image()->entry[s->index], s->index);

	if (ep < 0) {
		printf("rs: cannot start %s: error %ld; giving up on it\n", s->name, ep);
		s->status = ST_FAILED;
		s->ep = NONE;
		return ep;
	}
	s->ep = (endpoint_t)ep;
	s->status = ST_UP;
	s->pinged = 0;
	s->missed = 0;
	s->publish = 1;
	if (failed) {
		s->restarts++;
		s->recovery = now() - s->fail_tick;
		printf("rs: %s restarted as endpoint %ld (restart %u) after %lu ticks, "
		    "%lu cycles\n", s->name, ep, s->restarts, s->recovery,
		    rdtsc() - s->fail_tsc);
	} else {
		printf("rs: %s started as endpoint %ld\n", s->name, ep);
	}
	return ep;
}

/*
 * s is gone (RS ended it, or it exited): apply its policy. The first
 * failure in a window restarts at once; later ones wait a doubling
 * back-off; more than `limit` in one window and RS gives up, so a service
 * that crashes in a loop cannot eat the machine.
 */
static void failed(struct svc *s, uint32_t cause, uint64_t detail, uint64_t when)
{
	const struct image_policy *p = s->pol;
	uint64_t t = now(), delay;

	s->fail_tsc = rdtsc();
	/* Recovery is measured from the failure itself: the kernel's tick of
	 * the fault or exit (fault_report.tick), else from now. */
	s->fail_tick = when && when <= t ? when : t;
	s->ep = NONE;
	s->cause = cause;
	s->detail = detail;
	if (cause == CAUSE_EXIT && detail == 0 && (p->flags & IMAGE_POL_ONESHOT)) {
		printf("rs: %s finished\n", s->name);
		s->status = ST_DOWN;
		return;
	}
	if (t - s->window_start > p->window) {
		s->window_start = t;
		s->window_fails = 0;
	}
	if (++s->window_fails > p->limit) {
		printf("rs: %s failed (%s %lu): %u failures in %u ticks, not restarting\n",
		    s->name, cause_names[cause], detail, s->window_fails, p->window);
		s->status = ST_FAILED;
		return;
	}
	delay = s->window_fails < 2 ? 0 : (uint64_t)p->backoff << (s->window_fails - 2);
	if (delay > RS_BACKOFF_MAX)
		delay = RS_BACKOFF_MAX;
	printf("rs: %s failed (%s %lu), restarting in %lu ticks\n", s->name,
	    cause_names[cause], detail, delay);
	if (!delay) {
		start(s, 1);
		return;
	}
	s->status = ST_WAIT;
	s->due = t + delay;
}

/* End a running service ourselves (RS is its parent). */
static void kill(struct svc *s)
{
	long r;

	if (s->ep != NONE && (r = sys_exit(s->ep, 0)) < 0)
		printf("rs: cannot end %s (endpoint %d): error %ld\n", s->name, s->ep, r);
	s->ep = NONE;
}

/* Fault and exit reports of our children. */
static void child_events(void)
{
	struct fault_report r;
	struct svc *s;

	while (sys_getevent(&r) == 1) {
		s = by_ep(r.endpoint);
		if (r.vector == EVENT_EXIT) {
			if (s)
				failed(s, CAUSE_EXIT, r.error, r.tick);
			continue;
		}
		/* A faulted child stays stopped until its parent ends it. */
		if (sys_exit(r.endpoint, 0) < 0)
			printf("rs: cannot end faulted endpoint %d\n", r.endpoint);
		if (s) {
			printf("rs: %s (endpoint %d) crashed: vector %u at rip %lx addr %lx\n",
			    s->name, r.endpoint, r.vector, r.rip, r.addr);
			failed(s, CAUSE_CRASH, r.vector, r.tick);
		} else {
			printf("rs: unknown child %d crashed, ended\n", r.endpoint);
		}
	}
}

/* Tell DS the endpoint of every service (re)started since the last time,
 * one at a time as the contract says (Publish, then Ok or Fail; the next
 * goes out when the answer is in). SENDNB: if DS is busy (or hung), RS
 * tries again at its next tick. */
static void publish_all(void)
{
	struct svc *ds = by_name((const uint8_t *)"ds");
	uint8_t key[32];
	message_t m;
	int i;

	if (!ds || ds->status != ST_UP || contract_state(&ds_mon, ds->ep) != DS_S_IDLE)
		return;		/* an answer is still due */
	for (i = 0; i < nsvcs; i++) {
		struct svc *s = &svcs[i];
		if (!s->publish || s->status != ST_UP)
			continue;
		memset(key, 0, sizeof(key));
		memcpy(key, s->name, IMAGE_NAME_LEN);
		/* kind 1: the endpoint travels in `owner`; value: restarts */
		if (ds_encode_Publish(&m, key, s->restarts, s->ep, 1) < 0 ||
		    contract_send(&ds_mon, ds->ep, &m, ipc_sendnb) < 0)
			return;
		s->publish = 2;		/* sent: DS answers to our receive */
		ds_waited = 0;
		return;
	}
}

/* DS's answer to the publication in flight, checked by the monitor (a
 * refused one is logged, and the publication is sent again at the tick). */
static void ds_answer(const message_t *m)
{
	struct svc *ds = by_name((const uint8_t *)"ds");
	struct ds_msg d;
	int i;

	if (!ds || m->source != ds->ep || ds_accept(&ds_mon, m, &d) < 0)
		return;
	for (i = 0; i < nsvcs; i++)
		if (svcs[i].publish == 2) {
			svcs[i].publish = d.type == DS_OK ? 0 : 1;
			return;
		}
}

/* The publication in flight has had no answer for a whole tick (DS hung
 * or restarted): begin the conversation afresh and publish it again. */
static void ds_timeout(void)
{
	struct svc *ds = by_name((const uint8_t *)"ds");
	int i, late;

	if (ds_waited < 2 && ++ds_waited < 2)
		return;
	late = ds && contract_state(&ds_mon, ds->ep) != DS_S_IDLE;
	for (i = 0; i < nsvcs; i++)
		if (svcs[i].publish == 2) {
			svcs[i].publish = 1;
			late = 1;
		}
	if (late)
		ds_monitor_init(&ds_mon, CONTRACT_CLIENT);
}

/* Every RS_TICK ticks: due restarts, heartbeats, pending publications. */
static void clock_tick(void)
{
	uint64_t t = now();
	int i, ping = ++rs_ticks % RS_PING_EVERY == 0;

	ds_timeout();
	for (i = 0; i < nsvcs; i++) {
		struct svc *s = &svcs[i];
		if (s->status == ST_WAIT && t >= s->due)
			start(s, 1);
		if (!ping || s->status != ST_UP || !s->pol->missed)
			continue;
		if (s->pinged && ++s->missed >= s->pol->missed) {
			printf("rs: %s (endpoint %d) missed %u heartbeats: killing it\n",
			    s->name, s->ep, s->missed);
			kill(s);
			failed(s, CAUSE_HANG, s->missed, 0);
			continue;
		}
		s->pinged = 1;
		if (ipc_notify(s->ep) < 0)
			printf("rs: cannot ping %s\n", s->name);
	}
	publish_all();
}

/* `service` requests (contracts/rs.contract). */
static void request(const message_t *raw)
{
	struct rs_msg m;
	struct svc *s;
	long r = 0;

	if (rs_accept(&mon, raw, &m) < 0)
		return;		/* refused and logged; the sender was told */
	if (m.type == RS_LIST) {
		uint32_t i = m.u.List.index;
		if (i >= (uint32_t)nsvcs) {
			rs_reply_Fail(&mon, m.peer, -ENOENT);
			return;
		}
		s = &svcs[i];
		rs_reply_Entry(&mon, m.peer, (const uint8_t *)s->name,
		    s->ep == NONE ? 0 : s->ep, s->restarts, s->status, s->cause,
		    s->detail, s->recovery);
		return;
	}
	/* Every other request names a service, at the same place. */
	if (!(s = by_name(m.u.Restart.name))) {
		rs_reply_Fail(&mon, m.peer, -ESRCH);
		return;
	}
	switch (m.type) {
	case RS_RESTART:
		if (s->status != ST_UP) {
			r = -ESRCH;
			break;
		}
		/* A person asked: restart now, outside the failure policy
		 * (no back-off, no limit), but count and time it. */
		printf("rs: %s: restart requested\n", s->name);
		kill(s);
		s->cause = CAUSE_KILLED;
		s->detail = 0;
		s->fail_tick = now();
		s->fail_tsc = rdtsc();
		r = start(s, 1);
		break;
	case RS_DOWN:
		printf("rs: %s: down requested\n", s->name);
		kill(s);
		s->status = ST_DOWN;
		break;
	case RS_UP:
		if (s->status == ST_UP) {
			r = -EEXIST;
			break;
		}
		s->window_fails = 0;
		r = start(s, 0);
		break;
	case RS_REFRESH:
		if (s->status != ST_UP) {
			r = -ESRCH;
			break;
		}
		printf("rs: %s: refresh requested\n", s->name);
		kill(s);
		r = start(s, 0);
		break;
	}
	if (r < 0)
		rs_reply_Fail(&mon, m.peer, (int32_t)r);
	else
		rs_reply_Done(&mon, m.peer, s->ep == NONE ? 0 : s->ep);
}

/* Take over the services the kernel started from the image: every program
 * entry but RS itself; their privilege id is their index. */
static int adopt(void)
{
	const struct image_header *h = image();
	struct info_proc me, ip;
	uint32_t i, slot;

	if (sys_getinfo(INFO_SELF, 0, &me, sizeof(me)) < 0)
		return -1;
	for (i = 0; i < h->count; i++) {
		const struct image_entry *e = &h->entry[i];
		struct svc *s;
		if (e->kind != IMAGE_PROGRAM || !e->size || i == me.priv_id ||
		    !strcmp(e->name, "user"))
			continue;
		s = &svcs[nsvcs++];
		memcpy(s->name, e->name, IMAGE_NAME_LEN);
		s->name[IMAGE_NAME_LEN - 1] = 0;
		s->index = i;
		s->ep = NONE;
		s->status = ST_DOWN;
		s->pol = &e->policy;	/* the manifest's restart and heartbeat lines */
		s->publish = 1;
		for (slot = 0; slot < NR_SLOTS; slot++)
			if (sys_getinfo(INFO_PROC, slot, &ip, sizeof(ip)) > 0 &&
			    ip.priv_id == i && ip.parent == self) {
				s->ep = ip.endpoint;
				s->status = ST_UP;
			}
	}
	return 0;
}

static void log_line(const char *line)
{
	printf("rs: %s\n", line);
}

int main(endpoint_t ep, const char *name)
{
	message_t m;
	int r;

	self = ep;
	contract_log_hook = log_line;
	rs_monitor_init(&mon, CONTRACT_SERVER);
	ds_monitor_init(&ds_mon, CONTRACT_CLIENT);
	if ((r = image_open()) < 0 || adopt() < 0) {
		/* Still the parent: end what faults, as init did, but restart
		 * nothing. */
		printf("%s: cannot read the boot image (error %d): no recovery\n", name, r);
		for (;;) {
			struct fault_report fr;
			if (ipc_receive(SYSTEM, &m) < 0)
				continue;
			while (sys_getevent(&fr) == 1)
				if (fr.vector != EVENT_EXIT)
					sys_exit(fr.endpoint, 0);
		}
	}
	printf("%s: watching %d services (endpoint %d)\n", name, nsvcs, ep);
	if (ds_mirror_init() < 0)
		printf("%s: no grant table: DS's state will not survive its restart\n", name);
	ds_mirror_follow(by_name((const uint8_t *)"ds"));
	publish_all();
	sys_alarm(RS_TICK);
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.source == SYSTEM) {
			child_events();
		} else if (m.source == CLOCK) {
			clock_tick();
			sys_alarm(RS_TICK);
		} else if (m.type == MSG_NOTIFY) {
			struct svc *s = by_ep(m.source);
			if (s)
				s->pinged = 0, s->missed = 0;	/* heartbeat answer */
		} else if (DS_OWNS(m.type)) {
			ds_answer(&m);
		} else {
			request(&m);
		}
		publish_all();	/* a restarted service is findable at once */
		ds_mirror_follow(by_name((const uint8_t *)"ds"));
	}
}
