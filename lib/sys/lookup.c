/* Finding a service by name. Apart from print.c so that a Linux program
 * that speaks native IPC (user/service/linux) can link it beside its C
 * library's printf. */
#include "sys.h"
#include "../mini/mini.h"

endpoint_t lookup_endpoint(const char *name)
{
	char buf[16];

	strncpy(buf, name, sizeof(buf));
	buf[15] = 0;
	return (endpoint_t)sys_getinfo(INFO_BOOT, (uint64_t)buf, 0, 0);
}
