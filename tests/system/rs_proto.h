/* Requests the recovery tests' victim service (rs_victim) serves. Type in
 * m.type, argument and answer in q[0]. Test fixtures only. */
#ifndef TESTS_SYSTEM_RS_PROTO_H
#define TESTS_SYSTEM_RS_PROTO_H

#define V_ECHO		1	/* answer q[0] + 1 */
#define V_ADD		2	/* sum += q[0], kept in DS; answer the sum */
#define V_CRASH		3	/* fault (page fault), no answer */
#define V_EXIT		4	/* exit with status 3, no answer */
#define V_LOOP		5	/* spin forever: only the heartbeat notices */

#define V_SUM_KEY	"rs_victim.sum"

#endif
