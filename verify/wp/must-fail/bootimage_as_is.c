/*
 * MUST FAIL: the boot-image check of KC_MAPPHYS as the kernel had it
 * before 710f91d (kernel/kcall/do_vm.c), against the contract that bootimage.c proves for
 * the proposed fix. Not provable, because it is false: with
 * boot_image_size a multiple of PAGE_SIZE (say 8192) and len = 12288,
 * `len <= boot_image_size + PAGE_SIZE` holds, the rounded size minus len
 * wraps to 2^64 - 4096, and pa = boot_image_phys passes: three pages of
 * a two-page image, the third someone else's memory.
 */
#include <stdint.h>

#define PAGE_SIZE	4096ul

/*@ requires boot_image_phys % PAGE_SIZE == 0 && boot_image_size < 0x8000000000000000;
    assigns \nothing;
    ensures \result == 1 ==> boot_image_phys <= pa &&
        pa + len <= boot_image_phys + (boot_image_size + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
 */
int bootimage_allowed(uint64_t boot_image_phys, uint64_t boot_image_size, uint64_t pa, uint64_t len)
{
	if (pa >= boot_image_phys && len <= boot_image_size + PAGE_SIZE &&
	    	    pa - boot_image_phys <= ((boot_image_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) - len)
		return 1;
	return 0;
}
