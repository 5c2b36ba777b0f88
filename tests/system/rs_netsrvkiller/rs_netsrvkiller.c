/*
 * rs_netsrvkiller: rs_killer aimed at NET itself (tests/run.d/70-net.sh,
 * "when NET dies"): one restart after STEP messages to NET, in the middle
 * of a TCP transfer. What that costs is measured, not hidden: the
 * transfer's connection is lost (NET's sockets die with it), the next one
 * works.
 */
#define TARGET	"net"
#define KILLS	1
#define STEP	1500
#include "../rs_killer/rs_killer.c"
