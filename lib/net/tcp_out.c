/*
 * tcp_out.c - building and sending TCP segments (RFC 793, 1122, 7323),
 * the send policy (congestion window, peer window, Nagle) and resets.
 */
#include "net_priv.h"

/* Free space in the receive ring: what we can offer the peer. */
static uint32_t
rcv_space(const struct net_sock *s)
{
	uint32_t cap = MIN(s->rcvbuf, NET_SOCK_BUF);

	return cap > s->rx_len ? cap - s->rx_len : 0;
}

/* The window to advertise, never moving the right edge left (RFC 793). */
static uint32_t
rcv_window(const struct net_sock *s)
{
	const struct net_tcb *t = &s->tcb;
	uint32_t win = rcv_space(s);

	/* Receiver silly window avoidance (RFC 1122 4.2.3.3): offer no
	 * sliver; wait until a segment or half the buffer is free. */
	if (win < MIN(MIN(s->rcvbuf, NET_SOCK_BUF) / 2, t->mss))
		win = 0;
	if (SEQ_GT(t->rcv_adv, t->rcv_nxt + win))
		win = t->rcv_adv - t->rcv_nxt;
	return win;
}

static uint16_t
route_mss(const struct net *n, uint32_t dst)
{
	uint32_t nexthop;
	int ifindex = route_lookup(n, dst, &nexthop);

	if (ifindex < 0)
		return 536;
	return (uint16_t)(n->ifs[ifindex].mtu - IP_HLEN - TCP_HLEN);
}

/*
 * Send one segment of the connection: seq, up to len bytes of the send
 * ring starting at seq, and flags. Every segment but the first SYN carries
 * an ACK and our window, so sending one cancels a pending delayed ACK.
 */
int
tcp_send_segment(struct net *n, int si, uint32_t seq, uint32_t len,
    uint8_t flags)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;
	uint8_t *h = n->scratch;
	uint32_t hlen = TCP_HLEN, win;
	int err;

	if (flags & TH_SYN) {
		/* MSS (RFC 879) and window scale (RFC 7323) in every SYN. */
		h[20] = 2;
		h[21] = 4;
		put16(h + 22, route_mss(n, s->raddr));
		hlen += 4;
		if (t->wscale_ok || !(flags & TH_ACK)) {
			h[24] = 1;
			h[25] = 3;
			h[26] = 3;
			h[27] = t->rcv_wscale;
			hlen += 4;
		}
	}
	if (len > 0) {
		/* Data always sits at seq - snd_una in the ring. */
		ring_get(s->tx, s->tx_start + (seq - t->snd_una), h + hlen, len);
	}
	win = rcv_window(s);
	if (flags & TH_SYN)
		win = MIN(win, 65535);	/* never scaled in a SYN */
	else
		win = MIN(win >> t->rcv_wscale, 65535) << t->rcv_wscale;
	if ((flags & TH_ACK) && SEQ_GT(t->rcv_nxt + win, t->rcv_adv))
		t->rcv_adv = t->rcv_nxt + win;
	put16(h, s->lport);
	put16(h + 2, s->rport);
	put32(h + 4, seq);
	put32(h + 8, (flags & TH_ACK) ? t->rcv_nxt : 0);
	h[12] = (uint8_t)((hlen / 4) << 4);
	h[13] = flags;
	put16(h + 14, (uint16_t)((flags & TH_SYN) ? win : win >>
	    t->rcv_wscale));
	put16(h + 16, 0);
	put16(h + 18, 0);
	put16(h + 16, cksum_fold(cksum_add(cksum_pseudo(s->laddr, s->raddr,
	    NET_IPPROTO_TCP, hlen + len), h, hlen + len)));
	err = ip_output(n, s->laddr, s->raddr, NET_IPPROTO_TCP, true, h,
	    hlen + len);
	n->stats.tcp_out++;
	if (flags & TH_ACK) {
		t->ack_now = false;
		t->t_delack = 0;
		t->unacked_segs = 0;
	}
	return err;
}

void
tcp_send_rst(struct net *n, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, uint32_t seq, uint32_t ack, bool with_ack)
{
	uint8_t h[TCP_HLEN];

	put16(h, sport);
	put16(h + 2, dport);
	put32(h + 4, seq);
	put32(h + 8, with_ack ? ack : 0);
	h[12] = 5 << 4;
	h[13] = TH_RST | (with_ack ? TH_ACK : 0);
	put16(h + 14, 0);
	put16(h + 16, 0);
	put16(h + 18, 0);
	put16(h + 16, cksum_fold(cksum_add(cksum_pseudo(src, dst,
	    NET_IPPROTO_TCP, TCP_HLEN), h, TCP_HLEN)));
	n->stats.tcp_rst_out++;
	(void)ip_output(n, src, dst, NET_IPPROTO_TCP, true, h, TCP_HLEN);
}

static void
start_rtt(struct net *n, struct net_tcb *t, uint32_t seq)
{
	if (t->rtt_timing)
		return;
	t->rtt_timing = true;
	t->rtt_seq = seq;
	t->rtt_start = n->now;
}

/*
 * Send whatever the windows allow: new data from snd_nxt, a FIN once all
 * data is out, or a bare ACK when one is owed.
 */
void
tcp_output(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;
	uint32_t avail = 0;

	if (s->state == TCP_CLOSED || s->state == TCP_LISTEN)
		return;
	if (s->state == TCP_SYN_SENT || s->state == TCP_SYN_RECEIVED) {
		if (t->snd_max == t->iss) {
			uint8_t fl = s->state == TCP_SYN_SENT ? TH_SYN :
			    TH_SYN | TH_ACK;

			(void)tcp_send_segment(n, si, t->iss, 0, fl);
			t->snd_nxt = t->snd_max = t->iss + 1;
			start_rtt(n, t, t->iss);
			if (t->t_rexmit == 0)
				t->t_rexmit = n->now + t->rto;
		} else if (t->ack_now && s->state == TCP_SYN_RECEIVED) {
			(void)tcp_send_segment(n, si, t->iss, 0,
			    TH_SYN | TH_ACK);
		}
		return;
	}
	if (t->fin_queued && !t->fin_seq_valid) {
		t->fin_seq = t->snd_una + s->tx_len;
		t->fin_seq_valid = true;
	}
	for (;;) {
		uint32_t off = t->snd_nxt - t->snd_una;
		uint32_t wnd = MIN(t->cwnd, t->snd_wnd);
		uint32_t flight = t->snd_nxt - t->snd_una;
		uint32_t room = wnd > flight ? wnd - flight : 0;
		uint32_t len;
		bool send = false, fin;
		uint8_t flags = TH_ACK;

		avail = off < s->tx_len ? s->tx_len - off : 0;
		len = MIN(avail, MIN(room, t->mss));
		if (len > 0) {
			if (len == t->mss || SEQ_LT(t->snd_nxt, t->snd_max))
				send = true;
			else if (len == avail && ((s->flags & SF_NODELAY) ||
			    flight == 0 || t->fin_queued))
				send = true;	/* Nagle: nothing small in flight */
			else if (t->max_sndwnd > 0 && len >= t->max_sndwnd / 2)
				send = true;
		}
		fin = t->fin_queued && t->snd_nxt + (send ? len : 0) ==
		    t->fin_seq;
		if (!send && !fin)
			break;
		if (!send)
			len = 0;
		if (fin)
			flags |= TH_FIN;
		if (len > 0 && len == avail)
			flags |= TH_PSH;
		if (tcp_send_segment(n, si, t->snd_nxt, len, flags) < 0)
			break;
		if (t->snd_nxt == t->snd_max)
			start_rtt(n, t, t->snd_nxt);
		else
			n->stats.tcp_rexmit++;
		t->snd_nxt += len + (fin ? 1 : 0);
		if (SEQ_GT(t->snd_nxt, t->snd_max))
			t->snd_max = t->snd_nxt;
		if (t->t_rexmit == 0)
			t->t_rexmit = n->now + t->rto;
		t->t_persist = 0;
		if (fin)
			break;
	}
	/* Data waits, nothing is in flight, and the peer's window is zero
	 * or too small to use: the persist timer will probe or force it
	 * out (RFC 1122 4.2.2.17), else we could wait forever. */
	avail = s->tx_len - MIN(s->tx_len, t->snd_nxt - t->snd_una);
	if (avail > 0 && t->snd_nxt == t->snd_una && t->t_persist == 0 &&
	    t->t_rexmit == 0)
		t->t_persist = n->now + MIN((uint64_t)t->rto << t->persist_shift,
		    NET_TCP_RTO_MAX);
	/* A bare ACK carries snd_max, not snd_nxt: after a go-back-N the
	 * peer has seen sequence numbers up to snd_max, and a segment below
	 * its rcv_nxt would be judged unacceptable and its ACK ignored. */
	if (t->ack_now)
		(void)tcp_send_segment(n, si, t->snd_max, 0, TH_ACK);
}

/* Resend the first unacknowledged segment (fast retransmit, RTO). */
uint32_t
tcp_retransmit_first(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;
	uint32_t len = MIN(t->mss, s->tx_len);
	uint8_t flags = TH_ACK;
	bool fin;

	/* Only what was sent before: an ACK beyond snd_max is refused. */
	len = MIN(len, t->snd_max - t->snd_una);

	fin = t->fin_seq_valid && t->snd_una + len == t->fin_seq &&
	    SEQ_LT(t->fin_seq, t->snd_max);
	if (len == 0 && !fin)
		return 0;
	if (fin)
		flags |= TH_FIN;
	(void)tcp_send_segment(n, si, t->snd_una, len, flags);
	n->stats.tcp_rexmit++;
	return len + (fin ? 1 : 0);
}

/* After the application read: tell the peer if the window opened much. */
void
tcp_window_update(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;
	uint32_t space = rcv_space(s);
	uint32_t adv = t->rcv_adv - t->rcv_nxt;

	if (s->state < TCP_ESTABLISHED || s->state == TCP_TIME_WAIT)
		return;
	/* Receiver-side silly window avoidance (RFC 1122 4.2.3.3). */
	if (space > adv && (space - adv >= 2u * t->mss ||
	    space - adv >= MIN(s->rcvbuf, NET_SOCK_BUF) / 2)) {
		t->ack_now = true;
		tcp_output(n, si);
	}
}
