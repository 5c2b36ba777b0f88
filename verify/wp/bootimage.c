/*
 * WP harness: KC_MAPPHYS of the boot image (`memory bootimage`), the range
 * check of kernel/kcall/do_vm.c verbatim (`mirror:` lines). The check as it
 * was before 710f91d is in must-fail/bootimage_as_is.c, where the same
 * contract is not provable (it let a service map one page past the image).
 *
 * Assumed: the image size is below 2^63 (it is in RAM); admitted: masking
 * the low 12 bits rounds down to a page boundary.
 */
#include <stdint.h>

#define PAGE_SIZE	4096ul

/*@ requires boot_image_size < 0x8000000000000000;
    assigns \nothing;
    ensures \result == 1 ==> boot_image_phys % PAGE_SIZE == 0 && boot_image_phys <= pa &&
        pa + len <= boot_image_phys + (boot_image_size + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
 */
int bootimage_allowed(uint64_t boot_image_phys, uint64_t boot_image_size, uint64_t pa, uint64_t len)
{
	/* mirror: kernel/kcall/do_vm.c: uint64_t image_len = (boot_image_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); */
	uint64_t image_len = (boot_image_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	/*@ admit image_len == (boot_image_size + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE; */
	/*@ admit (boot_image_phys & (PAGE_SIZE - 1)) == 0 <==> boot_image_phys % PAGE_SIZE == 0; */
	/* mirror: kernel/kcall/do_vm.c: !(boot_image_phys & (PAGE_SIZE - 1)) && pa >= boot_image_phys && */
	if (!(boot_image_phys & (PAGE_SIZE - 1)) && pa >= boot_image_phys &&
	    /* mirror: kernel/kcall/do_vm.c: len <= image_len && pa - boot_image_phys <= image_len - len) */
	    len <= image_len && pa - boot_image_phys <= image_len - len)
		return 1;
	return 0;
}
