/*
 * Helpers for system tests: programs in a test boot image that print
 * `ok <name>` / `not ok <name>` on the console; tools/run-tests counts them.
 * The first program of an image is its supervisor: it runs the checks,
 * prints TESTS_DONE and powers the machine off.
 */
#ifndef TESTS_SYSTEM_TEST_H
#define TESTS_SYSTEM_TEST_H

#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"

#define TESTS_DONE	"bulkhead: tests done"

static int tests_failed;

static inline void check(const char *name, int ok, long got)
{
	if (ok) {
		printf("ok %s\n", name);
	} else {
		printf("not ok %s (got %ld)\n", name, got);
		tests_failed++;
	}
}

#define CHECK_EQ(name, expr, want) do { \
	long got_ = (long)(expr); \
	check(name, got_ == (long)(want), got_); \
} while (0)

static inline void __attribute__((noreturn)) tests_finish(void)
{
	printf("%s\n", TESTS_DONE);
	sys_shutdown(tests_failed ? 1 : 0);
	for (;;)
		;
}

/* Wait for a SYSTEM notification and fetch one child event. */
static inline int wait_child_event(struct fault_report *r)
{
	message_t m;

	for (;;) {
		if (sys_getevent(r) == 1)
			return 0;
		if (ipc_receive(SYSTEM, &m) < 0)
			return -1;
	}
}

#endif
