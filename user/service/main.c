/*
 * `service` as a native program. Started from a boot image it has no
 * arguments (boot services get only their endpoint and name), so it runs
 * `service list` once and exits; RS's policy marks it one-shot. A later
 * static-Linux `service` reaches RS through PM (docs/recovery.md).
 */
#include "../../lib/sys/sys.h"

int service_run(int argc, char **argv, char *out, size_t outlen);

int main(endpoint_t self, const char *name)
{
	char *argv[] = { (char *)name, "list", NULL };

	(void)self;
	return service_run(2, argv, NULL, 0) < 0 ? 1 : 0;
}
