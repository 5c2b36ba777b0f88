/*
 * Restart policies. The kernel holds no policy and the manifest format has
 * no key for it yet (docs/recovery.md: the proposed `restart limit N window
 * T backoff B` and `heartbeat N` keys), so this table is the one place it
 * lives. The first row is the default for any service not named below.
 */
#include "reinc.h"

static const struct policy table[] = {
	/* name        limit  window  backoff missed  flags */
	{ "*",          10,    6000,   10,     4,      0 },
	/* system tests: a service that crashes in a loop is given up fast */
	{ "rs_crashy",  3,     6000,   1,      4,      0 },
	/* supervisors and one-shot programs do not answer heartbeats */
	{ "test",       0,     6000,   0,      0,      POL_ONESHOT },
	{ "service",    3,     6000,   10,     0,      POL_ONESHOT },
	{ "init",       10,    6000,   10,     0,      0 },
	/*
	 * The real system (etc/boot.image). PM, VFS and ext2 hold state a
	 * fresh copy would not have (processes, open files, the mount, the
	 * block cache): limit 0, RS records the failure and does not restart
	 * them. Their loops do not answer heartbeats yet (PM and VFS: no
	 * handler for RS's notification; ext2: it waits in SENDREC on the
	 * disk driver during a recovery), so they are not pinged. DS answers
	 * (servers/ds/heartbeat.h) and takes the default row.
	 */
	{ "pm",         0,     6000,   10,     0,      0 },
	{ "vfs",        0,     6000,   10,     0,      0 },
	{ "ext2",       0,     6000,   10,     0,      0 },
	/*
	 * tty, pci and virtio-blk answer the heartbeat (lib/driver's
	 * driver_heartbeat) and are restarted, but are not pinged yet: the
	 * answer is a NOTIFY to RS, which needs `ipc rs` in their manifests,
	 * and the same manifests boot in test images without RS (vfs.image,
	 * blk.image, pci.image), where mkimage refuses an ipc target that is
	 * not in the image. Needs an `ipc parent` manifest word or a kernel
	 * rule "a child may always notify its parent".
	 */
	{ "tty",        10,    6000,   10,     0,      0 },
	{ "pci",        10,    6000,   10,     0,      0 },
	{ "virtio-blk", 10,    6000,   10,     0,      0 },
	/* the same for the RTC, memory and printer drivers */
	{ "rtc",        10,    6000,   10,     0,      0 },
	{ "memory",     10,    6000,   10,     0,      0 },
	{ "lpt",        10,    6000,   10,     0,      0 },
	/*
	 * The network (docs/network.md): the e1000 driver is restarted and
	 * NET finds it again (its connections survive); NET itself is
	 * restarted too, but its sockets are gone (VFS's calls on them fail).
	 * Neither answers heartbeats yet (the same manifest question).
	 */
	{ "e1000",      10,    6000,   10,     0,      0 },
	{ "virtio-net", 10,    6000,   10,     0,      0 },
	{ "net",        10,    6000,   10,     0,      0 },
	/* the audio driver: its mixer state is in DS (docs/audio.md) */
	{ "ac97",       10,    6000,   10,     0,      0 },
	/* the disk recovery test's fault injector: runs once, not pinged */
	{ "rs_killer",  0,     6000,   0,      0,      POL_ONESHOT },
	{ "rs_netkiller", 0,   6000,   0,      0,      POL_ONESHOT },
	{ "rs_netsrvkiller", 0, 6000,  0,      0,      POL_ONESHOT },
	/* the audio recovery test's fault injector (tests/run.d/62-audio.sh) */
	{ "audio_killer", 0,   6000,   0,      0,      POL_ONESHOT },
	/* the terminal recovery test's: the same */
	{ "tty_killer", 0,     6000,   0,      0,      POL_ONESHOT },
	/* the printer recovery test's: the same */
	{ "lpt_killer", 0,     6000,   0,      0,      POL_ONESHOT },
};

const struct policy *policy_of(const char *name)
{
	unsigned i;

	for (i = 1; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return &table[0];
}
