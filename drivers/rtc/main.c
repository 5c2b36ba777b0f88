/*
 * rtc: the CMOS real-time clock (MC146818 and compatibles, as in QEMU's
 * "pc" machine). Serves contracts/rtc.contract: GetTime -> Time(seconds
 * since the epoch), read afresh from the chip for every request.
 *
 * Reading: wait until no update is in progress (status A bit 7), read
 * every field, and read them again until two readings agree (an update
 * may start between the check and the reads). Status B says whether the
 * fields are BCD (bit 2 clear) and whether the hour is 12-hour (bit 1
 * clear: bit 7 of the hour is PM). The century register (0x32) is used
 * when it holds a plausible value; otherwise years 70-99 are 19xx.
 * The CMOS clock holds UTC (QEMU's default, -rtc base=utc).
 */
#include "../../lib/driver/driver.h"
#include <rtc.h>

#define RTC_INDEX	0x70
#define RTC_DATA	0x71
#define NMI_OFF		0x80	/* keep NMIs masked while selecting a register */

struct rtc_time {
	unsigned sec, min, hour, mday, mon, year, century;
};

static int cmos_read(unsigned reg, unsigned *v)
{
	long r;

	if (sys_devio(DEVIO_OUT8, RTC_INDEX, reg | NMI_OFF) < 0)
		return -EIO;
	if ((r = sys_devio(DEVIO_IN8, RTC_DATA, 0)) < 0)
		return (int)r;
	*v = (unsigned)r & 0xff;
	return 0;
}

static int read_fields(struct rtc_time *t)
{
	unsigned a = 0;
	int i, e;

	/* Update in progress: at most ~2 ms each second; a bounded wait. */
	for (i = 0; i < 1000000; i++) {
		if ((e = cmos_read(0x0A, &a)) < 0)
			return e;
		if (!(a & 0x80))
			break;
	}
	if (a & 0x80)
		return -EIO;
	if ((e = cmos_read(0x00, &t->sec)) < 0 || (e = cmos_read(0x02, &t->min)) < 0 ||
	    (e = cmos_read(0x04, &t->hour)) < 0 || (e = cmos_read(0x07, &t->mday)) < 0 ||
	    (e = cmos_read(0x08, &t->mon)) < 0 || (e = cmos_read(0x09, &t->year)) < 0 ||
	    (e = cmos_read(0x32, &t->century)) < 0)
		return e;
	return 0;
}

static unsigned bcd(unsigned v)
{
	return (v >> 4) * 10 + (v & 15);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The time of day as seconds since the epoch, or a negative errno. */
static int64_t rtc_now(void)
{
	struct rtc_time t, u;
	unsigned b = 0, pm;
	int64_t year;
	int tries, e;

	if ((e = read_fields(&t)) < 0)
		return e;
	for (tries = 0; tries < 10; tries++) {
		if ((e = read_fields(&u)) < 0)
			return e;
		if (!memcmp(&t, &u, sizeof(t)))
			break;
		t = u;
	}
	if (tries == 10)
		return -EIO;
	if ((e = cmos_read(0x0B, &b)) < 0)
		return e;
	pm = t.hour & 0x80;
	t.hour &= 0x7f;
	if (!(b & 0x04)) {		/* BCD */
		t.sec = bcd(t.sec);
		t.min = bcd(t.min);
		t.hour = bcd(t.hour);
		t.mday = bcd(t.mday);
		t.mon = bcd(t.mon);
		t.year = bcd(t.year);
		t.century = bcd(t.century);
	}
	if (!(b & 0x02)) {		/* 12-hour: 12 AM is 0, 12 PM is 12 */
		t.hour %= 12;
		if (pm)
			t.hour += 12;
	}
	if (t.century >= 19 && t.century <= 99)
		year = t.century * 100 + t.year;
	else
		year = t.year < 70 ? 2000 + t.year : 1900 + t.year;
	if (t.sec > 59 || t.min > 59 || t.hour > 23 || t.mday < 1 || t.mday > 31 ||
	    t.mon < 1 || t.mon > 12 || t.year > 99)
		return -EIO;
	return days_from_civil(year, t.mon, t.mday) * 86400 +
	    (int64_t)t.hour * 3600 + t.min * 60 + t.sec;
}

static struct contract_monitor mon;

int main(void)
{
	struct rtc_msg rm;
	message_t m;
	int64_t now;
	int r;

	driver_init_log();
	rtc_monitor_init(&mon, CONTRACT_SERVER);
	if ((now = rtc_now()) < 0)
		printf("rtc: the CMOS clock cannot be read (%ld)\n", (long)now);
	else
		printf("rtc: CMOS clock says %ld s since the epoch\n", (long)now);
	for (;;) {
		if ((r = ipc_receive(ANY, &m)) < 0) {
			printf("rtc: receive failed: %d\n", r);
			continue;
		}
		if (m.type == MSG_NOTIFY) {
			(void)driver_heartbeat(&m);
			continue;
		}
		if (rtc_accept(&mon, &m, &rm) != 0)
			continue;	/* refused and answered by the monitor */
		if (rm.type != RTC_GETTIME)
			continue;
		now = rtc_now();
		if (now < 0)
			r = rtc_reply_Fail(&mon, rm.peer, (int32_t)now);
		else
			r = rtc_reply_Time(&mon, rm.peer, now);
		if (r < 0)
			printf("rtc: answer to %d failed: %d\n", rm.peer, r);
	}
}
