/*
 * IPC system tests: every primitive, ANY, notifications pending and
 * delivered, a send to a dead endpoint, an invalid endpoint, deadlock
 * refusal, bad buffers, and the exit report of a child.
 */
#include "../test.h"
#include "../proto.h"

static endpoint_t echo_ep, peer_ep, dier_ep;

static void test_child_exit(void)
{
	struct fault_report r;

	/* dier exited at start: its parent (us) gets the exit report. */
	CHECK_EQ("exit_report_delivered", wait_child_event(&r), 0);
	CHECK_EQ("exit_report_endpoint", r.endpoint, dier_ep);
	CHECK_EQ("exit_report_is_exit", r.vector, EVENT_EXIT);
	CHECK_EQ("exit_report_status", r.error, 7);
	CHECK_EQ("exit_report_fetched_once", sys_getevent(&r), 0);
}

static void test_sendrec(void)
{
	message_t m;

	memset(&m, 0, sizeof(m));
	m.type = CMD_ECHO;
	m.u.q[0] = 41;
	CHECK_EQ("ipc_sendrec_returns_zero", ipc_sendrec(echo_ep, &m), 0);
	CHECK_EQ("ipc_sendrec_reply_payload", m.u.q[0], 42);
	CHECK_EQ("ipc_sendrec_reply_source_set_by_kernel", m.source, echo_ep);
	/* A thousand round trips: the fast path must keep the same semantics. */
	int i, bad = 0;
	for (i = 0; i < 1000; i++) {
		m.source = 12345;
		m.u.q[0] = (uint64_t)i;
		if (ipc_sendrec(echo_ep, &m) || m.u.q[0] != (uint64_t)i + 1 || m.source != echo_ep)
			bad++;
	}
	CHECK_EQ("ipc_sendrec_1000_round_trips", bad, 0);

	/* A buffer across a page boundary takes the careful copy. */
	static uint8_t two_pages[8192] __attribute__((aligned(4096)));
	message_t *split = (message_t *)(two_pages + 4096 - 24);
	split->type = CMD_ECHO;
	split->u.q[6] = 0x5555;
	split->u.q[0] = 1000;
	CHECK_EQ("ipc_sendrec_buffer_across_pages", ipc_sendrec(echo_ep, split), 0);
	check("ipc_sendrec_across_pages_reply", split->u.q[0] == 1001 && split->u.q[6] == 0x5555 &&
	    split->source == echo_ep, (long)split->u.q[0]);
}

static void test_send_receive(void)
{
	message_t m;

	memset(&m, 0, sizeof(m));
	m.type = CMD_SEND_BACK;
	m.u.q[0] = 99;
	CHECK_EQ("ipc_send_blocks_until_delivered", ipc_send(peer_ep, &m), 0);
	CHECK_EQ("ipc_receive_from_specific", ipc_receive(peer_ep, &m), 0);
	CHECK_EQ("ipc_receive_payload", m.u.q[0], 100);
	CHECK_EQ("ipc_receive_source", m.source, peer_ep);

	m.type = CMD_SEND_BACK;
	m.u.q[0] = 7;
	ipc_send(peer_ep, &m);
	CHECK_EQ("ipc_receive_any", ipc_receive(ANY, &m), 0);
	CHECK_EQ("ipc_receive_any_source", m.source, peer_ep);
	CHECK_EQ("ipc_receive_any_payload", m.u.q[0], 8);
}

static void test_blocked_sender(void)
{
	message_t m;
	struct info_proc ip;

	memset(&m, 0, sizeof(m));
	m.type = CMD_SEND_LATER;
	ipc_send(peer_ep, &m);
	/* Let peer run while we accept only the clock: it blocks sending to
	 * us, and its message waits in its own memory. */
	sys_alarm(2);
	ipc_receive(CLOCK, &m);
	sys_getinfo(INFO_PROC, ENDPOINT_SLOT(peer_ep), &ip, sizeof(ip));
	check("ipc_sender_blocked_while_receiver_busy", ip.flags != 0, ip.flags);
	/* A send to a process blocked sending to us closes a cycle. */
	m.type = CMD_ECHO;
	CHECK_EQ("ipc_deadlock_send_cycle_refused", ipc_send(peer_ep, &m), -EDEADLK);
	CHECK_EQ("ipc_deadlock_sendrec_cycle_refused", ipc_sendrec(peer_ep, &m), -EDEADLK);
	CHECK_EQ("ipc_blocked_sender_delivered_on_receive", ipc_receive(peer_ep, &m), 0);
	CHECK_EQ("ipc_blocked_sender_message_type", m.type, CMD_SEND_LATER);
	sys_getinfo(INFO_SELF, 0, &ip, sizeof(ip));
	CHECK_EQ("ipc_send_to_self_refused", ipc_send(ip.endpoint, &m), -EDEADLK);
}

static void test_notify(void)
{
	message_t m;

	memset(&m, 0, sizeof(m));
	m.type = CMD_NOTIFY_BACK;
	ipc_send(peer_ep, &m);
	CHECK_EQ("ipc_notify_received", ipc_receive(peer_ep, &m), 0);
	CHECK_EQ("ipc_notify_type", m.type, MSG_NOTIFY);
	CHECK_EQ("ipc_notify_source", m.source, peer_ep);

	/* peer waits on the clock; a notify must not block and stays pending. */
	m.type = CMD_WAIT_CLOCK;
	m.u.q[0] = 20;
	ipc_sendrec(peer_ep, &m);		/* answer: "about to wait" */
	CHECK_EQ("ipc_sendnb_to_busy_receiver_eagain", ipc_sendnb(peer_ep, &m), -EAGAIN);
	CHECK_EQ("ipc_notify_never_blocks", ipc_notify(peer_ep), 0);
	m.type = CMD_LAST_NOTIFY;
	CHECK_EQ("ipc_alarm_wakes_receiver", ipc_sendrec(peer_ep, &m), 0);
	struct info_proc self;
	sys_getinfo(INFO_SELF, 0, &self, sizeof(self));
	CHECK_EQ("ipc_pending_notify_delivered_later", (endpoint_t)m.u.q[0], self.endpoint);
}

static void test_review_fixes(void)
{
	struct info_proc self;
	message_t m;

	memset(&m, 0, sizeof(m));
	/* A pending process notification must not answer a receive from CLOCK. */
	m.type = CMD_NOTIFY_BACK;
	ipc_send(peer_ep, &m);
	sys_alarm(5);			/* let peer run and notify us */
	CHECK_EQ("ipc_receive_clock_returns", ipc_receive(CLOCK, &m), 0);
	CHECK_EQ("ipc_receive_clock_not_a_process_notification", m.source, CLOCK);
	CHECK_EQ("ipc_process_notification_still_pending", ipc_receive(peer_ep, &m), 0);
	CHECK_EQ("ipc_process_notification_source", m.source, peer_ep);
	sys_getinfo(INFO_SELF, 0, &self, sizeof(self));
	CHECK_EQ("ipc_receive_from_self_refused", ipc_receive(self.endpoint, &m), -EDEADLK);
	m.type = MSG_NOTIFY;
	CHECK_EQ("ipc_forged_notification_type_refused", ipc_sendrec(echo_ep, &m), -EINVAL);
	m.type = MSG_NOTIFY + 5;
	CHECK_EQ("ipc_other_kernel_type_refused", ipc_send(peer_ep, &m), -EINVAL);
}

static void test_bad_endpoints(void)
{
	message_t m;
	memset(&m, 0, sizeof(m));
	CHECK_EQ("ipc_invalid_endpoint_negative", ipc_send(-77, &m), -EINVAL);
	CHECK_EQ("ipc_invalid_endpoint_any_as_target", ipc_sendrec(ANY, &m), -EINVAL);
	CHECK_EQ("ipc_free_slot_endpoint_dead", ipc_send(MAKE_ENDPOINT(5, 200), &m), -EDEADSRCDST);
	CHECK_EQ("ipc_stale_generation_dead", ipc_send(MAKE_ENDPOINT(ENDPOINT_GEN(echo_ep) + 1, ENDPOINT_SLOT(echo_ep)), &m), -EDEADSRCDST);
	CHECK_EQ("ipc_bad_buffer_null_efault", ipc_sendrec(echo_ep, (message_t *)0x10), -EFAULT);
	CHECK_EQ("ipc_bad_buffer_kernel_efault", ipc_sendrec(echo_ep, (message_t *)0xFFFFFFFF80100000ul), -EFAULT);

	CHECK_EQ("ipc_send_to_dead_endpoint", ipc_send(dier_ep, &m), -EDEADSRCDST);
	CHECK_EQ("ipc_notify_dead_endpoint", ipc_notify(dier_ep), -EDEADSRCDST);

	/* A server dying while we wait for its reply: the wait ends. */
	m.type = CMD_DIE;
	CHECK_EQ("ipc_sendrec_server_dies_edeadsrcdst", ipc_sendrec(peer_ep, &m), -EDEADSRCDST);
	CHECK_EQ("ipc_receive_from_dead_edeadsrcdst", ipc_receive(peer_ep, &m), -EDEADSRCDST);
}

int main(void)
{
	echo_ep = lookup_endpoint("echo");
	peer_ep = lookup_endpoint("peer");
	dier_ep = MAKE_ENDPOINT(1, ENDPOINT_SLOT(peer_ep) + 1);	/* started right after peer */
	check("lookup_boot_endpoints", echo_ep > 0 && peer_ep > 0, echo_ep);
	test_child_exit();
	test_sendrec();
	test_send_receive();
	test_blocked_sender();
	test_notify();
	test_review_fixes();
	test_bad_endpoints();
	tests_finish();
}
