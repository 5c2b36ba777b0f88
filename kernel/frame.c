/*
 * Physical page frames: a free list threaded through the free frames
 * themselves (reached through the direct map), so allocation and release
 * are O(1) and need no table.
 */
#include "kernel.h"

static uint64_t free_head;
uint64_t frames_free, frames_total;

void frame_add_range(uint64_t start, uint64_t end)
{
	start = (start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	end &= ~(PAGE_SIZE - 1);
	for (; start < end; start += PAGE_SIZE) {
		frame_free(start);
		frames_total++;
	}
}

uint64_t frame_alloc(void)
{
	uint64_t pa = free_head;

	if (!pa)
		return 0;
	free_head = *(uint64_t *)P2V(pa);
	frames_free--;
	kmemset(P2V(pa), 0, PAGE_SIZE);
	return pa;
}

void frame_free(uint64_t pa)
{
	*(uint64_t *)P2V(pa) = free_head;
	free_head = pa;
	frames_free++;
}
