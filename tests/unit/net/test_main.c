/*
 * test_main.c - runs the host tests of lib/net; one "ok"/"not ok" line per
 * test, exit status 0 only if all passed.
 */
#include <stdlib.h>

#include "harness.h"

struct net na, nb;
struct sim sim;

void
setup(uint16_t mtu, uint64_t seed)
{
	sim_init(&sim, &na, &nb, mtu, seed);
}

struct net_sin
mksin(uint32_t addr, uint16_t port)
{
	struct net_sin s;

	memset(&s, 0, sizeof(s));
	s.family = NET_AF_INET;
	s.addr = net_htonl(addr);
	s.port = net_htons(port);
	return s;
}

bool
run_until(bool (*pred)(void), unsigned max_ms)
{
	while (max_ms-- > 0) {
		if (pred())
			return true;
		sim_step(&sim);
	}
	return pred();
}

static int pair_a, pair_l;

static bool
pair_ready(void)
{
	return net_tcp_state(&na, pair_a) == TCP_ESTABLISHED &&
	    (net_sock_poll(&nb, pair_l) & NET_POLLIN);
}

bool
tcp_pair(uint16_t port, int *a_sock, int *b_listener, int *b_sock)
{
	struct net_sin sb = mksin(0, port), dst = mksin(SIM_B_IP, port);

	*b_listener = net_socket(&nb, NET_AF_INET, NET_SOCK_STREAM, 0);
	CHECK(*b_listener >= 0);
	CHECK(net_bind(&nb, *b_listener, &sb) == 0);
	CHECK(net_listen(&nb, *b_listener, 8) == 0);
	*a_sock = net_socket(&na, NET_AF_INET, NET_SOCK_STREAM, 0);
	CHECK(*a_sock >= 0);
	CHECK(net_connect(&na, *a_sock, &dst) == -NET_EINPROGRESS);
	pair_a = *a_sock;
	pair_l = *b_listener;
	CHECK(run_until(pair_ready, 5000));
	*b_sock = net_accept(&nb, *b_listener, NULL);
	CHECK(*b_sock >= 0);
	return true;
}

uint16_t
test_cksum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t
build_ip(uint8_t *f, uint32_t src, uint32_t dst, uint8_t proto, uint16_t id,
    uint16_t frag, uint8_t ttl, const uint8_t *pl, size_t len)
{
	uint8_t *h = f + 14;
	uint16_t c;

	memcpy(f, sim_mac[1], 6);
	memcpy(f + 6, sim_mac[0], 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(h, 0, 20);
	h[0] = 0x45;
	h[2] = (uint8_t)((20 + len) >> 8);
	h[3] = (uint8_t)(20 + len);
	h[4] = (uint8_t)(id >> 8);
	h[5] = (uint8_t)id;
	h[6] = (uint8_t)(frag >> 8);
	h[7] = (uint8_t)frag;
	h[8] = ttl;
	h[9] = proto;
	h[12] = (uint8_t)(src >> 24);
	h[13] = (uint8_t)(src >> 16);
	h[14] = (uint8_t)(src >> 8);
	h[15] = (uint8_t)src;
	h[16] = (uint8_t)(dst >> 24);
	h[17] = (uint8_t)(dst >> 16);
	h[18] = (uint8_t)(dst >> 8);
	h[19] = (uint8_t)dst;
	c = test_cksum(h, 20, 0);
	h[10] = (uint8_t)(c >> 8);
	h[11] = (uint8_t)c;
	memcpy(h + 20, pl, len);
	return 14 + 20 + len;
}

size_t
build_udp(uint8_t *f, uint32_t src, uint32_t dst, uint16_t sport,
    uint16_t dport, const uint8_t *data, size_t len)
{
	static uint8_t u[70000];
	uint32_t sum;
	uint16_t c;

	u[0] = (uint8_t)(sport >> 8);
	u[1] = (uint8_t)sport;
	u[2] = (uint8_t)(dport >> 8);
	u[3] = (uint8_t)dport;
	u[4] = (uint8_t)((8 + len) >> 8);
	u[5] = (uint8_t)(8 + len);
	u[6] = u[7] = 0;
	memcpy(u + 8, data, len);
	sum = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
	    17 + (uint32_t)(8 + len);
	c = test_cksum(u, 8 + len, sum);
	if (c == 0)
		c = 0xffff;
	u[6] = (uint8_t)(c >> 8);
	u[7] = (uint8_t)c;
	return build_ip(f, src, dst, 17, 0x1234, 0, 64, u, 8 + len);
}

void
prime_arp(void)
{
	struct net_sin to = mksin(SIM_B_IP, 9);
	int s = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM, 0);

	/* One datagram to the discard port: ARP both ways, then quiet. */
	(void)net_sendto(&na, s, "x", 1, 0, &to);
	sim_run(&sim, 50);
	net_close(&na, s);
}

static const char *only;	/* argv[1]: run just this test */

static int
run_list(const struct test *t, int *failed)
{
	int count = 0;

	for (; t->name != NULL; t++, count++) {
		bool ok;

		if (only != NULL && strcmp(only, t->name) != 0)
			continue;
		ok = t->fn();

		printf("%s %s\n", ok ? "ok" : "not ok", t->name);
		fflush(stdout);
		if (!ok)
			(*failed)++;
	}
	return count;
}

int
main(int argc, char **argv)
{
	int failed = 0;

	if (argc > 1)
		only = argv[1];
	run_list(link_tests, &failed);
	run_list(tcp_tests, &failed);
	run_list(app_tests, &failed);
	return failed == 0 ? 0 : 1;
}
