/*
 * The clock task, in the kernel: counts ticks, charges the running process
 * for its quantum, and turns expired alarms into CLOCK notifications.
 */
#include "proc.h"

uint64_t ticks;
static uint64_t next_alarm = ~0ull;

void clock_update_alarm(uint64_t at)
{
	if (at && at < next_alarm)
		next_alarm = at;
}

void clock_tick(void)
{
	int i;

	ticks++;
	sched_tick();
	if (ticks < next_alarm)
		return;
	next_alarm = ~0ull;
	for (i = 0; i < NR_SLOTS; i++) {
		struct proc *p = &procs[i];
		if ((p->rts & RTS_FREE) || !p->alarm_at)
			continue;
		if (p->alarm_at <= ticks) {
			p->alarm_at = 0;
			p->alarm_fired = 1;
			notify_from_kernel(p, CLOCK);
		} else {
			clock_update_alarm(p->alarm_at);
		}
	}
}
