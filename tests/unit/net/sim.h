/*
 * sim.h - two instances of the stack joined by a simulated Ethernet link,
 * under simulated time. The link can lose, duplicate, reorder and delay
 * frames and has an MTU; a test may also watch or drop single frames.
 */
#ifndef NET_TEST_SIM_H
#define NET_TEST_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "net.h"

#define SIM_MAX_FRAMES	8192
#define SIM_FRAME_MAX	2048

/* Return false to drop the frame. dir: 0 is A to B, 1 is B to A. */
typedef bool (*sim_filter_fn)(void *arg, int dir, const uint8_t *f,
    size_t len);

struct sim_frame {
	int to;
	uint64_t at;
	uint64_t seq;
	size_t len;
	uint8_t data[SIM_FRAME_MAX];
};

struct sim {
	struct net *st[2];
	int ifx[2];
	uint64_t now;
	/* link behaviour, per direction the same */
	unsigned loss_pct10;	/* per mille */
	unsigned dup_pct10;
	unsigned reorder_pct10;
	unsigned delay_ms;
	unsigned mtu;		/* larger frames are dropped (0: no limit) */
	bool down;		/* drop everything */
	sim_filter_fn filter;
	void *filter_arg;
	uint64_t rng;
	uint64_t seq;
	unsigned sent[2], dropped[2], delivered[2];
	unsigned nframes;
	struct sim_frame frames[SIM_MAX_FRAMES];
};

#define SIM_A_IP	0x0a000001u
#define SIM_B_IP	0x0a000002u

extern const uint8_t sim_mac[2][6];

/* Make A (10.0.0.1) and B (10.0.0.2) on 10.0.0.0/24, MTU mtu. */
void sim_init(struct sim *s, struct net *a, struct net *b, uint16_t mtu,
    uint64_t seed);
/* Advance one millisecond: deliver what is due, tick both stacks. */
void sim_step(struct sim *s);
void sim_run(struct sim *s, unsigned ms);
uint32_t sim_rand(struct sim *s);
/* Inject a frame into stack `to` right now, bypassing the link. */
void sim_inject(struct sim *s, int to, const uint8_t *f, size_t len);
/* Frames still in flight. */
unsigned sim_pending(const struct sim *s);

#endif
