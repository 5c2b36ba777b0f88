/*
 * An in-memory stand-in for lib/sys's IPC wrappers, for host tests.
 *
 * Each endpoint 1..FAKE_NR_ENDPOINTS-1 has a small mailbox. fake_self is the
 * endpoint "running"; ipc_send stamps it as the source, as the kernel does.
 * A host test cannot block, so ipc_receive on an empty mailbox fails with
 * -EAGAIN, and ipc_sendrec to an endpoint with a registered server runs that
 * server for one step before collecting the reply.
 */
#ifndef FAKE_IPC_H
#define FAKE_IPC_H

#include <bulkhead/ipc.h>

#define FAKE_NR_ENDPOINTS	64
#define FAKE_EAGAIN		11
#define FAKE_EINVAL		22

extern endpoint_t fake_self;

void fake_reset(void);
/* Runs when a sendrec reaches ep: should receive and answer one message. */
void fake_set_server(endpoint_t ep, void (*step)(void));
/* Messages waiting in ep's mailbox. */
int fake_pending(endpoint_t ep);
/* Sends m to dst as if from src, bypassing every monitor. */
int fake_inject(endpoint_t src, endpoint_t dst, const message_t *m);

#endif
