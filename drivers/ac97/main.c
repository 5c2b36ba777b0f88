/*
 * ac97: the Intel ICH AC'97 audio controller (8086:2415, QEMU's `AC97`)
 * as /dev/dsp (OSS, Linux major 14 minor 3) and /dev/mixer (minor 0), on
 * lib/driver's character framework. Playback only: 16-bit little-endian
 * stereo PCM at the codec's rate (48 kHz unless SNDCTL_DSP_SPEED says
 * otherwise). docs/audio.md.
 *
 * Register facts are from Intel's "I/O Controller Hub 2/3/4 AC'97
 * Programmer's Reference Manual" and the AC'97 2.3 specification: BAR 0
 * is the codec's mixer (NAM, 16-bit registers), BAR 1 the bus master
 * (NABM). PCM out is a ring of 32 buffer descriptors (BDL), each naming
 * a physical buffer and its length in 16-bit samples; the controller
 * plays from CIV (current index) up to LVI (last valid index), raises
 * BCIS when a descriptor with IOC ends and LVBCI when it has played LVI,
 * then halts (DCH).
 *
 * Buffering: the ring's 32 slots of SLOT bytes each sit in one KC_DMA
 * allocation after the BDL. A write copies the writer's samples into the
 * open slot and commits a slot to the device when it is full. While the
 * device is stopped, playback starts only when the ring is full or the
 * writer has paused for START_TICKS: a sound shorter than the ring is
 * then wholly in memory before the first sample plays, however slowly
 * the writer runs, so the device never runs dry in the middle of it
 * (an underrun makes the codec play silence, docs/audio.md). While it
 * plays, a write that finds the device nearly dry commits its partial
 * slot at once. A full ring makes the write fail with -EAGAIN (VFS
 * suspends the writer); every completed slot wakes VFS.
 *
 * State that must survive a restart (the shadow-driver idea of Nooks):
 * the mixer settings and the rate live in DS under STATE_KEY; a
 * restarted driver finds them there and puts them back in the codec.
 */
#include "../../lib/driver/chardriver.h"
#include "../../lib/driver/pcidev.h"
#include "../../servers/ds/dsc.h"

#define VENDOR		0x8086
#define DEVICE		0x2415

/* Mixer (NAM, BAR 0): 16-bit registers. */
#define NAM_RESET	0x00
#define NAM_MASTER	0x02	/* bit 15 mute, 13:8 left, 5:0 right attenuation */
#define NAM_PCM_OUT	0x18	/* bit 15 mute, 12:8 left, 4:0 right */
#define NAM_EXT_ID	0x28
#define NAM_EXT_CTRL	0x2a
#define NAM_FRONT_RATE	0x2c
#define EXT_VRA		0x0001	/* variable rate audio */
#define MUTE		0x8000

/* Bus master (NABM, BAR 1): PCM out box at 0x10, global registers. */
#define PO_BDBAR	0x10
#define PO_CIV		0x14
#define PO_LVI		0x15
#define PO_SR		0x16
#define PO_CR		0x1b
#define GLOB_CNT	0x2c
#define GLOB_STA	0x30
#define SR_DCH		0x01	/* halted */
#define SR_LVBCI	0x04
#define SR_BCIS		0x08
#define SR_FIFOE	0x10
#define CR_RPBM		0x01	/* run */
#define CR_RR		0x02	/* reset the box's registers */
#define CR_LVBIE	0x04
#define CR_IOCE		0x10
#define GC_COLD		0x02	/* cold reset de-asserted */
#define BD_IOC		(1u << 31)

#define NBD		32
#define SLOT		8192
#define DMA_VA		0x220000000ul
#define PAGE		4096ul
#define START_TICKS	3	/* a writer's pause that starts playback */
#define NEARLY_DRY	2	/* committed slots below which a write commits at once */

/* OSS ioctls (Linux <sys/soundcard.h> numbers: _IOWR('P' or 'M', n, int)). */
#define SNDCTL_DSP_RESET	0x00005000u
#define SNDCTL_DSP_SPEED	0xc0045002u
#define SNDCTL_DSP_STEREO	0xc0045003u
#define SNDCTL_DSP_SETFMT	0xc0045005u
#define SNDCTL_DSP_CHANNELS	0xc0045006u
#define SNDCTL_DSP_GETFMTS	0x8004500bu
#define SNDCTL_DSP_SETTRIGGER	0x40045010u
#define SNDCTL_DSP_GETTRIGGER	0x80045010u
#define PCM_ENABLE_OUTPUT	0x02
#define SOUND_PCM_READ_RATE	0x80045002u
#define SOUND_MIXER_READ_VOLUME	0x80044d00u
#define SOUND_MIXER_READ_PCM	0x80044d04u
#define SOUND_MIXER_WRITE_VOLUME 0xc0044d00u
#define SOUND_MIXER_WRITE_PCM	0xc0044d04u
/* Ours, in OSS's private range: the codec's raw registers (master | pcm
 * << 16, read from the device), and how often RS has restarted us. */
#define AC97_READ_REGS		0x80044d6fu	/* SOUND_MIXER_PRIVATE1 */
#define AC97_READ_RESTARTS	0x80044d70u	/* SOUND_MIXER_PRIVATE2 */
#define AFMT_S16_LE		0x10

#define MINOR_MIXER	0
#define MINOR_DSP	3
#define STATE_KEY	"ac97.state"

struct bd {
	uint32_t addr;
	uint32_t ctl_len;	/* IOC | BUP | length in samples */
};

static unsigned nam, nabm, irq;
static uint32_t pci_dev;
static endpoint_t pci_ep;
static struct contract_monitor pci_mon;

static volatile struct bd *bdl;
static uint8_t *slots;
static uint64_t dma_phys;
static unsigned first;		/* oldest committed slot the device has not finished */
static unsigned queued;		/* committed slots not yet finished */
static uint32_t open_len;	/* bytes in slot (first + queued) % NBD */
static uint8_t carry[4];	/* a stereo frame split across writes */
static uint32_t carry_len;
static int running, alarm_set;
static int trigger = 1;		/* SNDCTL_DSP_SETTRIGGER: 0 holds playback back */
static uint16_t master = 0, pcm = 0;	/* attenuation registers, 0 dB */
static uint32_t rate = 48000;

static int in16(unsigned port, uint16_t *v)
{
	long r = sys_devio(DEVIO_IN16, port, 0);

	if (r < 0)
		return (int)r;
	*v = (uint16_t)r;
	return 0;
}

static int in8(unsigned port, uint8_t *v)
{
	long r = sys_devio(DEVIO_IN8, port, 0);

	if (r < 0)
		return (int)r;
	*v = (uint8_t)r;
	return 0;
}

static int out8(unsigned port, uint8_t v)
{
	long r = sys_devio(DEVIO_OUT8, port, v);
	return r < 0 ? (int)r : 0;
}

static int out16(unsigned port, uint16_t v)
{
	long r = sys_devio(DEVIO_OUT16, port, v);
	return r < 0 ? (int)r : 0;
}

static int out32(unsigned port, uint32_t v)
{
	long r = sys_devio(DEVIO_OUT32, port, v);
	return r < 0 ? (int)r : 0;
}

/* The mixer settings and rate, in DS for the next incarnation. */
static void save_state(void)
{
	int e;

	if (dsc_server() < 0)	/* an image without DS (the driver test) */
		return;
	e = dsc_store(STATE_KEY, (uint64_t)master | (uint64_t)pcm << 16 | (uint64_t)rate << 32);
	if (e < 0)
		printf("ac97: cannot keep the mixer state in DS (%d)\n", e);
}

static int apply_mixer(void);

/*
 * A rate change makes QEMU's AC'97 reopen its audio voice, and the new
 * voice plays at full volume whatever the codec's volume registers say
 * (docs/audio.md): so the mixer registers are written again after it.
 */
static int set_rate(uint32_t hz)
{
	uint16_t got = 0;
	int e;

	if (hz < 8000)
		hz = 8000;
	if (hz > 48000)
		hz = 48000;
	if ((e = out16(nam + NAM_FRONT_RATE, (uint16_t)hz)) < 0 ||
	    (e = in16(nam + NAM_FRONT_RATE, &got)) < 0)
		return e;
	rate = got;	/* the codec may round to a rate it has */
	return apply_mixer();
}

static int apply_mixer(void)
{
	int e;

	if ((e = out16(nam + NAM_MASTER, master)) < 0 ||
	    (e = out16(nam + NAM_PCM_OUT, pcm)) < 0)
		return e;
	return 0;
}

/*
 * OSS volume (left | right << 8, each 0..100) to an attenuation register
 * of `bits` bits per channel (1.5 dB steps, 0 = 0 dB), and back. Volume 0
 * sets the mute bit as well.
 */
static uint16_t volume_to_reg(uint32_t v, unsigned bits)
{
	unsigned max = (1u << bits) - 1, l = v & 0xff, r = (v >> 8) & 0xff;

	if (l > 100)
		l = 100;
	if (r > 100)
		r = 100;
	l = ((100 - l) * max + 50) / 100;
	r = ((100 - r) * max + 50) / 100;
	return (uint16_t)((l << 8 | r) | ((v & 0xffff) == 0 ? MUTE : 0));
}

static uint32_t reg_to_volume(uint16_t reg, unsigned bits)
{
	unsigned max = (1u << bits) - 1;
	unsigned l = (reg >> 8) & max, r = reg & max;

	if (reg & MUTE)
		return 0;
	l = 100 - (l * 100 + max / 2) / max;
	r = 100 - (r * 100 + max / 2) / max;
	return l | r << 8;
}

/* Hand the open slot (its whole frames) to the device. */
static int commit_open(void)
{
	unsigned slot = (first + queued) % NBD;
	uint32_t whole = open_len & ~3u;
	int e;

	if (whole == 0)
		return 0;
	/* a partial frame at the end moves to the next slot */
	memcpy(carry, slots + (uint64_t)slot * SLOT + whole, open_len - whole);
	carry_len = open_len - whole;
	bdl[slot].addr = (uint32_t)(dma_phys + PAGE + (uint64_t)slot * SLOT);
	bdl[slot].ctl_len = BD_IOC | (whole / 2);
	dma_barrier();
	queued++;
	open_len = 0;
	/* a running box halted at its old LVI goes on from the next slot */
	if ((e = out8(nabm + PO_LVI, (uint8_t)slot)) < 0)
		return e;
	if (carry_len) {
		memcpy(slots + (uint64_t)((slot + 1) % NBD) * SLOT, carry, carry_len);
		open_len = carry_len;
		carry_len = 0;
	}
	return 0;
}

/* Run the box from slot 0 (where a stopped ring starts). */
static int start_playback(void)
{
	int e;

	if (running || queued == 0 || !trigger)
		return 0;
	if ((e = out32(nabm + PO_BDBAR, (uint32_t)dma_phys)) < 0 ||
	    (e = out8(nabm + PO_CR, CR_RPBM | CR_IOCE | CR_LVBIE)) < 0)
		return e;
	running = 1;
	return 0;
}

/* Stop the box and reset its registers: CIV and LVI go back to 0. */
static int stop_playback(void)
{
	int e;

	if ((e = out8(nabm + PO_CR, 0)) < 0 || (e = out8(nabm + PO_CR, CR_RR)) < 0)
		return e;
	running = 0;
	first = 0;
	return 0;
}

static int64_t ac97_write(const struct chardriver_req *r)
{
	uint32_t done = 0;
	int e;

	if (r->minor != MINOR_DSP)
		return r->minor == MINOR_MIXER ? -EINVAL : -ENXIO;
	while (done < r->len) {
		uint32_t n = SLOT - open_len;

		if (queued == NBD - 1)	/* the open slot is the last free one */
			break;
		if (n > r->len - done)
			n = r->len - done;
		if ((e = chardriver_copy(r, 0, done, slots +
		    (uint64_t)((first + queued) % NBD) * SLOT + open_len, n)) < 0)
			return done ? (int64_t)done : -EFAULT;
		open_len += n;
		done += n;
		if (open_len == SLOT && (e = commit_open()) < 0)
			return done ? (int64_t)done : e;
	}
	if (running && queued < NEARLY_DRY && (e = commit_open()) < 0)
		return done ? (int64_t)done : e;
	if (!running && queued == NBD - 1 && (e = start_playback()) < 0)
		return done ? (int64_t)done : e;
	if (!running && trigger) {	/* wait for more, or for the writer's pause */
		if ((e = (int)sys_alarm(START_TICKS)) < 0)
			printf("ac97: alarm refused (%d)\n", e);
		alarm_set = 1;
	}
	return done ? (int64_t)done : -EAGAIN;
}

/* The writer paused (or stopped): play what is there. */
static void ac97_alarm(uint64_t tick)
{
	(void)tick;
	if (!alarm_set)
		return;
	alarm_set = 0;
	if (!running && (commit_open() < 0 || start_playback() < 0))
		printf("ac97: cannot start playback\n");
}

static void ac97_intr(uint64_t mask)
{
	uint16_t sr = 0;
	uint8_t civ = 0;
	unsigned done;

	if (!(mask & (1ull << irq)))
		return;
	if (in16(nabm + PO_SR, &sr) < 0 || in8(nabm + PO_CIV, &civ) < 0)
		goto out;
	if (sr & (SR_BCIS | SR_LVBCI | SR_FIFOE))
		(void)out16(nabm + PO_SR, sr & (SR_BCIS | SR_LVBCI | SR_FIFOE));
	if (!running)
		goto out;
	if (sr & SR_DCH) {	/* played up to LVI: every committed slot is done */
		done = queued;
	} else {
		done = (civ + NBD - first) % NBD;
		if (done > queued)
			done = queued;
	}
	first = (first + done) % NBD;
	queued -= done;
	if (queued == 0 && (sr & SR_DCH)) {
		if (open_len >= 4) {	/* the writer fell behind the device */
			(void)commit_open();
		} else {
			/* 1-3 bytes of a frame stay open: they move to slot 0 */
			memmove(slots, slots + (uint64_t)first * SLOT, open_len);
			(void)stop_playback();
		}
	}
	if (done)
		chardriver_wake(0);
out:
	(void)sys_irqctl(IRQ_ENABLE, (int)irq);
}

static int put_int(const struct chardriver_req *r, int32_t v)
{
	return chardriver_copy(r, 1, 0, &v, sizeof(v)) < 0 ? -EFAULT : 0;
}

static int64_t ac97_ioctl(const struct chardriver_req *r)
{
	int32_t v = 0;
	uint16_t a = 0, b = 0;
	uint64_t n;
	int e;

	if (r->minor != MINOR_DSP && r->minor != MINOR_MIXER)
		return -ENXIO;
	if ((r->request & 0x40000000u) && chardriver_copy(r, 0, 0, &v, sizeof(v)) < 0)
		return -EFAULT;	/* _IOW: the argument comes in */
	switch (r->request) {
	case SOUND_MIXER_WRITE_VOLUME:
		master = volume_to_reg((uint32_t)v, 6);
		break;
	case SOUND_MIXER_WRITE_PCM:
		pcm = volume_to_reg((uint32_t)v, 5);
		break;
	case SOUND_MIXER_READ_VOLUME:	/* from the codec, not our copy */
		if ((e = in16(nam + NAM_MASTER, &a)) < 0)
			return e;
		return put_int(r, (int32_t)reg_to_volume(a, 6));
	case SOUND_MIXER_READ_PCM:
		if ((e = in16(nam + NAM_PCM_OUT, &a)) < 0)
			return e;
		return put_int(r, (int32_t)reg_to_volume(a, 5));
	case AC97_READ_REGS:
		if ((e = in16(nam + NAM_MASTER, &a)) < 0 || (e = in16(nam + NAM_PCM_OUT, &b)) < 0)
			return e;
		return put_int(r, (int32_t)((uint32_t)a | (uint32_t)b << 16));
	case AC97_READ_RESTARTS:	/* RS keeps the count in our DS entry */
		if ((e = dsc_lookup("ac97", &n, NULL)) < 0)
			return e;
		return put_int(r, (int32_t)n);
	case SNDCTL_DSP_SPEED:
		if ((e = set_rate((uint32_t)v)) < 0)
			return e;
		save_state();
		return put_int(r, (int32_t)rate);
	case SOUND_PCM_READ_RATE:	/* from the codec */
		if ((e = in16(nam + NAM_FRONT_RATE, &a)) < 0)
			return e;
		return put_int(r, a);
	case SNDCTL_DSP_SETFMT:
	case SNDCTL_DSP_GETFMTS:
		return put_int(r, AFMT_S16_LE);
	case SNDCTL_DSP_CHANNELS:
		return put_int(r, 2);
	case SNDCTL_DSP_STEREO:
		return put_int(r, 1);
	case SNDCTL_DSP_SETTRIGGER:	/* off: fill the ring first; on: play it */
		trigger = (v & PCM_ENABLE_OUTPUT) != 0;
		if (trigger && !running && ((e = commit_open()) < 0 || (e = start_playback()) < 0))
			return e;
		return 0;
	case SNDCTL_DSP_GETTRIGGER:
		return put_int(r, trigger ? PCM_ENABLE_OUTPUT : 0);
	case SNDCTL_DSP_RESET:
		return 0;
	default:
		return -ENOTTY;
	}
	/* a mixer write: to the codec, then to DS, then back to the caller */
	if ((e = apply_mixer()) < 0)
		return e;
	save_state();
	if ((e = in16(nam + (r->request == SOUND_MIXER_WRITE_PCM ? NAM_PCM_OUT : NAM_MASTER),
	    &a)) < 0)
		return e;
	return put_int(r, (int32_t)reg_to_volume(a, r->request == SOUND_MIXER_WRITE_PCM ? 5 : 6));
}

static int64_t ac97_read(const struct chardriver_req *r)
{
	return r->minor == MINOR_DSP || r->minor == MINOR_MIXER ? -EINVAL : -ENXIO;
}

static int64_t ac97_poll(uint32_t minor, uint32_t events)
{
	(void)minor;
	return queued < NBD - 1 ? (int64_t)(events & 4) : 0;	/* POLLOUT */
}

static const struct chardriver ac97 = {
	.read = ac97_read,
	.write = ac97_write,
	.ioctl = ac97_ioctl,
	.poll = ac97_poll,
	.intr = ac97_intr,
	.alarm = ac97_alarm,
};

/* The device from the PCI driver, I/O decoding and bus mastering on. */
static int find_device(void)
{
	struct pci_Found f = { 0 };
	int e;

	if ((e = pcidev_claim(&pci_mon, &pci_ep, VENDOR, DEVICE,
	    PCI_CMD_IO | PCI_CMD_BUS_MASTER, &f)) < 0)
		return e;
	if (!(f.bar[0] & 1) || !(f.bar[1] & 1))
		return -ENXIO;	/* both BARs are I/O */
	nam = f.bar[0] & ~3u;
	nabm = f.bar[1] & ~3u;
	irq = f.irq;
	pci_dev = f.dev;
	return 0;
}

/* Codec out of reset, variable rate on, the saved (or default) settings. */
static int setup_codec(void)
{
	uint64_t saved;
	uint16_t ext = 0;
	int e;

	if ((e = out32(nabm + GLOB_CNT, GC_COLD)) < 0 ||
	    (e = out16(nam + NAM_RESET, 0)) < 0 ||
	    (e = in16(nam + NAM_EXT_ID, &ext)) < 0)
		return e;
	if ((ext & EXT_VRA) && (e = out16(nam + NAM_EXT_CTRL, EXT_VRA)) < 0)
		return e;
	if (dsc_lookup(STATE_KEY, &saved, NULL) == 0) {
		master = (uint16_t)saved;
		pcm = (uint16_t)(saved >> 16);
		rate = (uint32_t)(saved >> 32);
		printf("ac97: mixer state restored from DS: master %04x pcm %04x, %u Hz\n",
		    master, pcm, rate);
	}
	return (ext & EXT_VRA) ? set_rate(rate) : apply_mixer();
}

static int setup_ring(void)
{
	long phys;
	int e;

	if ((phys = kcall(KC_DMA, DMA_ALLOC, DMA_VA, PAGE + (uint64_t)NBD * SLOT, 0, 0, 0)) < 0)
		return (int)phys;
	if ((uint64_t)phys + PAGE + (uint64_t)NBD * SLOT > 0x100000000ull)
		return -ENOMEM;	/* the controller's addresses are 32-bit */
	dma_phys = (uint64_t)phys;
	bdl = (volatile struct bd *)DMA_VA;
	slots = (uint8_t *)(DMA_VA + PAGE);
	if ((e = stop_playback()) < 0 || (e = out32(nabm + PO_BDBAR, (uint32_t)dma_phys)) < 0)
		return e;
	return 0;
}

#ifndef AC97_AFTER_INIT
#define AC97_AFTER_INIT() ((void)0)
#endif

int main(void)
{
	int e;

	driver_init_log();
	if ((e = find_device()) < 0) {
		printf("ac97: no device (%d)\n", e);
		return 1;
	}
	if ((e = setup_ring()) < 0 || (e = setup_codec()) < 0 ||
	    (e = (int)sys_irqctl(IRQ_ATTACH, (int)irq)) < 0) {
		printf("ac97: set-up failed (%d)\n", e);
		return 1;
	}
	printf("ac97: mixer at 0x%x, bus master at 0x%x, irq %u, %u Hz\n", nam, nabm, irq, rate);
	AC97_AFTER_INIT();
	chardriver_task(&ac97);
}
