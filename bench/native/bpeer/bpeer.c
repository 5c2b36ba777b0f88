/*
 * bpeer: ipcbench's partner for the safe-copy and NOTIFY figures.
 *   BENCH_COPY  copy q[0] bytes (at most COPY_BYTES) out of the caller's
 *               grant 0 with KC_SAFECOPY; answer q[0] = the kernel's result (0: copied)
 *   a NOTIFY from a process: NOTIFY it back
 * Answers with REPLYRECV, so the request/answer pair costs the fast path's
 * round trip (ipcbench's ipc_roundtrip), which ipcbench subtracts.
 */
#include "../../../lib/sys/sys.h"
#include "../../../lib/mini/mini.h"
#include "../bench.h"

static uint8_t buf[COPY_BYTES] __attribute__((aligned(4096)));

int main(void)
{
	message_t m;
	int r = ipc_receive(ANY, &m);

	for (;;) {
		if (r < 0) {
			r = ipc_receive(ANY, &m);
			continue;
		}
		if (m.type == MSG_NOTIFY) {
			if (m.source >= 0)
				(void)ipc_notify(m.source);
			r = ipc_receive(ANY, &m);
			continue;
		}
		if (m.type == BENCH_COPY && m.u.q[0] <= sizeof(buf))
			m.u.q[0] = (uint64_t)sys_safecopy(SAFECOPY_FROM, m.source, 0, 0, buf, m.u.q[0]);
		else
			m.u.q[0] = (uint64_t)-EINVAL;
		r = ipc_replyrecv(m.source, &m, ANY);
	}
}
