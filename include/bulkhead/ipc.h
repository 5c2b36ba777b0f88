/*
 * The IPC ABI shared by the kernel, servers, drivers and libraries.
 *
 * A message is 64 bytes: the kernel fills in `source` (a sender cannot forge
 * it), the sender chooses `type`, and 56 bytes of payload follow. Messages
 * are copied directly from the sender's buffer to the receiver's at
 * rendezvous; the kernel never buffers one.
 *
 * Trap ABI (the `syscall` instruction):
 *   rax = IPC_BASE + primitive, or KCALL_BASE + kernel call number;
 *   arguments in rdi, rsi, rdx, r10, r8, r9 (the Linux order);
 *   result in rax: 0 or a value on success, a negative errno on failure.
 * rax below IPC_BASE is a Linux system call, forwarded by the kernel to the
 * POSIX server that owns it.
 */
#ifndef BULKHEAD_IPC_H
#define BULKHEAD_IPC_H

#include <stdint.h>

typedef int32_t endpoint_t;

#define MSG_SIZE	64
#define MSG_PAYLOAD	56

typedef struct message {
	endpoint_t source;
	int32_t type;
	union {
		uint8_t b[MSG_PAYLOAD];
		uint32_t w[MSG_PAYLOAD / 4];
		uint64_t q[MSG_PAYLOAD / 8];
	} u;
} message_t;

_Static_assert(sizeof(message_t) == MSG_SIZE, "message must be 64 bytes");

/*
 * Endpoints: slot in the low bits, generation above. A restarted process
 * gets the same slot with a new generation, so a message addressed to the
 * dead incarnation fails with EDEADSRCDST instead of reaching the new one.
 */
#define ENDPOINT_SLOT_BITS	8
#define NR_SLOTS		(1 << ENDPOINT_SLOT_BITS)
#define ENDPOINT_SLOT(e)	((e) & (NR_SLOTS - 1))
#define ENDPOINT_GEN(e)		((e) >> ENDPOINT_SLOT_BITS)
#define MAKE_ENDPOINT(g, s)	(((g) << ENDPOINT_SLOT_BITS) | (s))
#define ENDPOINT_GEN_MAX	((1 << (31 - ENDPOINT_SLOT_BITS)) - 1)

/* Pseudo endpoints: never a process. */
#define SELF		0	/* in kernel calls: the caller (never a real endpoint) */
#define ANY		(-1)	/* receive from anyone */
#define NONE		(-2)
#define HARDWARE	(-3)	/* source of interrupt notifications */
#define CLOCK		(-4)	/* source of alarm notifications */
#define SYSTEM		(-5)	/* source of kernel events (a child faulted) */

/* IPC primitives: rax = IPC_BASE + one of these. */
#define IPC_BASE	0x1000
#define IPC_SEND	1	/* rdi=dst, rsi=&msg: block until delivered */
#define IPC_RECEIVE	2	/* rdi=src or ANY, rsi=&msg */
#define IPC_SENDREC	3	/* rdi=dst, rsi=&msg: send, then receive the reply into msg */
#define IPC_NOTIFY	4	/* rdi=dst: set a pending bit, never blocks */
#define IPC_SENDNB	5	/* rdi=dst, rsi=&msg: deliver now or fail with EAGAIN */
#define IPC_REPLYRECV	6	/* rdi=dst, rsi=&msg, rdx=src: SENDNB then RECEIVE */
#define IPC_NR_PRIMITIVES 7

/* Message types the kernel generates; user types must stay below this. */
#define MSG_KERNEL_BASE	0x7f000000
#define MSG_NOTIFY	(MSG_KERNEL_BASE + 1)	/* payload q[0]: irq mask, alarm tick or event bits;
						   from HARDWARE, q[1]: rdtsc when the first line fired */
#define MSG_SYSCALL	(MSG_KERNEL_BASE + 2)	/* a Linux syscall forwarded to a POSIX server */

/* Kernel calls: rax = KCALL_BASE + number (see kcall.h). */
#define KCALL_BASE	0x1100

#endif
