/*
 * The printer's writes survive a restart of its driver (drivers/lpt,
 * chardev Track): a print job (`cat file > /dev/lp0`) completes with no
 * byte lost or doubled while RS restarts the driver under it.
 *
 * Before each Write, VFS grants the driver `progress` (vfs_grants
 * [GRANT_LPT]); the driver records there, around each strobe, how far it
 * has got: 2n+1 once byte n is strobed, 2n+2 once the strobe is down. If
 * the driver dies in the Write (EDEADSRCDST), VFS keeps the record and
 * suspends the call; when RS's new driver is there, VFS asks it to track
 * (Track answers the control register the new driver found: STROBE up
 * means byte n was strobed after the record said 2n), counts the bytes
 * that reached the printer, and writes the rest. The process sees one
 * write that took a little longer.
 */
#include "vfs.h"

#define CT_STROBE	0x01	/* LPT control register: strobe line up */
#define RETRY_MS	10	/* look for the restarted driver this often */
#define GIVE_UP_TICKS	3000	/* no driver for this long: the write ends */

static uint64_t progress;	/* the driver's record of the Write in flight */
static endpoint_t tracked;	/* the driver incarnation asked to Track */
static endpoint_t cut;		/* whose Write the driver's death cut short */
static uint64_t cut_record;	/* its record then */
static uint64_t cut_tick;
static unsigned recoveries;

/* The driver now (RS names a restarted one after its service). */
static endpoint_t lpt_endpoint(void)
{
	endpoint_t ep = lookup_endpoint("lpt");

	if (ep >= 0)
		lpt_ep = ep;	/* file.c's other calls to it (char_driver) */
	return ep;
}

/* Bytes of the cut Write that reached the printer. */
static uint64_t bytes_printed(uint64_t rec, long control)
{
	return (rec + 1) / 2 + (!(rec & 1) && (control & CT_STROBE) ? 1 : 0);
}

/* Ask a new driver incarnation to record progress; settle p's cut Write. */
static int track(struct proc *p, endpoint_t drv, uint64_t *done)
{
	struct chardev_msg r;
	int e;

	if (drv == tracked)
		return 0;
	if ((e = chardev_call_Track(&lpt_mon, drv, GRANT_LPT, 0, &r)) < 0)
		return e;
	if (r.type != CHARDEV_OK)
		return r.type == CHARDEV_FAIL ? r.u.Fail.error : -EIO;
	if (cut == p->ep) {
		uint64_t n = bytes_printed(cut_record, (long)r.u.Ok.value);
		*done += n;
		printf("vfs: lpt restarted: %lu bytes of the cut write had reached the "
		    "printer, resuming (recovery %u)\n", n, ++recoveries);
	}
	cut = 0;		/* another process's cut write was given up */
	tracked = drv;
	return 0;
}

/* write(2) on /dev/lp0: len bytes at addr in ep; *done: bytes moved by
 * earlier attempts of this call. After a cut it looks for the new driver
 * at once (RS, above VFS in priority, has usually restarted it already),
 * then suspends the call and looks again every RETRY_MS. */
long lpt_write(struct proc *p, endpoint_t ep, uint64_t addr, size_t len, uint64_t *done)
{
	struct chardev_msg r;
	endpoint_t drv;
	int e, tries;

	for (tries = 0;; tries++) {
		drv = lpt_endpoint();
		if (drv < 0 || (e = track(p, drv, done)) == -EDEADSRCDST) {
			if (cut != p->ep || now_ticks() - cut_tick > GIVE_UP_TICKS)
				return *done ? (long)*done : drv < 0 ? -ENXIO : -EIO;
			set_deadline(p, RETRY_MS);	/* RS is restarting it */
			return SUSPEND;
		}
		if (e < 0)
			return *done ? (long)*done : e;
		if (*done >= len)	/* a dead driver's record may claim more */
			return (long)(*done = len);
		if (len - *done > 0x7fffffff)
			len = *done + 0x7fffffff;
		progress = 0;
		vfs_grants[GRANT_LPT] = (struct grant){ GRANT_VALID | GRANT_WRITE, drv,
			(uint64_t)&progress, sizeof(progress), 0 };
		e = chardev_call_Write(&lpt_mon, drv, addr + *done, ep, (uint32_t)(len - *done),
		    0, &r);
		vfs_grants[GRANT_LPT].flags = 0;
		if (e != -EDEADSRCDST)
			break;
		cut = p->ep;
		cut_record = progress;
		cut_tick = now_ticks();
		contract_forget(&lpt_mon, drv);
		if (tries > 0) {
			set_deadline(p, RETRY_MS);
			return SUSPEND;
		}
	}
	if (e == 0 && r.type == CHARDEV_OK)
		return (uint64_t)r.u.Ok.value > len - *done ? (long)len :
		    (long)(*done + (uint64_t)r.u.Ok.value);
	e = e < 0 ? e : r.type == CHARDEV_FAIL ? r.u.Fail.error : -EIO;
	return *done ? (long)*done : e;
}
