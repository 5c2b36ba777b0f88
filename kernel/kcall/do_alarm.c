/*
 * KC_ALARM	rdi=ticks from now (0 cancels).
 *	One CLOCK notification when the time comes. Returns the ticks that
 *	were left on the previous alarm, or 0.
 */
#include "../proc.h"

int64_t do_alarm(struct proc *p)
{
	uint64_t left = p->alarm_at > ticks ? p->alarm_at - ticks : 0;

	if (p->regs.rdi > (1ull << 40))
		return -EINVAL;
	p->alarm_at = p->regs.rdi ? ticks + p->regs.rdi : 0;
	p->alarm_fired = 0;
	clock_update_alarm(p->alarm_at);
	return (int64_t)left;
}
