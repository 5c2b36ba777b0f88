/*
 * rs_netkiller: the fault injector of the network recovery test
 * (tests/run.d/70-net.sh): rs_killer aimed at the e1000 driver. It boots
 * in the real system plus itself and, while the shell's TCP transfers run,
 * has RS restart e1000 KILLS times, each after STEP more messages to the
 * driver (about a frame each), so every kill lands mid-transfer.
 */
#define TARGET	"e1000"
#define KILLS	4
#define STEP	1500
#include "../rs_killer/rs_killer.c"
