/*
 * The boot image: one file, loaded as the single multiboot module, that
 * holds every boot service's program and compiled manifest. It stays in
 * RAM after boot so that a dead service can be restarted without a disk.
 * Written by tools/mkimage, read by the kernel (kernel/boot_image.c).
 */
#ifndef BULKHEAD_IMAGE_H
#define BULKHEAD_IMAGE_H

#include <stdint.h>
#include "priv.h"

#define IMAGE_MAGIC	"BHIMAGE2"
#define IMAGE_MAX	48	/* services in one image */
#define IMAGE_NAME_LEN	16

/*
 * A service's restart policy, from its manifest's `restart` and
 * `heartbeat` lines (docs/manifests.md). The kernel ignores it; the
 * reincarnation server applies it (docs/recovery.md).
 */
struct image_policy {
	uint32_t limit;		/* restarts allowed inside one window ... */
	uint32_t window;	/* ... of this many ticks; one more failure: give up */
	uint32_t backoff;	/* ticks before the 2nd restart in a window, doubling */
	uint32_t missed;	/* heartbeat periods it may miss; 0: not pinged */
	uint32_t flags;		/* IMAGE_POL_* */
	uint32_t reserved;
};
#define IMAGE_POL_ONESHOT	1	/* an exit with status 0 is the end, not a failure */
/* What a manifest without `restart`/`heartbeat` lines gets. */
#define IMAGE_POL_DEFAULT_LIMIT		10
#define IMAGE_POL_DEFAULT_WINDOW	6000
#define IMAGE_POL_DEFAULT_BACKOFF	10
#define IMAGE_POL_DEFAULT_MISSED	4

struct image_entry {
	char name[IMAGE_NAME_LEN];
	uint64_t offset;	/* of the ELF program (or file), from the image start */
	uint64_t size;
	uint32_t kind;		/* IMAGE_PROGRAM, or IMAGE_FILE: data, no process */
	uint32_t reserved;
	struct priv_spec priv;
	struct image_policy policy;
};
#define IMAGE_PROGRAM	0
#define IMAGE_FILE	1

struct image_header {
	char magic[8];
	uint32_t count;
	uint32_t reserved;
	/* Linux system call n goes to the holder of privilege id
	 * syscall_owner[n] - 1; 0: no server owns it (ENOSYS). From the
	 * manifests' `syscalls` lines. */
	uint8_t syscall_owner[512];
	struct image_entry entry[];
};

#endif
