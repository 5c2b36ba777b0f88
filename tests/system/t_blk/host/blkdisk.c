/*
 * Host side of the block driver test (tests/system/t_blk):
 *   blkdisk make FILE    write the 4 MiB test disk, every sector tag 0
 *   blkdisk check FILE   after the run: every sector holds what the guest
 *                        tests should have left there (pattern.h); prints
 *                        ok/not ok lines for tools/run-tests
 */
#include <stdio.h>
#include <string.h>
#include "../pattern.h"

static int make(const char *path)
{
	uint8_t buf[BLK_SECTOR];
	FILE *f = fopen(path, "wb");
	uint32_t s;

	if (!f) {
		perror(path);
		return 1;
	}
	for (s = 0; s < BLK_SECTORS; s++) {
		blk_fill(buf, s, 0);
		if (fwrite(buf, 1, sizeof(buf), f) != sizeof(buf)) {
			perror(path);
			fclose(f);
			return 1;
		}
	}
	return fclose(f) ? 1 : 0;
}

static int check(const char *path)
{
	uint8_t buf[BLK_SECTOR], want[BLK_SECTOR];
	unsigned bad[2 + BLK_CLIENTS] = { 0 }, first_bad = 0, nbad = 0;
	FILE *f = fopen(path, "rb");
	uint32_t s, t;

	if (!f) {
		printf("not ok blk_host_disk_readable (%s)\n", path);
		return 1;
	}
	for (s = 0; s < BLK_SECTORS; s++) {
		t = blk_final_tag(s);
		blk_fill(want, s, t);
		if (fread(buf, 1, sizeof(buf), f) != sizeof(buf) || memcmp(buf, want, sizeof(buf))) {
			if (!nbad++)
				first_bad = s;
			bad[t]++;
		}
	}
	fclose(f);
	printf("%s blk_host_untouched_sectors_intact (%u bad)\n", bad[0] ? "not ok" : "ok", bad[0]);
	printf("%s blk_host_written_sectors_match (%u bad)\n", bad[1] ? "not ok" : "ok", bad[1]);
	for (t = 0; t < BLK_CLIENTS; t++)
		printf("%s blk_host_client%u_sectors_match (%u bad)\n", bad[2 + t] ? "not ok" : "ok",
		    t, bad[2 + t]);
	if (nbad)
		printf("# first bad sector %u\n", first_bad);
	return nbad != 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "make"))
		return make(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "check"))
		return check(argv[2]);
	fprintf(stderr, "usage: blkdisk make|check FILE\n");
	return 2;
}
