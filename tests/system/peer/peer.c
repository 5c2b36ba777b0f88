/* peer: does what the supervisor's command says, to exercise one IPC
 * primitive or situation at a time. */
#include "../test.h"
#include "../proto.h"

int main(void)
{
	endpoint_t last_notify = NONE;
	message_t m, out;
	long r;

	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			continue;
		if (m.type == MSG_NOTIFY) {
			last_notify = m.source;
			continue;
		}
		switch (m.type) {
		case CMD_SEND_BACK:
			memset(&out, 0, sizeof(out));
			out.u.q[0] = m.u.q[0] + 1;
			ipc_send(m.source, &out);
			break;
		case CMD_NOTIFY_BACK:
			ipc_notify(m.source);
			break;
		case CMD_SEND_LATER:
			memset(&out, 0, sizeof(out));
			out.type = CMD_SEND_LATER;
			m.u.q[0] = (uint64_t)ipc_send(m.source, &out);
			break;
		case CMD_WAIT_CLOCK:
			sys_alarm(m.u.q[0]);
			ipc_sendnb(m.source, &m);	/* "I am about to wait" */
			r = ipc_receive(CLOCK, &out);
			(void)r;
			break;
		case CMD_LAST_NOTIFY:
			m.u.q[0] = (uint64_t)(int64_t)last_notify;
			ipc_sendnb(m.source, &m);
			break;
		case CMD_DIE:
			sys_exit(SELF, 3);
			break;
		case CMD_SAFECOPY: {
			/* The length goes to the kernel unclipped: its range check
			 * is what is under test. */
			static char buf[8192];
			memset(buf, 0xAB, sizeof(buf));
			r = sys_safecopy((int)m.u.q[0], (endpoint_t)m.u.q[1], (int)m.u.q[2],
			    m.u.q[3], buf, m.u.q[4]);
			m.u.q[0] = (uint64_t)r;
			memcpy(&m.u.q[1], buf, 8);
			ipc_sendnb(m.source, &m);
			break;
		}
		default:
			m.u.q[0] = (uint64_t)-1;
			ipc_sendnb(m.source, &m);
		}
	}
}
