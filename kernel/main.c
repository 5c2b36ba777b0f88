/*
 * kmain: from the multiboot hand-off to the first user process. The
 * kernel's own work ends here; everything else is a service.
 */
#include "proc.h"

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};

struct mb_module {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

#define MAX_RESERVED	4
#define DMA_POOL_AT	(16ul << 20)
#define DMA_POOL_SIZE	(DMA_POOL_PAGES * PAGE_SIZE)
static uint64_t reserved[MAX_RESERVED][2];
static int nreserved;
extern char __kernel_end[];

/* Give [start, end) to the frame allocator, minus the reserved ranges. */
static void add_free(uint64_t start, uint64_t end, int from)
{
	int i;

	for (i = from; i < nreserved; i++) {
		uint64_t rs = reserved[i][0], re = reserved[i][1];
		if (rs < end && re > start) {
			if (start < rs)
				add_free(start, rs, i + 1);
			if (re < end)
				add_free(re, end, i + 1);
			return;
		}
	}
	if (end > start)
		frame_add_range(start, end);
}

void kmain(uint32_t magic, uint32_t info_pa)
{
	/* Still on the boot page tables: the low GiB is identity mapped. */
	const struct mb_info *mb = (const void *)(uint64_t)info_pa;
	struct mb_module mod = { 0, 0, 0, 0 };
	uint64_t phys_top = 0, off;
	static struct { uint64_t addr, len; } ram[16];
	int nram = 0, i;

	console_init();
	kprintf("\nBulkhead microkernel booting\n");
	if (magic != 0x2BADB002 || !(mb->flags & (1 << 6)))
		panic("not started by a multiboot loader with a memory map");
	if (!(mb->flags & (1 << 3)) || mb->mods_count != 1)
		panic("expected exactly one boot module (the boot image)");
	mod = *(const struct mb_module *)(uint64_t)mb->mods_addr;
	for (off = 0; off < mb->mmap_length && nram < 16;) {
		const struct mb_mmap *m = (const void *)(uint64_t)(mb->mmap_addr + off);
		if (m->type == 1 && m->addr + m->len <= (4ull << 30)) {
			ram[nram].addr = m->addr, ram[nram].len = m->len, nram++;
			if (m->addr + m->len > phys_top)
				phys_top = m->addr + m->len;
		}
		off += m->size + 4;
	}
	paging_init(phys_top);

	reserved[nreserved][0] = 0, reserved[nreserved++][1] = 0x100000;
	reserved[nreserved][0] = 0x100000, reserved[nreserved++][1] = KVA2PA(__kernel_end);
	reserved[nreserved][0] = mod.start, reserved[nreserved++][1] = mod.end;
	/* 4 MiB of contiguous RAM for device DMA (KC_DMA), above 16 MiB. */
	for (i = 0; i < nram; i++) {
		uint64_t s = ram[i].addr < DMA_POOL_AT ? DMA_POOL_AT : ram[i].addr;
		if (s >= mod.end || s + DMA_POOL_SIZE <= mod.start)
			if (s + DMA_POOL_SIZE <= ram[i].addr + ram[i].len) {
				reserved[nreserved][0] = s, reserved[nreserved++][1] = s + DMA_POOL_SIZE;
				dma_pool_init(s);
				break;
			}
	}
	for (i = 0; i < nram; i++)
		add_free(ram[i].addr, ram[i].addr + ram[i].len, 0);

	cpu_init();
	pic_init();
	pit_init(HZ);
	kprintf("kernel: %lu MiB free, NX on, SMEP %s, SMAP %s\n",
	    frames_free * PAGE_SIZE >> 20, cpu_has.smep ? "on" : "off",
	    cpu_has.smap ? "on" : "off");
	for (i = 0; i < NR_SLOTS; i++)
		procs[i].rts = RTS_FREE;
	boot_image_start(mod.start, mod.end - mod.start);
	resume_user();
}
