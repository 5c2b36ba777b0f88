/* A tiny test harness: each test prints "ok name" or "not ok name". */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

/* Fails the current test (a function returning int) with the reason. */
#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
		return 1;						\
	}								\
} while (0)

#define RUN(fn) do {							\
	int failed_ = fn();						\
	printf("%s %s\n", failed_ ? "not ok" : "ok", #fn);		\
	failures += failed_;						\
} while (0)

#endif
