/* echo: replies to every request with q[0] + 1, the classic server loop
 * (reply and wait for the next request in one kernel call). */
#include "../test.h"
#include "../proto.h"

int main(void)
{
	message_t m;
	int r = ipc_receive(ANY, &m);

	for (;;) {
		if (r < 0) {
			r = ipc_receive(ANY, &m);
			continue;
		}
		m.u.q[0]++;
		r = ipc_replyrecv(m.source, &m, ANY);
	}
}
