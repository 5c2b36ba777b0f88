/*
 * The RTC, memory and printer drivers through their protocols, as PM and
 * VFS speak to them (the POSIX-level tests are the shell session in
 * tools/run-tests' device block), then the privilege probes' ends
 * (t_devprobe, three children under copies of the drivers' manifests, in
 * devpriv.image).
 */
#include "../test.h"
#include <chardev.h>
#include <blockdev.h>
#include <rtc.h>

static struct contract_monitor cmon, bmon, rmon, lmon;
static uint8_t a[4096], b[4096];
static struct grant grants[2];
static endpoint_t self_ep;

static long cread(endpoint_t d, uint32_t minor, void *p, uint32_t len)
{
	struct chardev_msg r;
	int e = chardev_call_Read(&cmon, d, (uint64_t)p, self_ep, len, minor, &r);

	if (e < 0)
		return e;
	return r.type == CHARDEV_OK ? (long)r.u.Ok.value : r.type == CHARDEV_FAIL ? r.u.Fail.error : -999;
}

static long cwrite(struct contract_monitor *mon, endpoint_t d, uint32_t minor, void *p, uint32_t len)
{
	struct chardev_msg r;
	int e = chardev_call_Write(mon, d, (uint64_t)p, self_ep, len, minor, &r);

	if (e < 0)
		return e;
	return r.type == CHARDEV_OK ? (long)r.u.Ok.value : r.type == CHARDEV_FAIL ? r.u.Fail.error : -999;
}

static long bxfer(endpoint_t d, int write, uint64_t off, int g, uint32_t len)
{
	struct blockdev_msg r;
	int e = write ? blockdev_call_Write(&bmon, d, off, g, len, 0, &r)
		      : blockdev_call_Read(&bmon, d, off, g, len, 0, &r);

	if (e < 0)
		return e;
	return r.type == BLOCKDEV_DONE ? (long)r.u.Done.status : r.type == BLOCKDEV_FAILED ? r.u.Failed.error : -999;
}

static int all(const uint8_t *p, size_t n, uint8_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

int main(endpoint_t self)
{
	endpoint_t mem = lookup_endpoint("memory"), rtc = lookup_endpoint("rtc"), lpt = lookup_endpoint("lpt");
	struct fault_report fr;
	struct rtc_msg rr;
	struct blockdev_msg br;
	size_t i;
	int e, n;

	self_ep = self;
	if (rtc < 0 && mem < 0 && lpt < 0)
		goto probes;	/* devpriv.image: only the probes */
	chardev_monitor_init(&cmon, CONTRACT_CLIENT);
	chardev_monitor_init(&lmon, CONTRACT_CLIENT);
	blockdev_monitor_init(&bmon, CONTRACT_CLIENT);
	rtc_monitor_init(&rmon, CONTRACT_CLIENT);

	/* RTC: a time after 2020-01-01 and before 2100. */
	e = rtc_call_GetTime(&rmon, rtc, &rr);
	check("rtc_gettime_answers", e == 0 && rr.type == RTC_TIME, e);
	check("rtc_time_plausible", e == 0 && rr.u.Time.sec > 1577836800 && rr.u.Time.sec < 4102444800,
	    e == 0 ? (long)rr.u.Time.sec : e);

	/* memory: the character devices. */
	memset(a, 0xaa, sizeof(a));
	CHECK_EQ("mem_zero_read_len", cread(mem, 5, a, sizeof(a)), sizeof(a));
	check("mem_zero_read_zeros", all(a, sizeof(a), 0), a[0]);
	CHECK_EQ("mem_null_read_eof", cread(mem, 3, a, sizeof(a)), 0);
	CHECK_EQ("mem_null_write_swallows", cwrite(&cmon, mem, 3, a, 100), 100);
	CHECK_EQ("mem_full_write_enospc", cwrite(&cmon, mem, 7, a, 100), -ENOSPC);
	memset(a, 0xaa, sizeof(a));
	CHECK_EQ("mem_full_read_zeros", cread(mem, 7, a, 512), 512);
	check("mem_full_read_is_zero", all(a, 512, 0), a[0]);
	CHECK_EQ("mem_urandom_read", cread(mem, 9, a, 64), 64);
	CHECK_EQ("mem_urandom_read_again", cread(mem, 9, b, 64), 64);
	check("mem_urandom_reads_differ", memcmp(a, b, 64) != 0, 0);
	CHECK_EQ("mem_random_read", cread(mem, 8, a, 4096), 4096);
	for (i = 0, n = 0; i < 4096; i++) {
		int bit;
		for (bit = 0; bit < 8; bit++)
			n += (a[i] >> bit) & 1;
	}
	check("mem_random_bits_balanced", n > 15800 && n < 16968, n);	/* 16384 +- 3.6%, ~9 sigma */
	CHECK_EQ("mem_bad_minor_enxio", cread(mem, 42, a, 1), -ENXIO);

	/* memory: the RAM disk, as a file server would use it. */
	grants[0] = (struct grant){ GRANT_VALID | GRANT_READ | GRANT_WRITE, mem, (uint64_t)a, sizeof(a), 0 };
	grants[1] = (struct grant){ GRANT_VALID | GRANT_READ, mem, (uint64_t)b, sizeof(b), 0 };
	CHECK_EQ("ram_setgrant", sys_setgrant(grants, 2), 0);
	e = blockdev_call_Open(&bmon, mem, 0, 3, &br);
	check("ram_open", e == 0 && br.type == BLOCKDEV_OPENED && br.u.Opened.size == 4u << 20,
	    e ? e : br.type == BLOCKDEV_OPENED ? (long)br.u.Opened.size : -1);
	for (i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 7 + 3);
	CHECK_EQ("ram_write", bxfer(mem, 1, 8192, 0, sizeof(a)), sizeof(a));
	memset(a, 0, sizeof(a));
	CHECK_EQ("ram_read", bxfer(mem, 0, 8192, 0, sizeof(a)), sizeof(a));
	for (i = 0; i < sizeof(a) && a[i] == (uint8_t)(i * 7 + 3); i++)
		;
	CHECK_EQ("ram_reads_back_what_was_written", i, sizeof(a));
	CHECK_EQ("ram_read_untouched_is_zero", bxfer(mem, 0, 0, 0, 512), 512);
	check("ram_untouched_zeros", all(a, 512, 0), a[0]);
	CHECK_EQ("ram_short_at_end", bxfer(mem, 0, (4u << 20) - 1024, 0, 4096), 1024);
	CHECK_EQ("ram_past_end_enxio", bxfer(mem, 0, 4u << 20, 0, 512), -ENXIO);
	CHECK_EQ("ram_read_into_readonly_grant_eperm", bxfer(mem, 0, 0, 1, 512), -EPERM);
	CHECK_EQ("ram_no_such_grant_eperm", bxfer(mem, 0, 0, 9, 512), -EPERM);
	e = blockdev_call_Close(&bmon, mem, 0, &br);
	check("ram_close", e == 0 && br.type == BLOCKDEV_DONE, e);

	/* lpt: a write is taken whole (the machine's port is never busy). */
	memcpy(a, "printer\n", 8);
	CHECK_EQ("lpt_write", cwrite(&lmon, lpt, 0, a, 8), 8);
	CHECK_EQ("lpt_bad_minor_enxio", cwrite(&lmon, lpt, 1, a, 8), -ENXIO);

	tests_finish();
probes:
	/* The three privilege probes end (exit, or fault without `exit`). */
	for (n = 0; n < 3 && wait_child_event(&fr) == 0; n++)
		;
	CHECK_EQ("dev_probes_all_ended", n, 3);
	tests_finish();
}
