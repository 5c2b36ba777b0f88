/* The IPC primitives as functions (the generated contract code links
 * against these). See include/bulkhead/ipc.h for their semantics. */
#include "sys.h"

int ipc_send(endpoint_t dst, message_t *m) { return (int)trap6(IPC_BASE + IPC_SEND, dst, (long)m, 0, 0, 0, 0); }
int ipc_sendnb(endpoint_t dst, message_t *m) { return (int)trap6(IPC_BASE + IPC_SENDNB, dst, (long)m, 0, 0, 0, 0); }
int ipc_receive(endpoint_t src, message_t *m) { return (int)trap6(IPC_BASE + IPC_RECEIVE, src, (long)m, 0, 0, 0, 0); }
int ipc_sendrec(endpoint_t dst, message_t *m) { return (int)trap6(IPC_BASE + IPC_SENDREC, dst, (long)m, 0, 0, 0, 0); }
int ipc_notify(endpoint_t dst) { return (int)trap6(IPC_BASE + IPC_NOTIFY, dst, 0, 0, 0, 0, 0); }
int ipc_replyrecv(endpoint_t dst, message_t *m, endpoint_t src) { return (int)trap6(IPC_BASE + IPC_REPLYRECV, dst, (long)m, src, 0, 0, 0); }
