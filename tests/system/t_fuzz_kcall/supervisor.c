/*
 * The supervisor: the image's first service, so the fuzzer's parent. It
 * runs a one-tick watchdog while the fuzzer works: a fuzzer blocked in an
 * IPC call (a RECEIVE nobody will ever satisfy is a legitimate outcome of
 * a random trap) is stopped, which cancels the call with EINTR, and
 * restarted with its own registers. It answers whatever the fuzzer sends
 * it. When the fuzzer has exited it checks that the kernel still answers:
 * an IPC round trip to echo (and peer, when present), kernel information,
 * an alarm, and no page frames lost.
 */
#include "fuzz.h"

static endpoint_t find(const char *name)
{
	return lookup_endpoint(name);
}

static long echo_round_trip(endpoint_t echo)
{
	message_t m;
	long r;

	memset(&m, 0, sizeof(m));
	m.type = CMD_ECHO;
	m.u.q[0] = 41;
	if ((r = ipc_sendrec(echo, &m)) < 0)
		return r;
	return (long)m.u.q[0];
}

static long peer_round_trip(endpoint_t peer)
{
	message_t m;
	long r;

	memset(&m, 0, sizeof(m));
	m.type = 1000;		/* unknown command: peer answers q[0] = -1 */
	if ((r = ipc_sendrec(peer, &m)) < 0)
		return r;
	return (long)m.u.q[0];
}

/* Cancel the call the fuzzer is blocked in: stop, then start it again
 * with its own registers (rax then holds -EINTR). */
static int unstick(endpoint_t f)
{
	struct user_regs u;

	if (sys_stop(f) < 0 || sys_getregs(f, &u) < 0)
		return -1;
	return sys_setregs(f, &u) < 0 ? -1 : 0;
}

int supervisor_main(endpoint_t self)
{
	struct info_kernel k0, k1;
	struct info_proc ip;
	struct fault_report rep;
	endpoint_t echo = find("echo"), peer = find("peer"), fz;
	const char *what = "fuzz_kcall";
	unsigned long unstuck = 0, msgs = 0, start;
	long r, exit_vector = -1, exit_status = -1;
	message_t m;
	int done = 0;

	(void)self;
	fz = find("fuzzkc");
	if (fz < 0) {
		fz = find("fuzzipc");
		what = "fuzz_ipc";
	}
	check("fuzz_fuzzer_present", fz > 0, fz);
	check("fuzz_echo_present", echo > 0, echo);
	sys_getinfo(INFO_KERNEL, 0, &k0, sizeof(k0));
	start = k0.ticks;
	while (fz > 0 && !done) {
		struct info_kernel k;
		sys_getinfo(INFO_KERNEL, 0, &k, sizeof(k));
		if (k.ticks - start > FUZZ_DEADLINE)
			break;
		sys_alarm(1);
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.source == SYSTEM) {
			while (sys_getevent(&rep) == 1) {
				if (rep.endpoint != fz)
					continue;
				exit_vector = rep.vector;
				exit_status = (long)rep.error;
				if (rep.vector != EVENT_EXIT) {
					printf("fuzz: fuzzer stopped: vector %u rip %lx addr %lx err %lx\n",
					    rep.vector, rep.rip, rep.addr, rep.error);
					sys_exit(fz, 0);
				}
				done = 1;
			}
		} else if (m.source == CLOCK) {
			if (sys_getinfo(INFO_PROC, ENDPOINT_SLOT(fz), &ip, sizeof(ip)) == sizeof(ip) &&
			    ip.endpoint == fz && (ip.flags & 0x06) && !(ip.flags & 0x18))
				if (unstick(fz) == 0)
					unstuck++;
		} else {
			msgs++;		/* from the fuzzer: answer if it waits */
			m.u.q[0] = rnd();
			ipc_sendnb(m.source, &m);
		}
	}
	printf("fuzz: supervisor: %lu watchdog cancels, %lu messages from the fuzzer\n",
	    unstuck, msgs);
	{
		char n[64];
		snprintf(n, sizeof(n), "%s_fuzzer_finished", what);
		check(n, done && exit_vector == EVENT_EXIT && exit_status == 0,
		    done ? exit_vector * 1000 + exit_status : -1);
	}
	/* Let the kernel finish tearing down the fuzzer's children. */
	sys_alarm(2);
	while (ipc_receive(CLOCK, &m) < 0)
		;
	r = echo_round_trip(echo);
	check("fuzz_after_echo_round_trip", r == 42, r);
	if (peer > 0) {
		/* A stuck peer would hang the judge: look before asking. */
		for (r = 0; r < 20; r++) {
			if (sys_getinfo(INFO_PROC, ENDPOINT_SLOT(peer), &ip, sizeof(ip)) == sizeof(ip) &&
			    ip.endpoint == peer && ip.flags == 0x04)
				break;
			sys_alarm(1);
			while (ipc_receive(CLOCK, &m) < 0)
				;
		}
		check("fuzz_after_peer_waits_in_receive", r < 20, ip.flags);
		r = r < 20 ? peer_round_trip(peer) : -1000;
		check("fuzz_after_peer_round_trip", r == -1, r);
	}
	r = sys_getinfo(INFO_KERNEL, 0, &k1, sizeof(k1));
	check("fuzz_after_getinfo", r == sizeof(k1), r);
	r = sys_getinfo(INFO_PROC, ENDPOINT_SLOT(echo), &ip, sizeof(ip));
	check("fuzz_after_echo_waits_in_receive", r == sizeof(ip) && ip.flags == 0x04, ip.flags);
	sys_alarm(1);
	r = ipc_receive(CLOCK, &m);
	check("fuzz_after_alarm", r == 0 && m.source == CLOCK, r);
	printf("fuzz: free frames %lu before, %lu after\n", k0.free_frames, k1.free_frames);
	check("fuzz_after_no_frames_lost", k1.free_frames >= k0.free_frames,
	    (long)k1.free_frames - (long)k0.free_frames);
	tests_finish();
}
