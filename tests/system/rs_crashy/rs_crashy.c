/* rs_crashy: crashes as soon as it starts, every time, so RS's restart
 * limit must stop restarting it. */
#include "../test.h"

static volatile uintptr_t bad_addr = 0x10;

int main(void)
{
	*(volatile int *)bad_addr = 1;
	return 0;
}
