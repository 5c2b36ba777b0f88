/*
 * The `service` command's work: talks to RS over contracts/rs.contract.
 *
 *   service list                 name, endpoint, restarts, status, last failure
 *   service restart NAME         kill and start again (counts as a restart)
 *   service down NAME            stop, and keep it down
 *   service up NAME              start from the boot image
 *   service refresh NAME         start a fresh copy (not a failure)
 *
 * Kept apart from main() so a test can run the command in its own process
 * (#include this file) and check the text it prints.
 */
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <rs.h>

static const char *const status_names[] = { "?", "up", "down", "restarting", "failed" };
static const char *const vector_names[] = {
	"divide error", "debug", "nmi", "breakpoint", "overflow", "bound",
	"invalid opcode", "no fpu", "double fault", "", "bad tss",
	"segment not present", "stack fault", "general protection", "page fault",
};

/* Append to out (if any) and print: the console gets every line. */
static void emit(char *out, size_t outlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void emit(char *out, size_t outlen, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	size_t used;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("%s", line);
	if (out && (used = strlen(out)) < outlen)
		snprintf(out + used, outlen - used, "%s", line);
}

/* s, cut or padded with spaces to exactly w characters (lib/mini's printf
 * pads only on the left). */
static const char *col(char *buf, const char *s, size_t w)
{
	size_t n = strlen(s);

	if (n > w)
		n = w;
	memcpy(buf, s, n);
	memset(buf + n, ' ', w - n);
	buf[w] = 0;
	return buf;
}

static void cause_text(char *buf, size_t n, uint32_t cause, uint64_t detail)
{
	switch (cause) {
	case 1: snprintf(buf, n, "exit(%lu)", detail); break;
	case 2: snprintf(buf, n, "crash(%s)", detail < 15 && detail != 9 ?
	    vector_names[detail] : "exception"); break;
	case 3: snprintf(buf, n, "no-heartbeat"); break;
	case 4: snprintf(buf, n, "killed"); break;
	default: snprintf(buf, n, "-"); break;
	}
}

/* Run one command; its output goes to the console and into out. Returns 0
 * or a negative errno. */
int service_run(int argc, char **argv, char *out, size_t outlen)
{
	static struct contract_monitor mon;
	struct rs_msg m;
	uint8_t name[16];
	endpoint_t rs = lookup_endpoint("rs");
	const char *cmd = argc > 1 ? argv[1] : "list";
	int r;

	if (out && outlen)
		out[0] = 0;
	if (rs < 0) {
		emit(out, outlen, "service: cannot find the reincarnation server: error %d\n", rs);
		return rs;
	}
	rs_monitor_init(&mon, CONTRACT_CLIENT);
	if (!strcmp(cmd, "list")) {
		uint32_t i;
		char c1[24], c2[24], c3[24], cause[32], nm[17];
		emit(out, outlen, "%s %8s %8s %s %s %s\n", col(c1, "NAME", 15), "ENDPOINT",
		    "RESTARTS", col(c2, "STATUS", 10), col(c3, "LAST-FAILURE", 22),
		    "RECOVERY-TICKS");
		for (i = 0;; i++) {
			if ((r = rs_call_List(&mon, rs, i, &m)) == 0 && m.type == RS_FAIL)
				r = m.u.Fail.error == -ENOENT ? 0 : m.u.Fail.error;
			if (r < 0)
				emit(out, outlen, "service list: error %d\n", r);
			if (r < 0 || m.type == RS_FAIL)
				return r;
			cause_text(cause, sizeof(cause), m.u.Entry.cause, m.u.Entry.detail);
			memcpy(nm, m.u.Entry.name, 16);
			nm[16] = 0;
			emit(out, outlen, "%s %8d %8u %s %s %lu\n", col(c1, nm, 15),
			    m.u.Entry.ep, m.u.Entry.restarts,
			    col(c2, status_names[m.u.Entry.status], 10),
			    col(c3, cause, 22), m.u.Entry.recovery);
		}
	}
	if (argc < 3) {
		emit(out, outlen, "usage: service list | restart|down|up|refresh NAME\n");
		return -EINVAL;
	}
	memset(name, 0, sizeof(name));
	strncpy((char *)name, argv[2], sizeof(name) - 1);
	if (!strcmp(cmd, "restart"))
		r = rs_call_Restart(&mon, rs, name, &m);
	else if (!strcmp(cmd, "down"))
		r = rs_call_Down(&mon, rs, name, &m);
	else if (!strcmp(cmd, "up"))
		r = rs_call_Up(&mon, rs, name, &m);
	else if (!strcmp(cmd, "refresh"))
		r = rs_call_Refresh(&mon, rs, name, &m);
	else
		r = -EINVAL;
	if (r == 0 && m.type == RS_FAIL)
		r = m.u.Fail.error;
	if (r < 0)
		emit(out, outlen, "service %s %s: error %d\n", cmd, argv[2], r);
	else
		emit(out, outlen, "service %s %s: endpoint %d\n", cmd, argv[2], m.u.Done.ep);
	return r;
}
