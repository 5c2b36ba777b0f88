/* Commands the system-test helpers (echo, peer) understand. */
#ifndef TESTS_SYSTEM_PROTO_H
#define TESTS_SYSTEM_PROTO_H

#define CMD_ECHO		1	/* reply with q[0] + 1 */
#define CMD_SEND_BACK		2	/* answer with a plain SEND, q[0] + 1 */
#define CMD_NOTIFY_BACK		3	/* answer with a NOTIFY */
#define CMD_SEND_LATER		4	/* SEND to the caller, then serve again */
#define CMD_WAIT_CLOCK		5	/* block in receive(CLOCK) for q[0] ticks */
#define CMD_LAST_NOTIFY		6	/* reply with the source of the last notification */
#define CMD_DIE			7	/* exit without replying */
#define CMD_SAFECOPY		8	/* q[0]=dir q[1]=granter q[2]=id q[3]=off q[4]=len */
#define CMD_TRY			9	/* q[0]=what: try a forbidden thing, reply result */

#endif
