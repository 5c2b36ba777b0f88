/*
 * harness.h - what the host tests share: the two stacks on their link,
 * checks that report file and line, and helpers to build frames and drive
 * sockets.
 */
#ifndef NET_TEST_HARNESS_H
#define NET_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "sim.h"

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, \
		    __LINE__, #cond); \
		return false; \
	} \
} while (0)

extern struct net na, nb;	/* A = 10.0.0.1, B = 10.0.0.2 */
extern struct sim sim;

typedef bool (*test_fn)(void);
struct test {
	const char *name;
	test_fn fn;
};

/* A fresh pair of stacks and a perfect link of this MTU. */
void setup(uint16_t mtu, uint64_t seed);
struct net_sin mksin(uint32_t addr, uint16_t port);
/* Step the simulation until pred() or max_ms passed; true if pred(). */
bool run_until(bool (*pred)(void), unsigned max_ms);
/* Connect A to a listener on B's port; sockets returned. */
bool tcp_pair(uint16_t port, int *a_sock, int *b_listener, int *b_sock);

/* Frames towards B, built by hand for hostile-input tests. */
size_t build_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto,
    uint16_t id, uint16_t frag, uint8_t ttl, const uint8_t *pl, size_t len);
size_t build_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, const uint8_t *data, size_t len);
uint16_t test_cksum(const uint8_t *p, size_t len, uint32_t sum);

/* Learn each other's MAC addresses so a test's first frame is data. */
void prime_arp(void);

extern const struct test link_tests[];
extern const struct test tcp_tests[];
extern const struct test app_tests[];

#endif
