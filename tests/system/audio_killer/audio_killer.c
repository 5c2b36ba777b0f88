/*
 * audio_killer: the fault injector of the audio recovery test
 * (tests/run.d/62-audio.sh). It boots with the real system and waits
 * until the shell has changed the master volume and then set the rate to
 * 44100, which the audio driver keeps in DS (STATE_KEY in
 * drivers/ac97/main.c: bits 0-15 the master register, 0: 0 dB; bits
 * 32-63 the rate); then it has RS restart the driver
 * (`service restart ac97`, contracts/rs.contract) once and exits
 * (one-shot in RS's policy). The new driver must find the volume in DS
 * and put it back in the codec: the shell checks the register and the
 * host checks the capture.
 *
 * Least privilege: it may only ask RS and read DS (print getinfo alarm;
 * ipc rs ds); it cannot touch the driver itself.
 */
#include "../../../user/service/service.c"
#include "../../../servers/ds/dsc.h"

#define STATE_KEY	"ac97.state"
#define POLL_TICKS	5
#define TRIGGER_RATE	44100

int main(endpoint_t self, const char *name)
{
	char *restart[] = { "service", "restart", "ac97", NULL };
	uint64_t state = 0;
	message_t m;

	(void)self;
	while (dsc_lookup(STATE_KEY, &state, NULL) < 0 || (state & 0xffff) == 0 ||
	    state >> 32 != TRIGGER_RATE)
		if (sys_alarm(POLL_TICKS) < 0 || ipc_receive(CLOCK, &m) < 0)
			printf("%s: cannot wait\n", name);
	printf("%s: master volume register %04lx in DS: restarting ac97\n", name,
	    state & 0xffff);
	if (service_run(3, restart, NULL, 0) < 0)
		printf("%s: restart refused\n", name);
	return 0;
}
