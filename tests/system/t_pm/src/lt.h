/* Helpers for the PM test's Linux programs (musl-gcc -static). */
#ifndef PMT_LT_H
#define PMT_LT_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int failed;

/* One line per write: no stdio buffer for fork to duplicate. */
static void say(const char *s)
{
	(void)!write(1, s, strlen(s));
}

static void check(const char *name, int ok, long got)
{
	char b[200];

	if (ok)
		snprintf(b, sizeof(b), "ok %s\n", name);
	else
		snprintf(b, sizeof(b), "not ok %s (got %ld)\n", name, got);
	if (!ok)
		failed++;
	say(b);
}

#endif
