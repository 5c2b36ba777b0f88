/*
 * DS survives its own restart (servers/ds/dsstate.h, docs/recovery.md):
 * with the real RS and DS manifests (tests/system/dsr.image), this test
 * stores values in DS, subscribes to a name, has RS restart DS (`service
 * restart ds`), and checks that the new DS answers every lookup as the
 * old one did: stored values with their publisher, the endpoints RS
 * published, the subscription (the new DS notifies us when RS publishes
 * its new endpoint). Then it stores a new value and has DS killed right
 * after each store, several times: no answered store is lost.
 */
#include "../../../user/service/service.c"
#include "../../../servers/ds/dsc.h"
#include "../test.h"

#define WAIT_TICKS	500	/* hang guard only */
#define KILLS		5

static uint64_t ticks_now(void)
{
	struct info_kernel ik;

	return sys_getinfo(INFO_KERNEL, 0, &ik, sizeof(ik)) < 0 ? 0 : ik.ticks;
}

static int restart_ds(void)
{
	char *argv[] = { "service", "restart", "ds", NULL };

	return service_run(3, argv, NULL, 0);
}

/* After a restart: find the new DS by name (RS names it), not the cache. */
static endpoint_t new_ds(endpoint_t old)
{
	uint64_t deadline = ticks_now() + WAIT_TICKS;
	endpoint_t ep;
	message_t m;

	while ((ep = lookup_endpoint("ds")) == old || ep < 0) {
		if (ticks_now() >= deadline)
			return -EAGAIN;
		sys_alarm(1);
		ipc_receive(CLOCK, &m);
	}
	dsc_ep = ep;
	return ep;
}

/* Wait until DS names endpoint want for name (RS publishes with
 * non-blocking sends, so the first publications may come a little late). */
static endpoint_t wait_published(const char *name, endpoint_t want)
{
	uint64_t deadline = ticks_now() + WAIT_TICKS;
	endpoint_t ep;
	message_t m;

	while ((ep = dsc_endpoint(name)) != want && ticks_now() < deadline) {
		sys_alarm(2);
		ipc_receive(CLOCK, &m);
	}
	return ep;
}

/* A NOTIFY from endpoint from, within the guard; 0 or -EAGAIN. */
static int notified_by(endpoint_t from)
{
	uint64_t deadline = ticks_now() + WAIT_TICKS;
	message_t m;

	while (ticks_now() < deadline) {
		sys_alarm(10);
		if (ipc_receive(ANY, &m) == 0 && m.type == MSG_NOTIFY && m.source == from)
			return 0;
	}
	return -EAGAIN;
}

int main(endpoint_t self)
{
	endpoint_t ds = lookup_endpoint("ds"), nds, owner;
	uint64_t v;
	char key[16];
	int i, lost = 0;

	CHECK_EQ("dsr_rs_publishes_ds", wait_published("ds", ds), ds);
	CHECK_EQ("dsr_rs_publishes_test", wait_published("test", self), self);
	CHECK_EQ("dsr_store_a", dsc_store("dsr_a", 0x1234abcd), 0);
	CHECK_EQ("dsr_store_b", dsc_store("dsr_b", 42), 0);
	CHECK_EQ("dsr_subscribe_ds", dsc_subscribe("ds"), 0);

	CHECK_EQ("dsr_restart_ds", restart_ds(), 0);
	nds = new_ds(ds);
	check("dsr_new_ds_endpoint", nds > 0 && nds != ds, nds);
	/* RS publishes the new endpoint; the restored subscription tells us */
	CHECK_EQ("dsr_subscription_survives", notified_by(nds), 0);
	CHECK_EQ("dsr_lookup_a_after_restart", dsc_lookup("dsr_a", &v, &owner), 0);
	CHECK_EQ("dsr_value_a_survives", v, 0x1234abcd);
	CHECK_EQ("dsr_publisher_a_survives", owner, self);
	CHECK_EQ("dsr_lookup_b_after_restart", dsc_lookup("dsr_b", &v, NULL), 0);
	CHECK_EQ("dsr_value_b_survives", v, 42);
	CHECK_EQ("dsr_endpoint_of_ds_is_new", dsc_endpoint("ds"), nds);
	CHECK_EQ("dsr_endpoint_of_test_survives", dsc_endpoint("test"), self);
	CHECK_EQ("dsr_update_after_restart", dsc_store("dsr_b", 43), 0);
	CHECK_EQ("dsr_value_b_updated", dsc_lookup("dsr_b", &v, NULL) == 0 ? (long)v : -1, 43);

	/* kill DS right after each answered store: none may be lost */
	for (i = 0; i < KILLS; i++) {
		ds = nds;
		snprintf(key, sizeof(key), "dsr_k%d", i);
		if (dsc_store(key, (uint64_t)i + 100) < 0 || restart_ds() < 0 ||
		    (nds = new_ds(ds)) < 0) {
			lost = -1;
			break;
		}
		if (dsc_lookup("dsr_k0", &v, NULL) < 0 || v != 100 ||
		    dsc_lookup(key, &v, NULL) < 0 || v != (uint64_t)i + 100)
			lost++;
	}
	CHECK_EQ("dsr_no_store_lost_across_kills", lost, 0);
	CHECK_EQ("dsr_value_a_after_kills", dsc_lookup("dsr_a", &v, NULL) == 0 ? (long)v : -1,
	    0x1234abcd);
	tests_finish();
}
