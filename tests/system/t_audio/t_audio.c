/*
 * The AC'97 driver through its protocol (contracts/chardev.contract), as
 * VFS speaks it: this supervisor stands in for VFS (it carries VFS's
 * service name, which the driver's manifest may notify). The driver is
 * t_ac97drv, the real driver with a privilege probe, under its real
 * manifest. The POSIX-level test with the host's capture is
 * tests/run.d/62-audio.sh.
 */
#include "../test.h"
#include <chardev.h>

#define DSP		3
#define MIXER		0
#define SLOT		8192	/* drivers/ac97/main.c */
#define NBD		32
#define SNDCTL_DSP_SPEED	0xc0045002u
#define SNDCTL_DSP_SETFMT	0xc0045005u
#define SNDCTL_DSP_CHANNELS	0xc0045006u
#define SOUND_PCM_READ_RATE	0x80045002u
#define SOUND_MIXER_READ_VOLUME	0x80044d00u
#define SOUND_MIXER_WRITE_VOLUME 0xc0044d00u
#define AC97_READ_REGS		0x80044d6fu
#define SNDCTL_DSP_SETTRIGGER	0x40045010u
#define SNDCTL_DSP_GETTRIGGER	0x80045010u

static struct contract_monitor mon;
static endpoint_t self_ep, ac97;
static int16_t pcm[32768];	/* 64 KiB */

static long answer(int e, const struct chardev_msg *r)
{
	if (e < 0)
		return e;
	return r->type == CHARDEV_OK ? (long)r->u.Ok.value : r->type == CHARDEV_FAIL ?
	    r->u.Fail.error : -999;
}

static long dsp_write(uint32_t minor, uint64_t addr, uint32_t len)
{
	struct chardev_msg r;
	return answer(chardev_call_Write(&mon, ac97, addr, self_ep, len, minor, &r), &r);
}

static long dsp_read(uint32_t minor, void *p, uint32_t len)
{
	struct chardev_msg r;
	return answer(chardev_call_Read(&mon, ac97, (uint64_t)p, self_ep, len, minor, &r), &r);
}

static long ioc(uint32_t minor, uint32_t req, int32_t *arg)
{
	struct chardev_msg r;
	return answer(chardev_call_Ioctl(&mon, ac97, (uint64_t)arg, self_ep, req, minor, 0, &r), &r);
}

/* Wait up to 3 s for the driver's NOTIFY (a slot played). */
static int wait_wake(void)
{
	message_t m;

	if (sys_alarm(300) < 0)
		return -1;
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			return -1;
		if (m.type == MSG_NOTIFY && m.source == ac97)
			return 0;
		if (m.type == MSG_NOTIFY && m.source == CLOCK)
			return -EAGAIN;	/* the guard alarm: no wake in 3 s */
	}
}

/* Let ticks pass; how many NOTIFYs came from the driver meanwhile. */
static int wakes_during(uint64_t ticks)
{
	message_t m;
	int n = 0;

	if (sys_alarm(ticks) < 0)
		return -1;
	for (;;) {
		if (ipc_receive(ANY, &m) < 0)
			return -1;
		if (m.type == MSG_NOTIFY && m.source == ac97)
			n++;
		if (m.type == MSG_NOTIFY && m.source == CLOCK)
			return n;
	}
}

static void mixer_tests(void)
{
	int32_t v = 60 | 60 << 8;

	CHECK_EQ("ac97_mixer_write_volume", ioc(MIXER, SOUND_MIXER_WRITE_VOLUME, &v), 0);
	CHECK_EQ("ac97_mixer_write_volume_answers_setting", v, 60 | 60 << 8);
	v = 0;
	CHECK_EQ("ac97_mixer_regs", ioc(MIXER, AC97_READ_REGS, &v), 0);
	CHECK_EQ("ac97_mixer_volume_60_is_att_25_in_codec", v, 0x1919);
	v = 30 | 90 << 8;
	CHECK_EQ("ac97_mixer_write_unbalanced", ioc(DSP, SOUND_MIXER_WRITE_VOLUME, &v), 0);
	v = 0;
	(void)ioc(MIXER, AC97_READ_REGS, &v);
	CHECK_EQ("ac97_mixer_unbalanced_left_right_in_codec", v, 0x2c06);
	v = 0;
	CHECK_EQ("ac97_mixer_mute", ioc(MIXER, SOUND_MIXER_WRITE_VOLUME, &v), 0);
	(void)ioc(MIXER, AC97_READ_REGS, &v);
	CHECK_EQ("ac97_mixer_volume_0_mutes_codec", v & 0xffff, 0xbf3f);
	v = 100 | 100 << 8;
	(void)ioc(MIXER, SOUND_MIXER_WRITE_VOLUME, &v);
	v = -1;
	CHECK_EQ("ac97_mixer_read_volume", ioc(MIXER, SOUND_MIXER_READ_VOLUME, &v), 0);
	CHECK_EQ("ac97_mixer_full_volume_reads_100", v, 100 | 100 << 8);
}

static void dsp_tests(void)
{
	int32_t v = 44100;

	CHECK_EQ("ac97_dsp_speed_44100", ioc(DSP, SNDCTL_DSP_SPEED, &v), 0);
	CHECK_EQ("ac97_dsp_speed_44100_taken", v, 44100);
	v = 0;
	(void)ioc(DSP, SOUND_PCM_READ_RATE, &v);
	CHECK_EQ("ac97_dsp_rate_in_codec", v, 44100);
	v = 96000;
	(void)ioc(DSP, SNDCTL_DSP_SPEED, &v);
	CHECK_EQ("ac97_dsp_speed_above_48k_clamped", v, 48000);
	v = 4000;
	(void)ioc(DSP, SNDCTL_DSP_SPEED, &v);
	CHECK_EQ("ac97_dsp_speed_below_8k_clamped", v, 8000);
	v = 48000;
	(void)ioc(DSP, SNDCTL_DSP_SPEED, &v);
	v = 8;	/* AFMT_U8: the driver plays S16_LE only and says so */
	CHECK_EQ("ac97_dsp_setfmt", ioc(DSP, SNDCTL_DSP_SETFMT, &v), 0);
	CHECK_EQ("ac97_dsp_setfmt_answers_s16_le", v, 0x10);
	v = 1;
	(void)ioc(DSP, SNDCTL_DSP_CHANNELS, &v);
	CHECK_EQ("ac97_dsp_channels_answers_2", v, 2);
	CHECK_EQ("ac97_unknown_ioctl_enotty", ioc(DSP, 0x5401, &v), -ENOTTY);
	CHECK_EQ("ac97_other_minor_enxio", dsp_write(5, (uint64_t)pcm, 4), -ENXIO);
	CHECK_EQ("ac97_mixer_write_einval", dsp_write(MIXER, (uint64_t)pcm, 4), -EINVAL);
	CHECK_EQ("ac97_read_einval", dsp_read(DSP, pcm, 4), -EINVAL);
	CHECK_EQ("ac97_write_bad_address_efault", dsp_write(DSP, 0x10, 4096), -EFAULT);
}

/* With the trigger off, what is written waits; on, it plays (and each
 * played slot wakes us). */
static void trigger_tests(void)
{
	int32_t v = -1;

	CHECK_EQ("ac97_trigger_on_at_start", (ioc(DSP, SNDCTL_DSP_GETTRIGGER, &v), v), 2);
	v = 0;
	CHECK_EQ("ac97_trigger_off", ioc(DSP, SNDCTL_DSP_SETTRIGGER, &v), 0);
	CHECK_EQ("ac97_trigger_off_write_taken", dsp_write(DSP, (uint64_t)pcm, 2 * SLOT), 2 * SLOT);
	CHECK_EQ("ac97_trigger_off_nothing_plays", wakes_during(20), 0);
	v = 2;
	CHECK_EQ("ac97_trigger_on", ioc(DSP, SNDCTL_DSP_SETTRIGGER, &v), 0);
	/* 16 KiB is 85 ms at 48 kHz: played, and the ring empty again, in 1 s */
	check("ac97_trigger_on_plays", wakes_during(100) > 0, 0);
}

/* Fill the ring until the driver says EAGAIN; its interrupt-driven
 * playback must then free room and wake us. */
static void playback_tests(void)
{
	long n = 0, total = 0;
	int i, e;

	for (i = 0; i < 16 && (n = dsp_write(DSP, (uint64_t)pcm, sizeof(pcm))) > 0; i++)
		total += n;
	CHECK_EQ("ac97_full_ring_eagain", n, -EAGAIN);
	check("ac97_ring_holds_31_slots", total == (NBD - 1) * SLOT, total);
	e = wait_wake();
	CHECK_EQ("ac97_played_slot_wakes_client", e, 0);
	n = dsp_write(DSP, (uint64_t)pcm, sizeof(pcm));
	check("ac97_write_after_wake_accepted", n > 0 && n <= (long)sizeof(pcm), n);
}

int main(endpoint_t self)
{
	int i;

	self_ep = self;
	chardev_monitor_init(&mon, CONTRACT_CLIENT);
	if ((ac97 = lookup_endpoint("ac97")) < 0) {
		check("ac97_present", 0, ac97);
		tests_finish();
	}
	for (i = 0; i < (int)(sizeof(pcm) / sizeof(pcm[0])); i++)
		pcm[i] = (int16_t)(i * 7);
	mixer_tests();
	dsp_tests();
	trigger_tests();
	playback_tests();
	tests_finish();
}
