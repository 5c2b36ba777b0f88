/*
 * test_tcp.c - TCP between two simulated stacks: handshake and options,
 * resets, bulk transfer over a bad link, congestion control, closing,
 * TIME_WAIT, simultaneous open and close, zero windows, keep-alive and
 * hostile segments.
 */
#include <stdlib.h>

#include "harness.h"

static uint8_t buf[65536];

/* The byte at offset i of a test stream; never periodic in a window. */
static uint8_t
stream_byte(uint64_t i, uint32_t salt)
{
	uint64_t x = (i + salt) * 0x9e3779b97f4a7c15ull;

	return (uint8_t)(x >> 56 ^ x >> 29 ^ i >> 17);
}

struct xfer {
	struct net *sn, *rn;
	int ss, rs;
	uint32_t salt;
	uint64_t total, sent, recvd;
	uint32_t sum_sent, sum_recvd;	/* Fletcher-32 style, both ends */
	bool shut, eof, bad;
};

static void
fletcher(uint32_t *sum, const uint8_t *p, size_t n)
{
	uint32_t a = *sum & 0xffff, b = *sum >> 16;

	while (n-- > 0) {
		a = (a + *p++) % 65535;
		b = (b + a) % 65535;
	}
	*sum = b << 16 | a;
}

static void
xfer_pump(struct xfer *x)
{
	long r;
	size_t i, n;

	while (x->sent < x->total) {
		n = (size_t)MIN(sizeof(buf), x->total - x->sent);
		for (i = 0; i < n; i++)
			buf[i] = stream_byte(x->sent + i, x->salt);
		r = net_send(x->sn, x->ss, buf, n, 0);
		if (r <= 0) {
			if (r != -NET_EAGAIN)
				x->bad = true;
			break;
		}
		fletcher(&x->sum_sent, buf, (size_t)r);
		x->sent += (uint64_t)r;
	}
	if (x->sent == x->total && !x->shut) {
		x->shut = true;
		if (net_shutdown(x->sn, x->ss, NET_SHUT_WR) != 0)
			x->bad = true;
	}
	while (!x->eof) {
		r = net_recv(x->rn, x->rs, buf, sizeof(buf), 0);
		if (r == -NET_EAGAIN)
			break;
		if (r < 0) {
			fprintf(stderr, "  recv error %ld\n", r);
			x->bad = true;
			break;
		}
		if (r == 0) {
			x->eof = true;
			break;
		}
		for (i = 0; i < (size_t)r; i++)
			if (buf[i] != stream_byte(x->recvd + i, x->salt)) {
				x->bad = true;
				break;
			}
		fletcher(&x->sum_recvd, buf, (size_t)r);
		x->recvd += (uint64_t)r;
	}
}

static bool
xfer_done(const struct xfer *x)
{
	return x->eof || x->bad;
}

static bool
tcp_handshake_negotiates_mss_and_window_scale(void)
{
	struct net_sin name;
	int a, l, b, v;

	setup(1500, 20);
	CHECK(tcp_pair(80, &a, &l, &b));
	CHECK(net_tcp_state(&na, a) == TCP_ESTABLISHED);
	CHECK(net_tcp_state(&nb, b) == TCP_ESTABLISHED);
	CHECK(net_getsockname(&na, a, &name) == 0);
	CHECK(net_ntohl(name.addr) == SIM_A_IP && net_ntohs(name.port) >= 49152);
	CHECK(net_getpeername(&nb, b, &name) == 0);
	CHECK(net_ntohl(name.addr) == SIM_A_IP);
	CHECK(net_getpeername(&na, a, &name) == 0);
	CHECK(net_ntohs(name.port) == 80);
	CHECK(net_getsockopt(&na, a, NET_IPPROTO_TCP, NET_TCP_MAXSEG, &v) == 0);
	CHECK(v == 1460);
	/* Both offered scaling: a 128 KiB buffer needs a shift of 2. */
	CHECK(na.socks[a].tcb.wscale_ok && nb.socks[b].tcb.wscale_ok);
	CHECK(na.socks[a].tcb.snd_wscale == 2 && na.socks[a].tcb.rcv_wscale == 2);
	CHECK(net_sock_poll(&na, a) == NET_POLLOUT);
	/* Once B speaks, its scaled window exceeds what 16 bits hold. */
	CHECK(net_send(&nb, b, "hi", 2, 0) == 2);
	sim_run(&sim, 20);
	CHECK(na.socks[a].tcb.snd_wnd > 65535);
	/* A smaller MTU on one side lowers the MSS both use. */
	setup(1000, 21);
	CHECK(tcp_pair(81, &a, &l, &b));
	CHECK(net_getsockopt(&nb, b, NET_IPPROTO_TCP, NET_TCP_MAXSEG, &v) == 0);
	CHECK(v == 960);
	return true;
}

static int rc_sock;

static bool
rc_failed(void)
{
	return net_tcp_state(&na, rc_sock) == TCP_CLOSED;
}

static bool
tcp_connect_to_closed_port_is_refused(void)
{
	struct net_sin to = mksin(SIM_B_IP, 81);
	int err;

	setup(1500, 22);
	rc_sock = net_socket(&na, NET_AF_INET, NET_SOCK_STREAM, 0);
	CHECK(net_connect(&na, rc_sock, &to) == -NET_EINPROGRESS);
	CHECK(net_connect(&na, rc_sock, &to) == -NET_EALREADY);
	CHECK(run_until(rc_failed, 1000));
	CHECK(nb.stats.tcp_rst_out == 1);
	CHECK(net_sock_poll(&na, rc_sock) & NET_POLLERR);
	CHECK(net_getsockopt(&na, rc_sock, NET_SOL_SOCKET, NET_SO_ERROR,
	    &err) == 0);
	CHECK(err == NET_ECONNREFUSED);
	return true;
}

static struct xfer xa, xb;

static bool
both_done(void)
{
	xfer_pump(&xa);
	xfer_pump(&xb);
	return xfer_done(&xa) && xfer_done(&xb);
}

static bool
run_transfer(uint64_t bytes, unsigned max_ms)
{
	int a, l, b;

	CHECK(tcp_pair(5001, &a, &l, &b));
	memset(&xa, 0, sizeof(xa));
	memset(&xb, 0, sizeof(xb));
	xa.sn = &na; xa.ss = a; xa.rn = &nb; xa.rs = b;
	xa.total = bytes; xa.salt = 1;
	xb.sn = &nb; xb.ss = b; xb.rn = &na; xb.rs = a;
	xb.total = bytes; xb.salt = 2;
	CHECK(run_until(both_done, max_ms));
	CHECK(!xa.bad && !xb.bad);
	CHECK(xa.recvd == bytes && xb.recvd == bytes);
	CHECK(xa.sum_sent == xa.sum_recvd && xb.sum_sent == xb.sum_recvd);
	net_close(&na, a);
	net_close(&nb, b);
	return true;
}

static bool
tcp_10mib_each_way_over_lossy_reordering_link(void)
{
	setup(1500, 23);
	prime_arp();
	sim.loss_pct10 = 50;		/* 5% */
	sim.reorder_pct10 = 50;
	sim.dup_pct10 = 10;
	CHECK(run_transfer(10u << 20, 600000));
	CHECK(na.stats.tcp_rexmit > 0 && nb.stats.tcp_rexmit > 0);
	CHECK(na.stats.tcp_fast_rexmit > 0);
	fprintf(stderr, "  10 MiB each way: %llu simulated ms, "
	    "rexmit %u/%u fast %u/%u rto %u/%u\n",
	    (unsigned long long)(sim.now - 1000), na.stats.tcp_rexmit,
	    nb.stats.tcp_rexmit, na.stats.tcp_fast_rexmit,
	    nb.stats.tcp_fast_rexmit, na.stats.tcp_rto, nb.stats.tcp_rto);
	return true;
}

/* Drop the Nth data segment from A to B, once. */
static int drop_nth, data_seen, drop_sock;
static uint32_t flight_at_drop;

static bool
drop_one_data_segment(void *arg, int dir, const uint8_t *f, size_t len)
{
	const struct net_tcb *t = &na.socks[drop_sock].tcb;

	(void)arg;
	if (dir != 0 || len <= 14 + 20 + 20 || f[23] != 6)
		return true;
	if (len - 14 - 20 - (size_t)(f[46] >> 4) * 4 == 0)
		return true;	/* no payload */
	if (++data_seen != drop_nth)
		return true;
	flight_at_drop = t->snd_max - t->snd_una;
	return false;
}

static bool
tcp_fast_retransmit_on_three_dupacks_halves_cwnd(void)
{
	int a, l, b;
	uint32_t before, mss = 1460;
	long r;
	uint64_t total = 0;
	unsigned i;

	setup(1500, 24);
	CHECK(tcp_pair(5002, &a, &l, &b));
	drop_nth = 40;
	data_seen = 0;
	drop_sock = a;
	sim.filter = drop_one_data_segment;
	memset(buf, 'z', sizeof(buf));
	before = net_tcp_cwnd(&na, a);
	CHECK(before == 4380);	/* RFC 5681 initial window, 3 segments */
	/* Slow start: the window grows with each ACK until the loss. */
	for (i = 0; i < 400 && na.stats.tcp_fast_rexmit == 0; i++) {
		r = net_send(&na, a, buf, sizeof(buf), 0);
		CHECK(r > 0 || r == -NET_EAGAIN);
		while ((r = net_recv(&nb, b, buf, sizeof(buf), 0)) > 0)
			total += (uint64_t)r;
		before = MAX(before, net_tcp_cwnd(&na, a));
		sim_step(&sim);
	}
	CHECK(na.stats.tcp_fast_rexmit == 1);
	CHECK(before > 8 * mss);
	CHECK(na.socks[a].tcb.in_recovery);
	/* ssthresh is half the flight at the third dupack, which slow start
	 * may have grown to at most twice the flight at the loss. */
	CHECK(na.socks[a].tcb.ssthresh <= flight_at_drop + mss);
	CHECK(na.socks[a].tcb.ssthresh >= 2 * mss);
	CHECK(net_tcp_cwnd(&na, a) >= na.socks[a].tcb.ssthresh + 3 * mss);
	for (i = 0; i < 500 && na.socks[a].tcb.in_recovery; i++) {
		(void)net_send(&na, a, buf, sizeof(buf), 0);
		while ((r = net_recv(&nb, b, buf, sizeof(buf), 0)) > 0)
			total += (uint64_t)r;
		sim_step(&sim);
	}
	/* Out of recovery with the window deflated to ssthresh. */
	CHECK(!na.socks[a].tcb.in_recovery);
	CHECK(net_tcp_cwnd(&na, a) <= na.socks[a].tcb.ssthresh);
	CHECK(net_tcp_cwnd(&na, a) < before);
	for (i = 0; i < 1000; i++) {
		(void)net_send(&na, a, buf, sizeof(buf), 0);
		while ((r = net_recv(&nb, b, buf, sizeof(buf), 0)) > 0)
			total += (uint64_t)r;
		sim_step(&sim);
	}
	if (getenv("NET_TRACE"))
		fprintf(stderr, "now %llu una %u nxt %u max %u wnd %u cwnd %u "
		    "txlen %u rexmit %llu persist %llu total %llu\n",
		    (unsigned long long)sim.now, na.socks[a].tcb.snd_una,
		    na.socks[a].tcb.snd_nxt, na.socks[a].tcb.snd_max,
		    na.socks[a].tcb.snd_wnd, na.socks[a].tcb.cwnd,
		    na.socks[a].tx_len,
		    (unsigned long long)na.socks[a].tcb.t_rexmit,
		    (unsigned long long)na.socks[a].tcb.t_persist,
		    (unsigned long long)total);
	CHECK(na.stats.tcp_rto == 0);	/* recovered without a timeout */
	CHECK(na.stats.tcp_fast_rexmit == 1);
	CHECK(total > 1000000);
	sim.filter = NULL;
	return true;
}

static bool
tcp_timeout_collapses_cwnd_then_recovers(void)
{
	int a, l, b;
	long r;
	unsigned i;
	uint64_t total = 0;

	setup(1500, 25);
	CHECK(tcp_pair(5003, &a, &l, &b));
	memset(buf, 'q', sizeof(buf));
	for (i = 0; i < 200; i++) {
		(void)net_send(&na, a, buf, sizeof(buf), 0);
		while ((r = net_recv(&nb, b, buf, sizeof(buf), 0)) > 0)
			total += (uint64_t)r;
		sim_step(&sim);
	}
	CHECK(net_tcp_cwnd(&na, a) > 10 * 1460);
	sim.down = true;	/* a blackout: everything in flight is lost */
	sim_run(&sim, 3000);
	CHECK(na.stats.tcp_rto >= 1);
	CHECK(net_tcp_cwnd(&na, a) == 1460);
	CHECK(na.socks[a].tcb.rto > NET_TCP_RTO_MIN);	/* backed off */
	sim.down = false;
	total = 0;
	for (i = 0; i < 20000 && total < 1000000; i++) {
		(void)net_send(&na, a, buf, sizeof(buf), 0);
		while ((r = net_recv(&nb, b, buf, sizeof(buf), 0)) > 0)
			total += (uint64_t)r;
		sim_step(&sim);
	}
	CHECK(total >= 1000000);
	CHECK(net_tcp_state(&na, a) == TCP_ESTABLISHED);
	return true;
}

static int ca, cb;

static bool
a_fin_wait_2(void)
{
	return net_tcp_state(&na, ca) == TCP_FIN_WAIT_2;
}

static bool
tcp_orderly_close_and_time_wait_expiry(void)
{
	int l;

	setup(1500, 26);
	CHECK(tcp_pair(5004, &ca, &l, &cb));
	CHECK(net_send(&na, ca, "last words", 10, 0) == 10);
	CHECK(net_shutdown(&na, ca, NET_SHUT_WR) == 0);
	CHECK(net_tcp_state(&na, ca) == TCP_FIN_WAIT_1);
	CHECK(net_send(&na, ca, "more", 4, 0) == -NET_EPIPE);
	CHECK(run_until(a_fin_wait_2, 1000));
	CHECK(net_tcp_state(&nb, cb) == TCP_CLOSE_WAIT);
	CHECK(net_recv(&nb, cb, buf, sizeof(buf), 0) == 10);
	CHECK(net_recv(&nb, cb, buf, sizeof(buf), 0) == 0);	/* EOF */
	CHECK(net_sock_poll(&nb, cb) & NET_POLLRDHUP);
	/* Half-closed: B may still talk. */
	CHECK(net_send(&nb, cb, "reply", 5, 0) == 5);
	sim_run(&sim, 50);
	CHECK(net_recv(&na, ca, buf, sizeof(buf), 0) == 5);
	CHECK(net_close(&nb, cb) == 0);
	CHECK(nb.socks[cb].state == TCP_LAST_ACK);
	sim_run(&sim, 50);
	CHECK(!nb.socks[cb].used);	/* LAST_ACK -> CLOSED, freed */
	CHECK(net_tcp_state(&na, ca) == TCP_TIME_WAIT);
	CHECK(net_recv(&na, ca, buf, sizeof(buf), 0) == 0);
	sim_run(&sim, 2 * NET_TCP_MSL - 200);
	CHECK(net_tcp_state(&na, ca) == TCP_TIME_WAIT);
	sim_run(&sim, 400);
	CHECK(net_tcp_state(&na, ca) == TCP_CLOSED);
	CHECK(net_close(&na, ca) == 0);
	return true;
}

static bool
both_established(void)
{
	return net_tcp_state(&na, ca) == TCP_ESTABLISHED &&
	    net_tcp_state(&nb, cb) == TCP_ESTABLISHED;
}

static bool
both_time_wait(void)
{
	return net_tcp_state(&na, ca) == TCP_TIME_WAIT &&
	    net_tcp_state(&nb, cb) == TCP_TIME_WAIT;
}

static bool
tcp_simultaneous_open_and_close(void)
{
	struct net_sin pa = mksin(0, 6001), pb = mksin(0, 6002);
	struct net_sin ta = mksin(SIM_B_IP, 6002), tb = mksin(SIM_A_IP, 6001);

	setup(1500, 27);
	prime_arp();
	ca = net_socket(&na, NET_AF_INET, NET_SOCK_STREAM, 0);
	cb = net_socket(&nb, NET_AF_INET, NET_SOCK_STREAM, 0);
	CHECK(net_bind(&na, ca, &pa) == 0 && net_bind(&nb, cb, &pb) == 0);
	/* Both SYNs cross on the wire (RFC 793 figure 8). */
	CHECK(net_connect(&na, ca, &ta) == -NET_EINPROGRESS);
	CHECK(net_connect(&nb, cb, &tb) == -NET_EINPROGRESS);
	sim_run(&sim, 7);
	CHECK(net_tcp_state(&na, ca) == TCP_SYN_RECEIVED);
	CHECK(run_until(both_established, 2000));
	CHECK(net_send(&na, ca, "ab", 2, 0) == 2);
	CHECK(net_send(&nb, cb, "cd", 2, 0) == 2);
	sim_run(&sim, 30);
	CHECK(net_recv(&na, ca, buf, 8, 0) == 2 && memcmp(buf, "cd", 2) == 0);
	CHECK(net_recv(&nb, cb, buf, 8, 0) == 2 && memcmp(buf, "ab", 2) == 0);
	/* Both FINs cross: CLOSING, then TIME_WAIT on both sides. */
	CHECK(net_shutdown(&na, ca, NET_SHUT_WR) == 0);
	CHECK(net_shutdown(&nb, cb, NET_SHUT_WR) == 0);
	sim_run(&sim, 7);
	CHECK(net_tcp_state(&na, ca) == TCP_CLOSING);
	CHECK(run_until(both_time_wait, 2000));
	sim_run(&sim, 2 * NET_TCP_MSL + 100);
	CHECK(net_tcp_state(&na, ca) == TCP_CLOSED);
	CHECK(net_tcp_state(&nb, cb) == TCP_CLOSED);
	return true;
}

static bool
tcp_zero_window_probed_until_reader_drains(void)
{
	int a, l, b, v;
	long r;
	uint64_t sent = 0, got = 0;
	unsigned i;

	setup(1500, 28);
	prime_arp();
	l = net_socket(&nb, NET_AF_INET, NET_SOCK_STREAM, 0);
	CHECK(net_setsockopt(&nb, l, NET_SOL_SOCKET, NET_SO_RCVBUF, 4096) == 0);
	CHECK(net_getsockopt(&nb, l, NET_SOL_SOCKET, NET_SO_RCVBUF, &v) == 0);
	CHECK(v == 8192);
	{
		struct net_sin bsin = mksin(0, 7001), to = mksin(SIM_B_IP, 7001);

		CHECK(net_bind(&nb, l, &bsin) == 0);
		CHECK(net_listen(&nb, l, 2) == 0);
		a = net_socket(&na, NET_AF_INET, NET_SOCK_STREAM, 0);
		CHECK(net_connect(&na, a, &to) == -NET_EINPROGRESS);
	}
	sim_run(&sim, 50);
	b = net_accept(&nb, l, NULL);
	CHECK(b >= 0);
	memset(buf, 'w', sizeof(buf));
	for (i = 0; i < 3000; i++) {
		r = net_send(&na, a, buf, 20000, 0);
		if (r > 0)
			sent += (uint64_t)r;
		sim_step(&sim);
	}
	CHECK(na.socks[a].tcb.snd_wnd == 0);
	sim_run(&sim, 20000);
	CHECK(na.stats.tcp_zwp_out >= 3);
	CHECK(net_tcp_state(&na, a) == TCP_ESTABLISHED);
	/* The reader wakes up: everything arrives. */
	for (i = 0; i < 20000 && got < sent; i++) {
		while ((r = net_recv(&nb, b, buf, sizeof(buf), 0)) > 0)
			got += (uint64_t)r;
		sim_step(&sim);
	}
	CHECK(got == sent);
	return true;
}

static bool
a_closed(void)
{
	return net_tcp_state(&na, ca) == TCP_CLOSED;
}

static bool
tcp_keepalive_detects_dead_peer(void)
{
	int l, err;

	setup(1500, 29);
	CHECK(tcp_pair(5005, &ca, &l, &cb));
	CHECK(net_setsockopt(&na, ca, NET_IPPROTO_TCP, NET_TCP_KEEPIDLE, 2) == 0);
	CHECK(net_setsockopt(&na, ca, NET_IPPROTO_TCP, NET_TCP_KEEPINTVL, 1) == 0);
	CHECK(net_setsockopt(&na, ca, NET_IPPROTO_TCP, NET_TCP_KEEPCNT, 3) == 0);
	CHECK(net_setsockopt(&na, ca, NET_SOL_SOCKET, NET_SO_KEEPALIVE, 1) == 0);
	/* A live peer answers the probes: the connection stays. */
	sim_run(&sim, 10000);
	CHECK(na.stats.tcp_keepalive_out >= 3);
	CHECK(net_tcp_state(&na, ca) == TCP_ESTABLISHED);
	/* The peer vanishes. */
	sim.down = true;
	CHECK(run_until(a_closed, 10000));
	CHECK(net_getsockopt(&na, ca, NET_SOL_SOCKET, NET_SO_ERROR, &err) == 0);
	CHECK(err == NET_ETIMEDOUT);
	return true;
}

static size_t
build_tcp(uint8_t *f, uint32_t src, uint16_t sport, uint16_t dport,
    uint32_t seq, uint32_t ack, uint8_t flags, const uint8_t *opt,
    size_t optlen)
{
	uint8_t t[60];
	uint32_t sum;
	uint16_t c;
	size_t hl = 20 + optlen;

	memset(t, 0, sizeof(t));
	t[0] = (uint8_t)(sport >> 8);
	t[1] = (uint8_t)sport;
	t[2] = (uint8_t)(dport >> 8);
	t[3] = (uint8_t)dport;
	t[4] = (uint8_t)(seq >> 24); t[5] = (uint8_t)(seq >> 16);
	t[6] = (uint8_t)(seq >> 8); t[7] = (uint8_t)seq;
	t[8] = (uint8_t)(ack >> 24); t[9] = (uint8_t)(ack >> 16);
	t[10] = (uint8_t)(ack >> 8); t[11] = (uint8_t)ack;
	t[12] = (uint8_t)((hl / 4) << 4);
	t[13] = flags;
	t[14] = 0xff;
	t[15] = 0xff;
	if (optlen > 0)
		memcpy(t + 20, opt, optlen);
	sum = (src >> 16) + (src & 0xffff) + (SIM_B_IP >> 16) +
	    (SIM_B_IP & 0xffff) + 6 + (uint32_t)hl;
	c = test_cksum(t, hl, sum);
	t[16] = (uint8_t)(c >> 8);
	t[17] = (uint8_t)c;
	return build_ip(f, src, SIM_B_IP, 6, 1, 0, 64, t, hl);
}

static bool
tcp_syn_flood_bounded_and_real_client_served(void)
{
	struct net_sin bsin = mksin(0, 8080);
	uint8_t f[128];
	int l, i, used, a, b;

	setup(1500, 30);
	l = net_socket(&nb, NET_AF_INET, NET_SOCK_STREAM, 0);
	CHECK(net_bind(&nb, l, &bsin) == 0);
	CHECK(net_listen(&nb, l, 4) == 0);
	for (i = 0; i < 5000; i++) {
		size_t n = build_tcp(f, 0x0a000000u | (uint32_t)(3 + i % 200),
		    (uint16_t)(1024 + i), 8080, sim_rand(&sim), 0, 0x02,
		    (const uint8_t *)"\x02\x04\x05\xb4", 4);

		sim_inject(&sim, 1, f, n);
		if (i % 100 == 0)
			sim_step(&sim);
	}
	for (used = 0, i = 0; i < NET_SOCKETS; i++)
		used += nb.socks[i].used;
	CHECK(used <= 1 + 4);
	CHECK(nb.stats.tcp_syn_evicted >= 4900);
	/* A real client, between flood bursts, still gets in. */
	{
		struct net_sin to = mksin(SIM_B_IP, 8080);

		a = net_socket(&na, NET_AF_INET, NET_SOCK_STREAM, 0);
		CHECK(net_connect(&na, a, &to) == -NET_EINPROGRESS);
		for (i = 0; i < 3000 && net_tcp_state(&na, a) !=
		    TCP_ESTABLISHED; i++) {
			size_t n = build_tcp(f, 0x0a000050u, (uint16_t)(40000 +
			    i), 8080, (uint32_t)i, 0, 0x02, NULL, 0);

			if (i % 10 == 0)
				sim_inject(&sim, 1, f, n);
			sim_step(&sim);
		}
		CHECK(net_tcp_state(&na, a) == TCP_ESTABLISHED);
		sim_run(&sim, 20);	/* our ACK reaches the listener */
		b = net_accept(&nb, l, NULL);
		CHECK(b >= 0);
	}
	return true;
}

static bool
tcp_blind_rst_and_syn_challenged_exact_rst_resets(void)
{
	uint8_t f[128];
	struct net_sin peer;
	int l, err;
	uint32_t nxt;
	size_t n;

	setup(1500, 31);
	CHECK(tcp_pair(5006, &ca, &l, &cb));
	CHECK(net_getpeername(&nb, cb, &peer) == 0);
	nxt = nb.socks[cb].tcb.rcv_nxt;
	/* In the window but not exact: a challenge ACK, no reset. */
	n = build_tcp(f, SIM_A_IP, net_ntohs(peer.port), 5006, nxt + 1000, 0,
	    0x04, NULL, 0);
	sim_inject(&sim, 1, f, n);
	CHECK(net_tcp_state(&nb, cb) == TCP_ESTABLISHED);
	/* A SYN on an open connection: also only a challenge. */
	n = build_tcp(f, SIM_A_IP, net_ntohs(peer.port), 5006, nxt + 5, 0,
	    0x02, NULL, 0);
	sim_inject(&sim, 1, f, n);
	CHECK(net_tcp_state(&nb, cb) == TCP_ESTABLISHED);
	/* Options that run off the header: dropped. */
	n = build_tcp(f, SIM_A_IP, net_ntohs(peer.port), 5006, nxt, 0,
	    0x10, (const uint8_t *)"\x02\x08\x05\xb4", 4);
	sim_inject(&sim, 1, f, n);
	n = build_tcp(f, SIM_A_IP, net_ntohs(peer.port), 5006, nxt, 0,
	    0x10, (const uint8_t *)"\x01\x01\x03\x00", 4);
	sim_inject(&sim, 1, f, n);
	CHECK(nb.stats.tcp_drop == 2);
	CHECK(net_tcp_state(&nb, cb) == TCP_ESTABLISHED);
	/* Exactly at rcv_nxt: the reset is believed. */
	n = build_tcp(f, SIM_A_IP, net_ntohs(peer.port), 5006, nxt, 0, 0x04,
	    NULL, 0);
	sim_inject(&sim, 1, f, n);
	CHECK(net_tcp_state(&nb, cb) == TCP_CLOSED);
	CHECK(net_recv(&nb, cb, buf, 10, 0) == -NET_ECONNRESET);
	CHECK(net_getsockopt(&nb, cb, NET_SOL_SOCKET, NET_SO_ERROR, &err) == 0);
	CHECK(err == 0);	/* reported once */
	return true;
}

static bool
tcp_close_with_unread_data_resets_peer(void)
{
	int l;

	setup(1500, 32);
	CHECK(tcp_pair(5007, &ca, &l, &cb));
	CHECK(net_send(&na, ca, "unread", 6, 0) == 6);
	sim_run(&sim, 30);
	CHECK(net_close(&nb, cb) == 0);
	CHECK(run_until(a_closed, 100));
	CHECK(net_send(&na, ca, "x", 1, 0) == -NET_ECONNRESET);
	CHECK(net_send(&na, ca, "x", 1, 0) == -NET_EPIPE);
	return true;
}

static bool
tcp_bind_conflicts_and_reuseaddr(void)
{
	struct net_sin s = mksin(0, 9000);
	int x, y;

	setup(1500, 33);
	x = net_socket(&na, NET_AF_INET, NET_SOCK_STREAM, 0);
	y = net_socket(&na, NET_AF_INET, NET_SOCK_STREAM, 0);
	CHECK(net_bind(&na, x, &s) == 0);
	CHECK(net_bind(&na, y, &s) == -NET_EADDRINUSE);
	CHECK(net_bind(&na, x, &s) == -NET_EINVAL);
	CHECK(net_setsockopt(&na, x, NET_SOL_SOCKET, NET_SO_REUSEADDR, 1) == 0);
	CHECK(net_setsockopt(&na, y, NET_SOL_SOCKET, NET_SO_REUSEADDR, 1) == 0);
	CHECK(net_bind(&na, y, &s) == 0);
	CHECK(net_listen(&na, x, 1) == 0);
	CHECK(net_listen(&na, y, 1) == -NET_EADDRINUSE);
	s = mksin(0x0a0a0a0a, 9001);
	CHECK(net_bind(&na, y, &s) == -NET_EINVAL);
	x = net_socket(&na, NET_AF_INET, NET_SOCK_STREAM, 0);
	CHECK(net_bind(&na, x, &s) == -NET_EADDRNOTAVAIL);
	CHECK(net_socket(&na, 10, NET_SOCK_STREAM, 0) == -NET_EAFNOSUPPORT);
	CHECK(net_socket(&na, NET_AF_INET, 3, 0) == -NET_EPROTONOSUPPORT);
	CHECK(net_recv(&na, 1000, buf, 1, 0) == -NET_EBADF);
	return true;
}

const struct test tcp_tests[] = {
	{ "tcp_handshake_negotiates_mss_and_window_scale",
	    tcp_handshake_negotiates_mss_and_window_scale },
	{ "tcp_connect_to_closed_port_is_refused",
	    tcp_connect_to_closed_port_is_refused },
	{ "tcp_fast_retransmit_on_three_dupacks_halves_cwnd",
	    tcp_fast_retransmit_on_three_dupacks_halves_cwnd },
	{ "tcp_timeout_collapses_cwnd_then_recovers",
	    tcp_timeout_collapses_cwnd_then_recovers },
	{ "tcp_orderly_close_and_time_wait_expiry",
	    tcp_orderly_close_and_time_wait_expiry },
	{ "tcp_simultaneous_open_and_close", tcp_simultaneous_open_and_close },
	{ "tcp_zero_window_probed_until_reader_drains",
	    tcp_zero_window_probed_until_reader_drains },
	{ "tcp_keepalive_detects_dead_peer", tcp_keepalive_detects_dead_peer },
	{ "tcp_syn_flood_bounded_and_real_client_served",
	    tcp_syn_flood_bounded_and_real_client_served },
	{ "tcp_blind_rst_and_syn_challenged_exact_rst_resets",
	    tcp_blind_rst_and_syn_challenged_exact_rst_resets },
	{ "tcp_close_with_unread_data_resets_peer",
	    tcp_close_with_unread_data_resets_peer },
	{ "tcp_bind_conflicts_and_reuseaddr", tcp_bind_conflicts_and_reuseaddr },
	{ "tcp_10mib_each_way_over_lossy_reordering_link",
	    tcp_10mib_each_way_over_lossy_reordering_link },
	{ NULL, NULL }
};
