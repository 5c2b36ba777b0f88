/*
 * memory: the memory devices and the RAM disk, one process serving two
 * contracts (so it runs its own loop rather than one framework's):
 *
 *   chardev (VFS is the client), Linux major 1:
 *     minor 3 /dev/null     reads end at once, writes are swallowed
 *     minor 5 /dev/zero     reads give zeros, writes are swallowed
 *     minor 7 /dev/full     reads give zeros, writes fail with ENOSPC
 *     minor 8 /dev/random   ChaCha20 generator (chacha20.c), never blocks
 *     minor 9 /dev/urandom  the same generator (as Linux since 5.6)
 *   blockdev, minor 0: a RAM disk of RAMDISK_BYTES, zeroed at start.
 *
 * The generator is seeded at start from RDRAND when the CPU has it and
 * from the jitter of rdtsc around kernel calls, and takes more of both at
 * every request. Data moves with KC_VCOPY (chardev: into the process VFS
 * names) and KC_SAFECOPY (blockdev: under the client's grant).
 */
#include "../../lib/driver/driver.h"
#include <chardev.h>
#include <blockdev.h>
#include "chacha20.h"

#define RAMDISK_BYTES	(4u << 20)
#define SECTOR		512
#define CHUNK		4096

static uint8_t ramdisk[RAMDISK_BYTES];
static uint8_t buf[CHUNK];
static struct contract_monitor char_mon, blk_mon;

/* ---- entropy ---- */

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static int has_rdrand(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c >> 30) & 1;
}

static int rdrand(uint64_t *v)
{
	unsigned char ok;
	int i;

	for (i = 0; i < 10; i++) {
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return 1;
	}
	return 0;
}

static void reseed(int samples)
{
	uint64_t pool[8], prev = rdtsc(), now, v;
	struct info_kernel ik;
	int i;

	for (i = 0; i < 8; i++)
		pool[i] = 0;
	for (i = 0; i < samples; i++) {
		/* A kernel call between two reads: its duration jitters. */
		(void)sys_getinfo(INFO_KERNEL, 0, &ik, sizeof(ik));
		now = rdtsc();
		pool[i % 8] = (pool[i % 8] << 7 | pool[i % 8] >> 57) ^ (now - prev);
		prev = now;
	}
	if (has_rdrand())
		for (i = 0; i < 8; i++)
			if (rdrand(&v))
				pool[i] ^= v;
	csprng_mix(pool, sizeof(pool));
}

/* ---- character devices ---- */

enum { M_NULL = 3, M_ZERO = 5, M_FULL = 7, M_RANDOM = 8, M_URANDOM = 9 };

static int64_t char_read(const struct chardev_Read *a)
{
	uint64_t done = 0;
	uint32_t n;
	long e;

	switch (a->minor) {
	case M_NULL:
		return 0;
	case M_ZERO:
	case M_FULL:
		memset(buf, 0, sizeof(buf));
		break;
	case M_RANDOM:
	case M_URANDOM:
		reseed(2);
		break;
	default:
		return -ENXIO;
	}
	while (done < a->len) {
		n = a->len - done > CHUNK ? CHUNK : (uint32_t)(a->len - done);
		if (a->minor == M_RANDOM || a->minor == M_URANDOM)
			csprng_read(buf, n);
		if ((e = sys_vcopy(SELF, (uint64_t)buf, a->ep, a->addr + done, n)) < 0)
			return done ? (int64_t)done : -EFAULT;
		done += n;
	}
	return (int64_t)done;
}

static int64_t char_write(const struct chardev_Write *a)
{
	switch (a->minor) {
	case M_NULL:
	case M_ZERO:
	case M_RANDOM:
	case M_URANDOM:
		return a->len;
	case M_FULL:
		return -ENOSPC;
	default:
		return -ENXIO;
	}
}

static void char_request(const struct chardev_msg *m)
{
	int64_t v;

	switch (m->type) {
	case CHARDEV_READ:
		v = char_read(&m->u.Read);
		break;
	case CHARDEV_WRITE:
		v = char_write(&m->u.Write);
		break;
	case CHARDEV_IOCTL:
		v = -ENOTTY;
		break;
	case CHARDEV_POLL:	/* always ready, both ways */
		v = m->u.Poll.events & 5;
		break;
	default:		/* TakeSignal: no terminal signals here */
		v = -EAGAIN;
		break;
	}
	if (v < 0)
		chardev_reply_Fail(&char_mon, m->peer, (int32_t)v);
	else
		chardev_reply_Ok(&char_mon, m->peer, v);
}

/* ---- the RAM disk ---- */

#define NOPEN 32
static struct { endpoint_t client; uint32_t access; } opens[NOPEN];

static uint32_t *open_slot(endpoint_t client, int make)
{
	int i, free = -1;

	for (i = 0; i < NOPEN; i++) {
		if (opens[i].access && opens[i].client == client)
			return &opens[i].access;
		if (!opens[i].access && free < 0)
			free = i;
	}
	if (!make || free < 0)
		return NULL;
	opens[free].client = client;
	return &opens[free].access;
}

static int64_t blk_transfer(int write, uint64_t offset, int32_t grant, uint32_t len,
    uint32_t minor, endpoint_t client)
{
	uint32_t *acc = open_slot(client, 0);
	uint64_t done = 0;
	uint32_t n;
	long e;

	if (minor != 0)
		return -ENXIO;
	if (!acc)
		return -EBADF;
	if (write && !(*acc & 2))
		return -EBADF;
	if (offset >= RAMDISK_BYTES)
		return -ENXIO;
	if (len > RAMDISK_BYTES - offset)
		len = (uint32_t)(RAMDISK_BYTES - offset);
	while (done < len) {
		n = len - done > 65536 ? 65536 : (uint32_t)(len - done);
		e = sys_safecopy(write ? SAFECOPY_FROM : SAFECOPY_TO, client, grant, done,
		    ramdisk + offset + done, n);
		if (e < 0)
			return done ? (int64_t)done : (e == -EFAULT ? -EFAULT : -EPERM);
		done += n;
	}
	return (int64_t)done;
}

static void blk_request(const struct blockdev_msg *m)
{
	uint32_t *acc;
	int64_t v;

	switch (m->type) {
	case BLOCKDEV_OPEN:
		if (m->u.Open.minor != 0) {
			blockdev_reply_Failed(&blk_mon, m->peer, -ENXIO);
		} else if (!(acc = open_slot(m->peer, 1))) {
			blockdev_reply_Failed(&blk_mon, m->peer, -ENFILE);
		} else {
			*acc = m->u.Open.access;
			blockdev_reply_Opened(&blk_mon, m->peer, RAMDISK_BYTES, SECTOR);
		}
		return;
	case BLOCKDEV_CLOSE:
		if ((acc = open_slot(m->peer, 0)))
			*acc = 0;
		blockdev_reply_Done(&blk_mon, m->peer, 0);
		return;
	case BLOCKDEV_READ:
		v = blk_transfer(0, m->u.Read.offset, m->u.Read.buf, m->u.Read.length,
		    m->u.Read.minor, m->peer);
		break;
	case BLOCKDEV_WRITE:
		v = blk_transfer(1, m->u.Write.offset, m->u.Write.buf, m->u.Write.length,
		    m->u.Write.minor, m->peer);
		break;
	case BLOCKDEV_IOCTL:
		v = -ENOTTY;
		break;
	default:
		return;
	}
	if (v < 0)
		blockdev_reply_Failed(&blk_mon, m->peer, (int32_t)v);
	else
		blockdev_reply_Done(&blk_mon, m->peer, v);
}

int main(void)
{
	struct chardev_msg cm;
	struct blockdev_msg bm;
	message_t m;
	int r;

	driver_init_log();
	chardev_monitor_init(&char_mon, CONTRACT_SERVER);
	blockdev_monitor_init(&blk_mon, CONTRACT_SERVER);
	reseed(64);
	printf("memory: null zero full random urandom, RAM disk %u KiB%s\n",
	    RAMDISK_BYTES >> 10, has_rdrand() ? ", RDRAND" : "");
	for (;;) {
		if ((r = ipc_receive(ANY, &m)) < 0) {
			printf("memory: receive failed: %d\n", r);
			continue;
		}
		if (m.type == MSG_NOTIFY)
			(void)driver_heartbeat(&m);
		else if (BLOCKDEV_OWNS(m.type)) {
			if (blockdev_accept(&blk_mon, &m, &bm) == 0)
				blk_request(&bm);
		} else if (chardev_accept(&char_mon, &m, &cm) == 0)
			char_request(&cm);
	}
}
