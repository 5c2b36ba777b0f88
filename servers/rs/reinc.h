/*
 * The reincarnation server: parent of every other boot service. It restarts
 * a service that crashes, exits or stops answering heartbeats, from its
 * program in the boot image in RAM, and publishes the new endpoint in DS.
 * docs/recovery.md describes the design; this header is RS-internal.
 */
#ifndef RS_REINC_H
#define RS_REINC_H

#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <bulkhead/image.h>

#define RS_TICK		5	/* ticks between RS's clock wake-ups */
#define RS_PING_EVERY	4	/* RS ticks between heartbeats (20 ticks, 0.2 s) */
#define RS_BACKOFF_MAX	1000	/* ticks: the longest back-off delay */

/* What `service list` shows (values of rs.contract's Entry.status, .cause). */
enum { ST_UP = 1, ST_DOWN = 2, ST_WAIT = 3, ST_FAILED = 4 };
enum { CAUSE_NONE, CAUSE_EXIT, CAUSE_CRASH, CAUSE_HANG, CAUSE_KILLED };

struct svc {
	char name[IMAGE_NAME_LEN];
	uint32_t index;		/* image entry index = its privilege id */
	endpoint_t ep;		/* NONE while not running */
	uint32_t status;
	uint32_t restarts;
	uint32_t cause;
	uint64_t detail;	/* exit status, CPU vector */
	uint64_t fail_tick;	/* when the last failure was seen */
	uint64_t fail_tsc;
	uint64_t recovery;	/* ticks from the last failure to running again */
	uint64_t due;		/* ST_WAIT: the tick to restart at */
	uint64_t window_start;
	uint32_t window_fails;
	uint32_t missed;	/* heartbeats not answered in a row */
	int pinged;		/* a ping is out, unanswered */
	int publish;		/* the endpoint still has to reach DS: 1 due,
				 * 2 sent, the answer due */
	const struct image_policy *pol;	/* from its manifest, in the boot image */
};

/* dsmirror.c: DS's state, kept for its next incarnation */
int ds_mirror_init(void);
void ds_mirror_follow(const struct svc *ds);

/* exec.c: the boot image and starting a service from it */
int image_open(void);
const struct image_header *image(void);
long exec_service(const struct image_entry *e, uint32_t priv_id);

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif
