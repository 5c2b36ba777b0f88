/* printf for native programs: formatted, then one KC_PRINT. */
#include "sys.h"
#include "../mini/mini.h"

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	sys_print(buf, (size_t)n);
	return n;
}
