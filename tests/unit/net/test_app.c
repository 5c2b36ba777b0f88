/*
 * test_app.c - the DHCP client against a small DHCP server written here
 * on B's sockets, and the DNS helper against hand-made answers.
 */
#include "harness.h"

static uint8_t m[1024];

/* A DHCP reply of `type` for the request in m, offering 10.0.0.77. */
static size_t
make_reply(uint8_t type, const uint8_t *req)
{
	static const uint8_t opts[] = {
		1, 4, 255, 255, 255, 0,		/* mask */
		3, 4, 10, 0, 0, 2,		/* router */
		6, 4, 10, 0, 0, 53,		/* DNS */
		51, 4, 0, 0, 0, 60,		/* lease 60 s */
		54, 4, 10, 0, 0, 2,		/* server id */
		255
	};
	size_t n = 236;

	memset(m, 0, sizeof(m));
	m[0] = 2;
	m[1] = 1;
	m[2] = 6;
	memcpy(m + 4, req + 4, 4);	/* xid */
	memcpy(m + 10, req + 10, 2);	/* flags */
	m[16] = 10;
	m[19] = 77;			/* yiaddr 10.0.0.77 */
	memcpy(m + 28, req + 28, 16);	/* chaddr */
	m[n++] = 99;
	m[n++] = 130;
	m[n++] = 83;
	m[n++] = 99;
	m[n++] = 53;
	m[n++] = 1;
	m[n++] = type;
	memcpy(m + n, opts, sizeof(opts));
	return n + sizeof(opts);
}

/* Find option 53 (message type) in a request. */
static int
msg_type(const uint8_t *r, long len)
{
	long i = 240;

	while (i + 2 < len && r[i] != 255) {
		if (r[i] == 0) {
			i++;
			continue;
		}
		if (r[i] == 53)
			return r[i + 2];
		i += 2 + r[i + 1];
	}
	return -1;
}

static bool
dhcp_client_gets_address_from_server(void)
{
	struct net_sin any = mksin(0, 67), bcast = mksin(0xffffffffu, 68);
	struct net_sin to = mksin(SIM_B_IP, 9);
	uint8_t req[1024];
	int srv, cli, i, seen_discover = 0, seen_request = 0;
	long r;

	setup(1500, 40);
	CHECK(net_if_set_addr(&na, sim.ifx[0], 0, 0, 0) == 0);
	srv = net_socket(&nb, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_bind(&nb, srv, &any) == 0);
	CHECK(net_sendto(&nb, srv, "x", 1, 0, &bcast) == -13);
	CHECK(net_setsockopt(&nb, srv, NET_SOL_SOCKET, NET_SO_BROADCAST, 1)
	    == 0);
	CHECK(net_dhcp_start(&na, sim.ifx[0]) == 0);
	CHECK(!net_dhcp_bound(&na, sim.ifx[0]));
	for (i = 0; i < 2000 && !net_dhcp_bound(&na, sim.ifx[0]); i++) {
		sim_step(&sim);
		r = net_recv(&nb, srv, req, sizeof(req), 0);
		if (r < 240)
			continue;
		if (msg_type(req, r) == 1) {
			seen_discover++;
			CHECK(net_sendto(&nb, srv, m, make_reply(2, req), 0,
			    &bcast) > 0);
		} else if (msg_type(req, r) == 3) {
			seen_request++;
			CHECK(net_sendto(&nb, srv, m, make_reply(5, req), 0,
			    &bcast) > 0);
		}
	}
	CHECK(seen_discover == 1 && seen_request == 1);
	CHECK(net_dhcp_bound(&na, sim.ifx[0]));
	CHECK(na.ifs[sim.ifx[0]].addr == 0x0a00004d);
	CHECK(na.ifs[sim.ifx[0]].mask == 0xffffff00u);
	CHECK(na.ifs[sim.ifx[0]].gateway == SIM_B_IP);
	CHECK(net_dhcp_dns(&na, sim.ifx[0]) == 0x0a000035);
	/* The new address works. */
	cli = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_sendto(&na, cli, "ok", 2, 0, &to) == 2);
	sim_run(&sim, 30);
	CHECK(nb.stats.udp_in >= 3);
	/* At half the lease it asks to renew, keeping its address. */
	for (i = 0; i < 40000 && seen_request == 1; i++) {
		sim_step(&sim);
		r = net_recv(&nb, srv, req, sizeof(req), 0);
		if (r >= 240 && msg_type(req, r) == 3) {
			seen_request++;
			CHECK(sim.now >= 30000);
			CHECK(na.ifs[sim.ifx[0]].addr == 0x0a00004d);
			CHECK(net_sendto(&nb, srv, m, make_reply(5, req), 0,
			    &bcast) > 0);
		}
	}
	CHECK(seen_request == 2);
	sim_run(&sim, 20);
	CHECK(net_dhcp_bound(&na, sim.ifx[0]));
	return true;
}

static bool
dhcp_ignores_foreign_and_garbage_replies(void)
{
	uint8_t req[300];
	size_t n;
	int i;

	setup(1500, 41);
	CHECK(net_if_set_addr(&na, sim.ifx[0], 0, 0, 0) == 0);
	CHECK(net_dhcp_start(&na, sim.ifx[0]) == 0);
	memset(req, 0, sizeof(req));
	/* Wrong xid. */
	req[4] = (uint8_t)~(na.ifs[sim.ifx[0]].dhcp.xid >> 24);
	memcpy(req + 28, sim_mac[0], 6);
	n = make_reply(2, req);
	{
		static uint8_t f[2048];
		size_t fl = build_udp(f, SIM_B_IP, 0xffffffffu, 67, 68, m, n);

		memcpy(f, "\xff\xff\xff\xff\xff\xff", 6);
		sim_inject(&sim, 0, f, fl);
		CHECK(na.ifs[sim.ifx[0]].dhcp.state == 1);
		/* Right xid, options running off the end. */
		req[4] = (uint8_t)(na.ifs[sim.ifx[0]].dhcp.xid >> 24);
		req[5] = (uint8_t)(na.ifs[sim.ifx[0]].dhcp.xid >> 16);
		req[6] = (uint8_t)(na.ifs[sim.ifx[0]].dhcp.xid >> 8);
		req[7] = (uint8_t)na.ifs[sim.ifx[0]].dhcp.xid;
		n = make_reply(2, req);
		/* (The last option, server id, is needed to accept.) */
		for (i = 1; i < (int)n - 240 - 1; i++) {
			fl = build_udp(f, SIM_B_IP, 0xffffffffu, 67, 68, m,
			    240 + (size_t)i);
			memcpy(f, "\xff\xff\xff\xff\xff\xff", 6);
			sim_inject(&sim, 0, f, fl);
		}
		CHECK(na.ifs[sim.ifx[0]].dhcp.state == 1);
		/* And the whole thing: accepted. */
		fl = build_udp(f, SIM_B_IP, 0xffffffffu, 67, 68, m, n);
		memcpy(f, "\xff\xff\xff\xff\xff\xff", 6);
		sim_inject(&sim, 0, f, fl);
		CHECK(na.ifs[sim.ifx[0]].dhcp.state == 2);
	}
	return true;
}

static bool
dns_query_built_and_answer_parsed(void)
{
	static const uint8_t answer[] = {
		0x12, 0x34, 0x81, 0x80, 0, 1, 0, 3, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		3, 'o', 'r', 'g', 0, 0, 1, 0, 1,
		/* CNAME first, then two A records, names compressed */
		0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 16,
		0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 93, 184, 216, 34,
		0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3,
	};
	uint8_t q[300], bad[sizeof(answer)];
	uint32_t addrs[4];
	size_t cut;
	int n;

	n = net_dns_query(q, sizeof(q), 0x1234, "www.example.org");
	CHECK(n == 12 + 17 + 4);
	CHECK(q[0] == 0x12 && q[1] == 0x34 && q[2] == 1 && q[5] == 1);
	CHECK(memcmp(q + 12, answer + 12, 21) == 0);
	CHECK(net_dns_query(q, sizeof(q), 1, "a..b") == -NET_EINVAL);
	CHECK(net_dns_query(q, sizeof(q), 1, "") == -NET_EINVAL);
	CHECK(net_dns_query(q, 20, 1, "www.example.org") == -NET_EMSGSIZE);
	CHECK(net_dns_answer(answer, sizeof(answer), 0x1234, addrs, 4) == 2);
	CHECK(addrs[0] == 0x5db8d822 && addrs[1] == 0x0a010203);
	CHECK(net_dns_answer(answer, sizeof(answer), 0x9999, addrs, 4) ==
	    -NET_EINVAL);
	CHECK(net_dns_answer(answer, sizeof(answer), 0x1234, addrs, 1) == 1);
	/* Every truncation is refused or parsed short, never overread. */
	for (cut = 0; cut < sizeof(answer); cut++) {
		n = net_dns_answer(answer, cut, 0x1234, addrs, 4);
		CHECK(n < 0 || n < 2);
	}
	memcpy(bad, answer, sizeof(answer));
	bad[3] = 0x83;	/* NXDOMAIN */
	CHECK(net_dns_answer(bad, sizeof(bad), 0x1234, addrs, 4) < 0);
	memcpy(bad, answer, sizeof(answer));
	bad[7] = 200;	/* more answers than bytes */
	CHECK(net_dns_answer(bad, sizeof(bad), 0x1234, addrs, 4) < 0);
	return true;
}

const struct test app_tests[] = {
	{ "dhcp_client_gets_address_from_server",
	    dhcp_client_gets_address_from_server },
	{ "dhcp_ignores_foreign_and_garbage_replies",
	    dhcp_ignores_foreign_and_garbage_replies },
	{ "dns_query_built_and_answer_parsed", dns_query_built_and_answer_parsed },
	{ NULL, NULL }
};
