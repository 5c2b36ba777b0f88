/*
 * /sbin/service: the `service` command for the busybox shell, a static
 * Linux (musl) program. Its work is user/service/service.c, the same code
 * as the native command: native IPC to RS over contracts/rs.contract (a
 * Linux program may trap with rax = IPC_BASE + primitive), with the C
 * library's printf writing to standard output.
 *
 * Reaching RS needs privileges a user process does not have: PM gives
 * this program the `service` privilege set (etc/service.svc) when root
 * executes /sbin/service (servers/pm/exec.c). Anyone else running it gets
 * the user set, and RS refuses them (EPERM).
 */
#include <stddef.h>

int service_run(int argc, char **argv, char *out, size_t outlen);

int main(int argc, char **argv)
{
	return service_run(argc, argv, 0, 0) < 0 ? 1 : 0;
}
