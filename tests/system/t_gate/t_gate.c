/*
 * The Linux system call gateway, tested with a stub POSIX server: a
 * program's raw Linux system calls arrive here as MSG_SYSCALL messages,
 * and our replies become its return values.
 */
#include "../test.h"

static char transcript[1024];
static size_t tlen;

static const char expected[] =
	"hello from linux\n"
	"write returned 17\n"
	"getpid 4242\n"
	"unknown 999 -38\n"
	"unowned fanotify_init -38\n"
	"write bad pointer -14\n"
	"arch_prctl set 0\n"
	"fs:0 matches 1\n"
	"arch_prctl get 0\n"
	"get matches 1\n"
	"arch_prctl kernel address -1\n";

int main(void)
{
	endpoint_t prog = lookup_endpoint("linux_raw");
	message_t m;
	int calls = 0, exited = -1;
	long copy;

	/* A stopped copy of this server must not take its system calls over:
	 * if it did, every call below would wait for it forever. */
	copy = sys_fork_flags(SELF, FORK_STOPPED);
	check("gate_server_fork_stopped", copy > 0, copy);
	CHECK_EQ("gate_setname_child", sys_setname((endpoint_t)copy, "gate-copy"), 0);

	if (ipc_receive(ANY, &m) != 0)
		tests_finish();
	for (;;) {
		long r = -ENOSYS;
		if (m.type == MSG_SYSCALL && m.source == prog) {
			calls++;
			switch (m.u.q[0]) {
			case 1: {	/* write(fd, buf, n) */
				size_t n = m.u.q[3] > 256 ? 256 : m.u.q[3];
				if (tlen + n > sizeof(transcript))
					n = sizeof(transcript) - tlen;
				r = sys_vcopy(m.source, m.u.q[2], SELF, (uint64_t)transcript + tlen, n);
				if (r == 0) {
					tlen += n;
					r = (long)n;
				}
				break;
			}
			case 39:	/* getpid */
				r = 4242;
				break;
			case 231:	/* exit_group: no reply, the process ends */
				exited = (int)m.u.q[1];
				sys_exit(m.source, exited);
				break;
			}
		}
		if (exited >= 0)
			break;
		m.u.q[0] = (uint64_t)r;
		if (ipc_replyrecv(m.source, &m, ANY) != 0)
			break;
	}
	CHECK_EQ("gate_syscalls_arrive_as_messages", calls >= 9, 1);
	check("gate_transcript_matches", tlen == sizeof(expected) - 1 &&
	    memcmp(transcript, expected, tlen) == 0, (long)tlen);
	if (tlen != sizeof(expected) - 1 || memcmp(transcript, expected, tlen)) {
		transcript[tlen < sizeof(transcript) ? tlen : sizeof(transcript) - 1] = 0;
		printf("got:\n%s", transcript);
	}
	CHECK_EQ("gate_exit_group_status", exited, 3);
	CHECK_EQ("gate_exited_program_is_gone", ipc_sendrec(prog, &m), -EDEADSRCDST);
	CHECK_EQ("gate_copy_is_not_found_as_a_service", lookup_endpoint("gate-copy"), -ESRCH);
	CHECK_EQ("gate_end_copy", sys_exit((endpoint_t)copy, 0), 0);
	tests_finish();
}
