/*
 * tty_killer: the fault injector of the terminal recovery test
 * (tests/run.d/65-tty-recovery.sh). It boots with the real system
 * (etc/boot.image plus itself) and watches the serial line's settings,
 * which the tty driver keeps in DS: each time output processing goes off
 * (no OPOST: `stty raw` on the console; the shell's line editor leaves it
 * on) it says so on the console and has RS restart the tty driver
 * (`service restart tty`), once per such episode, KILLS times: the first
 * at once, the second a second later, when the test has typed bytes that
 * no reader has asked for yet (they must not die with the driver). RS
 * does not ping it (its policy row); it never ends.
 *
 * Least privilege: print getinfo alarm; ipc rs ds. It asks RS and reads
 * DS; it cannot touch the driver, its ports or its memory.
 */
#include "../../../user/service/service.c"
#include "../../../servers/ds/dsc.h"

#define KILLS		2
#define LATER		100	/* ticks before the second restart */
#define TIO_FLAGS_KEY	"ttyS0.tio0"	/* c_iflag, then c_oflag (ldisc.c) */
#define O_OPOST		0000001

static int serial_line_raw(void)
{
	uint64_t v;

	if (dsc_lookup(TIO_FLAGS_KEY, &v, NULL) < 0)
		return 0;
	return !((uint32_t)(v >> 32) & O_OPOST);
}

int main(endpoint_t self, const char *name)
{
	char *restart[] = { "service", "restart", "tty", NULL };
	int kills = 0, armed = 1;
	message_t m;

	(void)self;
	while (kills < KILLS) {
		if (sys_alarm(2) < 0 || ipc_receive(CLOCK, &m) < 0)
			continue;
		if (!serial_line_raw()) {
			armed = 1;
			continue;
		}
		if (!armed)
			continue;
		armed = 0;
		kills++;
		if (kills == 2 && (sys_alarm(LATER) < 0 || ipc_receive(CLOCK, &m) < 0))
			printf("%s: cannot wait\n", name);
		printf("%s: restart %d of tty: the serial line is raw\n", name, kills);
		if (service_run(3, restart, NULL, 0) < 0)
			printf("%s: restart refused\n", name);
	}
	for (;;)		/* done: stay, so RS has nothing to report */
		(void)ipc_receive(ANY, &m);
}
