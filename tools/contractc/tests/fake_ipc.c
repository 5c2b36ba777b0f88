/* In-memory IPC for host tests: see fake_ipc.h. */
#include <string.h>

#include "contract.h"
#include "fake_ipc.h"

#define MAILBOX_SIZE	8

struct mailbox {
	message_t msgs[MAILBOX_SIZE];
	int count;
};

endpoint_t fake_self;
static struct mailbox boxes[FAKE_NR_ENDPOINTS];
static void (*servers[FAKE_NR_ENDPOINTS])(void);

static int
valid(endpoint_t ep)
{
	return ep > 0 && ep < FAKE_NR_ENDPOINTS;
}

void
fake_reset(void)
{
	memset(boxes, 0, sizeof boxes);
	memset(servers, 0, sizeof servers);
	fake_self = 0;
}

void
fake_set_server(endpoint_t ep, void (*step)(void))
{
	if (valid(ep))
		servers[ep] = step;
}

int
fake_pending(endpoint_t ep)
{
	return valid(ep) ? boxes[ep].count : 0;
}

int
fake_inject(endpoint_t src, endpoint_t dst, const message_t *m)
{
	struct mailbox *b;

	if (!valid(dst))
		return -FAKE_EINVAL;
	b = &boxes[dst];
	if (b->count == MAILBOX_SIZE)
		return -FAKE_EAGAIN;
	b->msgs[b->count] = *m;
	b->msgs[b->count].source = src;
	b->count++;
	return 0;
}

int
ipc_send(endpoint_t dst, message_t *m)
{
	return fake_inject(fake_self, dst, m);
}

int
ipc_sendnb(endpoint_t dst, message_t *m)
{
	return fake_inject(fake_self, dst, m);
}

int
ipc_receive(endpoint_t src, message_t *m)
{
	struct mailbox *b;
	int i;

	if (!valid(fake_self))
		return -FAKE_EINVAL;
	b = &boxes[fake_self];
	for (i = 0; i < b->count; i++)
		if (src == ANY || b->msgs[i].source == src)
			break;
	if (i == b->count)
		return -FAKE_EAGAIN;
	*m = b->msgs[i];
	memmove(&b->msgs[i], &b->msgs[i + 1],
	    (size_t)(b->count - i - 1) * sizeof *m);
	b->count--;
	return 0;
}

int
ipc_sendrec(endpoint_t dst, message_t *m)
{
	endpoint_t caller = fake_self;
	int r;

	if ((r = ipc_send(dst, m)) != 0)
		return r;
	if (servers[dst] != NULL) {
		fake_self = dst;
		servers[dst]();
		fake_self = caller;
	}
	return ipc_receive(dst, m);
}
