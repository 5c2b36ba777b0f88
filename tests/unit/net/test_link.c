/*
 * test_link.c - Ethernet, ARP, IPv4 (fragmentation, reassembly and the
 * attacks on it), ICMP, UDP and the loopback, on two simulated stacks.
 */
#include <stdlib.h>

#include "harness.h"

static uint8_t frame[70000];
static uint8_t big[65536], got[65536];

static bool
arp_resolves_and_queued_packet_is_sent(void)
{
	struct net_sin to = mksin(SIM_B_IP, 7000), bind = mksin(0, 7000);
	struct net_sin from;
	int sa, sb;
	long r;

	setup(1500, 1);
	sb = net_socket(&nb, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_bind(&nb, sb, &bind) == 0);
	sa = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_sendto(&na, sa, "hello", 5, 0, &to) == 5);
	/* Nothing known yet: a request went out, the datagram waits. */
	CHECK(na.stats.arp_request_out == 1);
	CHECK(net_recvfrom(&nb, sb, got, sizeof(got), 0, &from) ==
	    -NET_EAGAIN);
	sim_run(&sim, 20);
	CHECK(nb.stats.arp_reply_out == 1);
	r = net_recvfrom(&nb, sb, got, sizeof(got), 0, &from);
	CHECK(r == 5 && memcmp(got, "hello", 5) == 0);
	CHECK(net_ntohl(from.addr) == SIM_A_IP);
	/* Resolved now: the next datagram needs no new request. */
	CHECK(net_sendto(&na, sa, "again", 5, 0, &to) == 5);
	CHECK(na.stats.arp_request_out == 1);
	sim_run(&sim, 20);
	CHECK(net_recv(&nb, sb, got, sizeof(got), 0) == 5);
	return true;
}

static bool
arp_entry_expires_and_is_asked_again(void)
{
	struct net_sin to = mksin(SIM_B_IP, 9);
	int sa;

	setup(1500, 2);
	sa = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_sendto(&na, sa, "x", 1, 0, &to) == 1);
	sim_run(&sim, 20);
	CHECK(na.stats.arp_request_out == 1);
	sim_run(&sim, NET_ARP_TTL + 10);
	CHECK(na.stats.arp_timeout >= 1);
	CHECK(net_sendto(&na, sa, "x", 1, 0, &to) == 1);
	CHECK(na.stats.arp_request_out == 2);
	return true;
}

static bool
arp_unanswered_gives_up_and_frees_queue(void)
{
	struct net_sin to = mksin(0x0a000063, 9);	/* nobody there */
	int sa, i, free_before = 0, free_after = 0;
	struct net_pbuf *p;

	setup(1500, 3);
	for (p = na.free_pbufs; p != NULL; p = p->next)
		free_before++;
	sa = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM, 0);
	for (i = 0; i < 10; i++)
		CHECK(net_sendto(&na, sa, "x", 1, 0, &to) == 1);
	sim_run(&sim, NET_ARP_RETRY * (NET_ARP_TRIES + 1));
	CHECK(na.stats.arp_request_out == NET_ARP_TRIES);
	CHECK(na.stats.arp_timeout == 1);
	for (p = na.free_pbufs; p != NULL; p = p->next)
		free_after++;
	CHECK(free_after == free_before);
	return true;
}

static bool
arp_reply_from_unasked_sender_ignored_and_bad_arp_dropped(void)
{
	uint8_t f[60];

	setup(1500, 4);
	memset(f, 0, sizeof(f));
	memcpy(f, sim_mac[1], 6);
	memcpy(f + 6, sim_mac[0], 6);
	f[12] = 0x08;
	f[13] = 0x06;
	f[14] = 0;
	f[15] = 1;
	f[16] = 8;
	f[17] = 0;
	f[18] = 6;
	f[19] = 4;
	f[21] = 2;	/* a reply we never asked for */
	memcpy(f + 22, "\x02\x66\x66\x66\x66\x66", 6);
	memcpy(f + 28, "\x0a\x00\x00\x07", 4);
	memcpy(f + 38, "\x0a\x00\x00\x09", 4);	/* not our address */
	sim_inject(&sim, 1, f, sizeof(f));
	CHECK(nb.arp[0].state == 0);
	f[18] = 7;	/* bad hardware length */
	sim_inject(&sim, 1, f, sizeof(f));
	CHECK(nb.stats.arp_drop == 1);
	sim_inject(&sim, 1, f, 20);	/* truncated */
	CHECK(nb.stats.arp_drop == 2);
	return true;
}

static int ping_sock;

static bool
ping_answered(void)
{
	return net_sock_poll(&na, ping_sock) & NET_POLLIN;
}

static bool
icmp_echo_is_answered(void)
{
	struct net_sin to = mksin(SIM_B_IP, 0), from;
	uint8_t req[64];
	long r;

	setup(1500, 5);
	ping_sock = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM,
	    NET_IPPROTO_ICMP);
	CHECK(ping_sock >= 0);
	memset(req, 0, sizeof(req));
	req[0] = 8;
	req[7] = 1;	/* sequence 1 */
	memcpy(req + 8, "bulkhead ping payload", 21);
	CHECK(net_sendto(&na, ping_sock, req, sizeof(req), 0, &to) == 64);
	CHECK(run_until(ping_answered, 1000));
	r = net_recvfrom(&na, ping_sock, got, sizeof(got), 0, &from);
	CHECK(r == 64);
	CHECK(got[0] == 0 && got[7] == 1);
	CHECK(memcmp(got + 8, req + 8, 56) == 0);
	CHECK(test_cksum(got, 64, 0) == 0);
	CHECK(net_ntohl(from.addr) == SIM_B_IP);
	CHECK(nb.stats.icmp_echo_reply_out == 1);
	return true;
}

static bool
icmp_echo_of_64k_fragmented_ping_is_answered(void)
{
	struct net_sin to = mksin(SIM_B_IP, 0);
	size_t len = 65000;
	size_t i;

	setup(1500, 6);
	ping_sock = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM,
	    NET_IPPROTO_ICMP);
	memset(big, 0, 8);
	big[0] = 8;
	for (i = 8; i < len; i++)
		big[i] = (uint8_t)(i * 7);
	CHECK(net_sendto(&na, ping_sock, big, len, 0, &to) == (long)len);
	CHECK(run_until(ping_answered, 1000));
	CHECK(net_recv(&na, ping_sock, got, sizeof(got), 0) == (long)len);
	CHECK(memcmp(got + 8, big + 8, len - 8) == 0);
	CHECK(nb.stats.reasm_ok == 1 && na.stats.reasm_ok == 1);
	return true;
}

static int udp_b;

static bool
udp_b_readable(void)
{
	return net_sock_poll(&nb, udp_b) & NET_POLLIN;
}

static bool
udp_echo_round_trip(void)
{
	struct net_sin bind = mksin(0, 7), to = mksin(SIM_B_IP, 7), from;
	int sa;
	long r;

	setup(1500, 7);
	udp_b = net_socket(&nb, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_bind(&nb, udp_b, &bind) == 0);
	sa = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_sendto(&na, sa, "echo me", 7, 0, &to) == 7);
	CHECK(run_until(udp_b_readable, 1000));
	r = net_recvfrom(&nb, udp_b, got, sizeof(got), 0, &from);
	CHECK(r == 7);
	CHECK(net_sendto(&nb, udp_b, got, (size_t)r, 0, &from) == 7);
	sim_run(&sim, 20);
	memset(got, 0, 16);
	CHECK(net_recvfrom(&na, sa, got, sizeof(got), 0, &from) == 7);
	CHECK(memcmp(got, "echo me", 7) == 0);
	CHECK(net_ntohs(from.port) == 7 && net_ntohl(from.addr) == SIM_B_IP);
	return true;
}

static bool
udp_to_closed_port_gets_unreachable(void)
{
	struct net_sin to = mksin(SIM_B_IP, 4444);
	int sa;

	setup(1500, 8);
	sa = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_connect(&na, sa, &to) == 0);
	CHECK(net_send(&na, sa, "anyone?", 7, 0) == 7);
	sim_run(&sim, 30);
	CHECK(nb.stats.udp_no_port == 1 && nb.stats.icmp_unreach_out == 1);
	CHECK(net_sock_poll(&na, sa) & NET_POLLERR);
	CHECK(net_recv(&na, sa, got, sizeof(got), 0) == -NET_ECONNREFUSED);
	CHECK(net_recv(&na, sa, got, sizeof(got), 0) == -NET_EAGAIN);
	return true;
}

static bool
udp_bad_checksum_dropped(void)
{
	struct net_sin bind = mksin(0, 5000);
	size_t len;

	setup(1500, 9);
	udp_b = net_socket(&nb, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_bind(&nb, udp_b, &bind) == 0);
	len = build_udp(frame, SIM_A_IP, SIM_B_IP, 1234, 5000,
	    (const uint8_t *)"payload", 7);
	frame[len - 1] ^= 0x40;	/* flip a data bit, checksum now wrong */
	sim_inject(&sim, 1, frame, len);
	CHECK(nb.stats.udp_bad_cksum == 1);
	CHECK(!udp_b_readable());
	frame[len - 1] ^= 0x40;
	sim_inject(&sim, 1, frame, len);
	CHECK(udp_b_readable());
	/* A length field beyond the datagram. */
	frame[14 + 20 + 5] = 200;
	sim_inject(&sim, 1, frame, len);
	CHECK(nb.stats.udp_drop == 1);
	return true;
}

static bool
ip_large_udp_fragmented_and_reassembled_on_bad_link(void)
{
	struct net_sin bind = mksin(0, 6000), to = mksin(SIM_B_IP, 6000);
	size_t len = 60000, i;
	int sa;

	setup(1500, 10);
	prime_arp();
	sim.reorder_pct10 = 300;
	sim.dup_pct10 = 100;
	udp_b = net_socket(&nb, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_bind(&nb, udp_b, &bind) == 0);
	sa = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM, 0);
	for (i = 0; i < len; i++)
		big[i] = (uint8_t)(i ^ (i >> 8));
	CHECK(net_sendto(&na, sa, big, len, 0, &to) == (long)len);
	CHECK(na.stats.ip_frag_out == (len + 8 + 1479) / 1480);
	CHECK(run_until(udp_b_readable, 1000));
	CHECK(net_recv(&nb, udp_b, got, sizeof(got), 0) == (long)len);
	CHECK(memcmp(got, big, len) == 0);
	CHECK(nb.stats.reasm_ok == 1);
	/* Duplicated fragments never make a second copy. */
	sim_run(&sim, 100);
	CHECK(!udp_b_readable());
	/* With DF-free sends and a larger MTU, still one datagram. */
	return true;
}

/* Fragments of a UDP datagram to B:5000, built by hand. */
static void
send_frag(uint16_t id, uint32_t off, bool more, const uint8_t *data,
    size_t len)
{
	size_t n = build_ip(frame, SIM_A_IP, SIM_B_IP, 17, id,
	    (uint16_t)((off / 8) | (more ? 0x2000 : 0)), 64, data, len);

	sim_inject(&sim, 1, frame, n);
}

static bool
ip_ping_of_death_dropped(void)
{
	uint8_t piece[1480];
	uint32_t off;

	setup(1500, 11);
	memset(piece, 0xAA, sizeof(piece));
	/* Fragments whose last one ends past 65535: the classic attack. */
	for (off = 0; off + 1480 <= 65520; off += 1480)
		send_frag(77, off, true, piece, 1480);
	send_frag(77, 65520 - (65520 % 8), false, piece, 400);
	CHECK(nb.stats.reasm_oversize >= 1);
	CHECK(nb.stats.reasm_ok == 0);
	/* A single fragment at the highest offset with a big payload. */
	send_frag(78, 8191 * 8, false, piece, 100);
	CHECK(nb.stats.reasm_oversize >= 2);
	CHECK(nb.stats.reasm_ok == 0);
	/* The stack still answers. */
	prime_arp();
	CHECK(nb.stats.udp_in >= 1);
	return true;
}

static bool
ip_overlapping_fragments_dropped_duplicates_kept(void)
{
	uint8_t udp[8 + 32];
	struct net_sin bind = mksin(0, 5000);
	size_t n;

	setup(1500, 12);
	udp_b = net_socket(&nb, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_bind(&nb, udp_b, &bind) == 0);
	/* A valid 40-byte UDP datagram, split in 24 + 16. */
	n = build_udp(frame, SIM_A_IP, SIM_B_IP, 1111, 5000,
	    (const uint8_t *)"0123456789abcdefghijklmnopqrstuv", 32);
	CHECK(n == 14 + 20 + 40);
	memcpy(udp, frame + 34, 40);
	/* Overlap with different bytes (rewrite the UDP header): killed. */
	send_frag(1, 0, true, udp, 24);
	{
		uint8_t evil[24];

		memcpy(evil, udp + 16, 24);
		evil[0] ^= 0xff;
		send_frag(1, 16, false, evil, 24);
	}
	CHECK(nb.stats.reasm_overlap == 1);
	CHECK(!udp_b_readable());
	/* Teardrop: a last fragment that lies inside the first. */
	send_frag(2, 0, true, udp, 24);
	send_frag(2, 8, false, udp + 8, 4);
	CHECK(nb.stats.reasm_overlap == 2);
	/* Same bytes twice (a duplicating link) is harmless. */
	send_frag(3, 0, true, udp, 24);
	send_frag(3, 0, true, udp, 24);
	send_frag(3, 16, false, udp + 16, 24);
	CHECK(nb.stats.reasm_ok == 1);
	CHECK(udp_b_readable());
	CHECK(net_recv(&nb, udp_b, got, sizeof(got), 0) == 32);
	CHECK(memcmp(got, "0123456789abcdefghijklmnopqrstuv", 32) == 0);
	/* A non-final fragment not a multiple of 8 bytes. */
	send_frag(4, 0, true, udp, 20);
	CHECK(nb.stats.reasm_drop >= 1);
	return true;
}

static bool
ip_reassembly_times_out(void)
{
	uint8_t piece[16];

	setup(1500, 13);
	memset(piece, 1, sizeof(piece));
	send_frag(9, 0, true, piece, 16);
	CHECK(nb.reasm[0].used);
	sim_run(&sim, NET_REASM_TIMEOUT + 10);
	CHECK(nb.stats.reasm_timeout == 1);
	CHECK(!nb.reasm[0].used);
	return true;
}

static bool
ip_bad_headers_dropped(void)
{
	size_t len;

	setup(1500, 14);
	len = build_udp(frame, SIM_A_IP, SIM_B_IP, 1, 2, (const uint8_t *)"x",
	    1);
	frame[14] = 0x65;	/* version 6 */
	sim_inject(&sim, 1, frame, len);
	frame[14] = 0x44;	/* IHL 4 */
	sim_inject(&sim, 1, frame, len);
	frame[14] = 0x4f;	/* IHL 15: longer than the packet */
	sim_inject(&sim, 1, frame, len);
	CHECK(nb.stats.ip_bad_hdr == 3);
	frame[14] = 0x45;
	frame[16] = 0x10;	/* total length 4096 > frame */
	sim_inject(&sim, 1, frame, len);
	CHECK(nb.stats.ip_bad_hdr == 4);
	len = build_udp(frame, SIM_A_IP, SIM_B_IP, 1, 2, (const uint8_t *)"x",
	    1);
	frame[24] ^= 1;	/* header checksum */
	sim_inject(&sim, 1, frame, len);
	CHECK(nb.stats.ip_bad_cksum == 1);
	len = build_ip(frame, SIM_A_IP, SIM_B_IP, 17, 1, 0, 0,
	    (const uint8_t *)"12345678", 8);
	sim_inject(&sim, 1, frame, len);	/* TTL 0 */
	CHECK(nb.stats.ip_bad_hdr == 5);
	len = build_ip(frame, SIM_A_IP, 0x0a000005, 17, 1, 0, 9,
	    (const uint8_t *)"12345678", 8);
	sim_inject(&sim, 1, frame, len);	/* not our address */
	CHECK(nb.stats.ip_not_ours == 1);
	CHECK(nb.stats.udp_in == 0);
	return true;
}

static bool
ip_truncated_and_random_frames_never_crash(void)
{
	static uint8_t good[64][1514];
	static size_t goodlen[64];
	int ngood = 0, i, round;
	struct net_sin bind = mksin(0, 80), to = mksin(SIM_B_IP, 80);
	int a, l, b;

	/* Capture real frames of a TCP exchange to mutate them. */
	setup(1500, 15);
	CHECK(tcp_pair(80, &a, &l, &b));
	(void)bind;
	(void)to;
	for (i = 0; i < 64; i++) {
		size_t n;

		if (i % 3 == 0)
			n = build_udp(good[i], SIM_A_IP, SIM_B_IP, 999, 80,
			    (const uint8_t *)"abcdefgh", 8);
		else if (i % 3 == 1)
			n = build_ip(good[i], SIM_A_IP, SIM_B_IP, 6, 3, 0, 64,
			    (const uint8_t *)"\x00\x50\x00\x50\0\0\0\1\0\0\0\0"
			    "\x50\x02\x10\x00\0\0\0\0", 20);
		else
			n = build_ip(good[i], SIM_A_IP, SIM_B_IP, 1, 3,
			    (uint16_t)(i & 1 ? 0x2000 : 0), 64,
			    (const uint8_t *)"\x08\0\0\0\0\0\0\0", 8);
		goodlen[i] = n;
		ngood++;
	}
	for (round = 0; round < 200000; round++) {
		uint8_t f[1514];
		size_t n;
		int k = (int)(sim_rand(&sim) % (unsigned)ngood);

		if (round % 4 == 0) {
			/* Pure noise, any length. */
			n = sim_rand(&sim) % sizeof(f);
			for (i = 0; i < (int)n; i++)
				f[i] = (uint8_t)sim_rand(&sim);
			if (n > 14) {
				memcpy(f, sim_mac[1], 6);
				f[12] = 8;
				f[13] = (uint8_t)(round & 8 ? 6 : 0);
			}
		} else {
			/* A real frame, truncated and with bytes flipped. */
			n = goodlen[k];
			memcpy(f, good[k], n);
			if (round % 4 == 1)
				n = sim_rand(&sim) % (n + 1);
			for (i = 0; i < 3; i++)
				f[14 + sim_rand(&sim) % 60] ^=
				    (uint8_t)(1u << (sim_rand(&sim) % 8));
		}
		sim_inject(&sim, 1, f, n);
		if (round % 1000 == 0)
			sim_step(&sim);
	}
	/* Still alive and serving the connection made before. */
	CHECK(net_send(&na, a, "after the storm", 15, 0) == 15);
	sim_run(&sim, 300);
	CHECK(net_recv(&nb, b, got, sizeof(got), 0) == 15);
	CHECK(memcmp(got, "after the storm", 15) == 0);
	return true;
}

static bool
loopback_udp_and_tcp(void)
{
	struct net_sin lo = mksin(0x7f000001, 9999);
	struct net_sin lo2 = mksin(0x7f000001, 9998);
	int u1, u2, l, c, s;

	setup(1500, 16);
	u1 = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM, 0);
	u2 = net_socket(&na, NET_AF_INET, NET_SOCK_DGRAM, 0);
	CHECK(net_bind(&na, u1, &lo) == 0);
	CHECK(net_sendto(&na, u2, big, 20000, 0, &lo) == 20000);
	CHECK(net_recv(&na, u1, got, sizeof(got), 0) == 20000);
	l = net_socket(&na, NET_AF_INET, NET_SOCK_STREAM, 0);
	CHECK(net_bind(&na, l, &lo2) == 0);
	CHECK(net_listen(&na, l, 4) == 0);
	c = net_socket(&na, NET_AF_INET, NET_SOCK_STREAM, 0);
	CHECK(net_connect(&na, c, &lo2) == -NET_EINPROGRESS);
	CHECK(net_tcp_state(&na, c) == TCP_ESTABLISHED);
	s = net_accept(&na, l, NULL);
	CHECK(s >= 0);
	CHECK(net_send(&na, c, "over loopback", 13, 0) == 13);
	CHECK(net_recv(&na, s, got, sizeof(got), 0) == 13);
	CHECK(memcmp(got, "over loopback", 13) == 0);
	CHECK(net_close(&na, c) == 0);
	CHECK(net_recv(&na, s, got, sizeof(got), 0) == 0);
	CHECK(net_close(&na, s) == 0);
	CHECK(na.stats.eth_in == 0);	/* never touched the wire */
	return true;
}

const struct test link_tests[] = {
	{ "arp_resolves_and_queued_packet_is_sent",
	    arp_resolves_and_queued_packet_is_sent },
	{ "arp_entry_expires_and_is_asked_again",
	    arp_entry_expires_and_is_asked_again },
	{ "arp_unanswered_gives_up_and_frees_queue",
	    arp_unanswered_gives_up_and_frees_queue },
	{ "arp_reply_from_unasked_sender_ignored_and_bad_arp_dropped",
	    arp_reply_from_unasked_sender_ignored_and_bad_arp_dropped },
	{ "icmp_echo_is_answered", icmp_echo_is_answered },
	{ "icmp_echo_of_64k_fragmented_ping_is_answered",
	    icmp_echo_of_64k_fragmented_ping_is_answered },
	{ "udp_echo_round_trip", udp_echo_round_trip },
	{ "udp_to_closed_port_gets_unreachable",
	    udp_to_closed_port_gets_unreachable },
	{ "udp_bad_checksum_dropped", udp_bad_checksum_dropped },
	{ "ip_large_udp_fragmented_and_reassembled_on_bad_link",
	    ip_large_udp_fragmented_and_reassembled_on_bad_link },
	{ "ip_ping_of_death_dropped", ip_ping_of_death_dropped },
	{ "ip_overlapping_fragments_dropped_duplicates_kept",
	    ip_overlapping_fragments_dropped_duplicates_kept },
	{ "ip_reassembly_times_out", ip_reassembly_times_out },
	{ "ip_bad_headers_dropped", ip_bad_headers_dropped },
	{ "ip_truncated_and_random_frames_never_crash",
	    ip_truncated_and_random_frames_never_crash },
	{ "loopback_udp_and_tcp", loopback_udp_and_tcp },
	{ NULL, NULL }
};
