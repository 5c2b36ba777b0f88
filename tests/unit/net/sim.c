/*
 * sim.c - the simulated link between two stacks (see sim.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

const uint8_t sim_mac[2][6] = {
	{ 0x02, 0, 0, 0, 0, 0x01 },
	{ 0x02, 0, 0, 0, 0, 0x02 },
};

uint32_t
sim_rand(struct sim *s)
{
	/* xorshift64*: deterministic per seed, so failures replay. */
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return (uint32_t)((s->rng * 2685821657736338717ull) >> 32);
}

static void
enqueue(struct sim *s, int to, const uint8_t *f, size_t len, uint64_t at)
{
	struct sim_frame *fr;

	if (s->nframes == SIM_MAX_FRAMES) {
		s->dropped[!to]++;	/* link queue full: the frame is lost */
		return;
	}
	fr = &s->frames[s->nframes++];
	fr->to = to;
	fr->at = at;
	fr->seq = s->seq++;
	fr->len = len;
	memcpy(fr->data, f, len);
}

/* NET_TRACE=1 in the environment prints every TCP segment sent. */
static void
trace(const struct sim *s, int from, const uint8_t *f, size_t len)
{
	static int on = -1;
	const uint8_t *t;
	size_t hl;

	if (on < 0)
		on = getenv("NET_TRACE") != NULL;
	if (!on || len < 54 || f[12] != 8 || f[13] != 0 || f[23] != 6)
		return;
	hl = (size_t)(f[14] & 15) * 4;
	t = f + 14 + hl;
	fprintf(stderr, "%6llu %c %c%c%c%c%c seq %u ack %u len %zu win %u\n",
	    (unsigned long long)s->now, from ? '<' : '>',
	    t[13] & 2 ? 'S' : '.', t[13] & 1 ? 'F' : '.',
	    t[13] & 4 ? 'R' : '.', t[13] & 16 ? 'A' : '.',
	    t[13] & 8 ? 'P' : '.',
	    ((unsigned)t[4] << 24 | (unsigned)t[5] << 16 | (unsigned)t[6] << 8 | t[7]),
	    ((unsigned)t[8] << 24 | (unsigned)t[9] << 16 | (unsigned)t[10] << 8 | t[11]),
	    len - 14 - hl - (size_t)(t[12] >> 4) * 4,
	    (unsigned)(t[14] << 8 | t[15]));
}

static void
link_output(struct sim *s, int from, const uint8_t *f, size_t len)
{
	uint64_t at;

	trace(s, from, f, len);
	s->sent[from]++;
	if (len > SIM_FRAME_MAX || s->down ||
	    (s->mtu != 0 && len > s->mtu + 14u) ||
	    (s->filter != NULL && !s->filter(s->filter_arg, from, f, len)) ||
	    sim_rand(s) % 1000 < s->loss_pct10) {
		s->dropped[from]++;
		return;
	}
	at = s->now + s->delay_ms;
	if (sim_rand(s) % 1000 < s->reorder_pct10)
		at += 1 + sim_rand(s) % (2 * s->delay_ms + 2);
	enqueue(s, !from, f, len, at);
	if (sim_rand(s) % 1000 < s->dup_pct10)
		enqueue(s, !from, f, len, at + sim_rand(s) % 3);
}

static void
out_a(void *arg, const uint8_t *f, size_t len)
{
	link_output(arg, 0, f, len);
}

static void
out_b(void *arg, const uint8_t *f, size_t len)
{
	link_output(arg, 1, f, len);
}

void
sim_init(struct sim *s, struct net *a, struct net *b, uint16_t mtu,
    uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->st[0] = a;
	s->st[1] = b;
	s->rng = seed * 0x9e3779b97f4a7c15ull + 1;
	s->delay_ms = 5;
	s->now = 1000;
	net_init(a, seed * 2 + 1, s->now);
	net_init(b, seed * 2 + 2, s->now);
	s->ifx[0] = net_if_add(a, sim_mac[0], mtu, out_a, s);
	s->ifx[1] = net_if_add(b, sim_mac[1], mtu, out_b, s);
	net_if_set_addr(a, s->ifx[0], SIM_A_IP, 0xffffff00u, 0);
	net_if_set_addr(b, s->ifx[1], SIM_B_IP, 0xffffff00u, 0);
}

void
sim_inject(struct sim *s, int to, const uint8_t *f, size_t len)
{
	net_input(s->st[to], s->ifx[to], f, len);
}

unsigned
sim_pending(const struct sim *s)
{
	return s->nframes;
}

void
sim_step(struct sim *s)
{
	bool more = true;

	s->now++;
	net_tick(s->st[0], s->now);
	net_tick(s->st[1], s->now);
	/* Deliver due frames oldest first; delivery may queue more. */
	while (more) {
		struct sim_frame *best = NULL;
		unsigned i;

		for (i = 0; i < s->nframes; i++) {
			struct sim_frame *fr = &s->frames[i];

			if (fr->at <= s->now &&
			    (best == NULL || fr->at < best->at ||
			    (fr->at == best->at && fr->seq < best->seq)))
				best = fr;
		}
		more = best != NULL;
		if (best != NULL) {
			static uint8_t buf[SIM_FRAME_MAX];
			size_t len = best->len;
			int to = best->to;

			memcpy(buf, best->data, len);
			s->nframes--;
			if (best != &s->frames[s->nframes])
				memcpy(best, &s->frames[s->nframes],
				    sizeof(*best));
			s->delivered[to]++;
			net_input(s->st[to], s->ifx[to], buf, len);
		}
	}
}

void
sim_run(struct sim *s, unsigned ms)
{
	while (ms-- > 0)
		sim_step(s);
}
