/*
 * What the ext2 server's files share: lib/ext2's configuration (which
 * must be the same in main.c and in ext2lib.c, since both see struct
 * ext2_fs) and the disk client of disk.c.
 */
#ifndef SERVERS_EXT2_FS_H
#define SERVERS_EXT2_FS_H

/* The cache in front of the disk: lib/ext2's default of 32 blocks was
 * enough for a RAM disk, but every miss is now a round trip to the disk
 * driver. 1024 buffers of 4 KiB are 4 MiB, a megabyte of 1 KiB blocks:
 * busybox and the directories a shell walks stay in memory. */
#define EXT2_NBUF	1024

#include "../../lib/ext2/ext2.h"

/* The disk: minor 0 of the block driver named `driver`, opened read-write.
 * 0 and its size in 512-byte sectors, or a negative errno. */
int disk_open(const char *driver, uint64_t *nsectors);

/* struct ext2_dev's read and write (ctx unused). */
int disk_read(void *ctx, uint64_t sector, uint32_t count, void *buf);
int disk_write(void *ctx, uint64_t sector, uint32_t count, const void *buf);

#endif
