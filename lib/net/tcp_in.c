/*
 * tcp_in.c - TCP segment arrival (RFC 793 3.9 "SEGMENT ARRIVES", with the
 * RFC 5961 defences against blind resets and SYNs), receive reassembly in
 * the ring, and the sender's reaction to ACKs: RTT samples (RFC 6298),
 * slow start and congestion avoidance (RFC 5681), fast retransmit and
 * NewReno fast recovery (RFC 6582).
 */
#include "net_priv.h"

struct seg {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint32_t wnd;
	uint8_t flags;
	const uint8_t *data;
	uint32_t len;
	uint16_t mss;		/* 0: not given */
	int wscale;		/* -1: not given */
};

/* Only MSS and window scale matter to us; every length is checked. */
static bool
parse_options(struct seg *sg, const uint8_t *o, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t kind = o[i];

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || o[i + 1] < 2 || i + o[i + 1] > len)
			return false;
		if (kind == 2 && o[i + 1] == 4)
			sg->mss = get16(o + i + 2);
		else if (kind == 3 && o[i + 1] == 3)
			sg->wscale = MIN(o[i + 2], 14);
		i += o[i + 1];
	}
	return true;
}

static int
tcp_lookup(struct net *n, const struct seg *sg)
{
	int i, listener = -1;

	for (i = 0; i < NET_SOCKETS; i++) {
		const struct net_sock *s = &n->socks[i];

		if (!s->used || s->type != NET_SOCK_STREAM ||
		    s->lport != sg->dport || s->state == TCP_CLOSED)
			continue;
		if (s->state == TCP_LISTEN) {
			if ((s->laddr == 0 || s->laddr == sg->dst) &&
			    listener < 0)
				listener = i;
			continue;
		}
		if (s->rport == sg->sport && s->raddr == sg->src &&
		    s->laddr == sg->dst)
			return i;
	}
	return listener;
}

static void
reply_rst(struct net *n, const struct seg *sg)
{
	uint32_t seglen = sg->len + ((sg->flags & TH_SYN) ? 1 : 0) +
	    ((sg->flags & TH_FIN) ? 1 : 0);

	if (sg->flags & TH_RST)
		return;
	if (sg->flags & TH_ACK)
		tcp_send_rst(n, sg->dst, sg->dport, sg->src, sg->sport, sg->ack,
		    0, false);
	else
		tcp_send_rst(n, sg->dst, sg->dport, sg->src, sg->sport, 0,
		    sg->seq + seglen, true);
}

static void
apply_syn_options(struct net *n, int si, const struct seg *sg)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;

	t->peer_mss = sg->mss ? sg->mss : 536;	/* RFC 1122 default */
	if (t->peer_mss < 64)
		t->peer_mss = 64;	/* a tiny MSS is an amplification trick */
	t->mss = MIN(t->mss, t->peer_mss);
	if (sg->wscale >= 0) {
		t->wscale_ok = true;
		t->snd_wscale = (uint8_t)sg->wscale;
	} else {
		t->wscale_ok = false;
		t->snd_wscale = 0;
		t->rcv_wscale = 0;
	}
	t->irs = sg->seq;
	t->rcv_nxt = sg->seq + 1;
	t->rcv_adv = t->rcv_nxt;
	t->snd_wnd = sg->wnd;	/* a SYN's window is never scaled */
	t->max_sndwnd = t->snd_wnd;
	t->snd_wl1 = sg->seq;
	t->snd_wl2 = sg->ack;
}

/* Initial window, RFC 5681 3.1. */
static void
set_initial_cwnd(struct net_tcb *t)
{
	t->cwnd = MIN(4u * t->mss, MAX(2u * t->mss, 4380u));
}

static int
listener_children(const struct net *n, int li, int *oldest_embryo)
{
	int i, count = 0;

	*oldest_embryo = -1;
	for (i = 0; i < NET_SOCKETS; i++) {
		const struct net_sock *c = &n->socks[i];

		if (!c->used || c->parent != li)
			continue;
		count++;
		if (c->state == TCP_SYN_RECEIVED && (*oldest_embryo < 0 ||
		    c->order < n->socks[*oldest_embryo].order))
			*oldest_embryo = i;
	}
	return count;
}

/*
 * A SYN for a listener. The backlog bounds embryonic and unaccepted
 * connections together; when it is full the oldest half-open one makes
 * room, so a SYN flood evicts its own entries rather than locking real
 * clients out, and never takes more than the backlog's worth of sockets.
 */
static void
listen_input(struct net *n, int li, const struct seg *sg)
{
	struct net_sock *l = &n->socks[li];
	struct net_sock *c;
	int ci, victim;

	if (sg->flags & TH_RST)
		return;
	if (sg->flags & TH_ACK) {
		reply_rst(n, sg);
		return;
	}
	if (!(sg->flags & TH_SYN) || (sg->flags & TH_FIN))
		return;
	if (listener_children(n, li, &victim) >= l->backlog) {
		if (victim < 0)
			return;	/* accept queue full of real connections */
		n->stats.tcp_syn_evicted++;
		sock_free(n, victim);
	}
	ci = sock_alloc(n, NET_SOCK_STREAM, NET_IPPROTO_TCP);
	if (ci < 0) {
		(void)listener_children(n, li, &victim);
		if (victim < 0)
			return;
		n->stats.tcp_syn_evicted++;
		sock_free(n, victim);
		ci = sock_alloc(n, NET_SOCK_STREAM, NET_IPPROTO_TCP);
		if (ci < 0)
			return;
	}
	l = &n->socks[li];
	c = &n->socks[ci];
	c->laddr = sg->dst;
	c->lport = sg->dport;
	c->raddr = sg->src;
	c->rport = sg->sport;
	c->parent = li;
	c->flags = SF_BOUND | (l->flags & (SF_NODELAY | SF_KEEPALIVE));
	c->rcvbuf = l->rcvbuf;
	c->sndbuf = l->sndbuf;
	tcp_init_conn(n, ci);
	c->tcb.keep_idle = l->tcb.keep_idle;
	c->tcb.keep_intvl = l->tcb.keep_intvl;
	c->tcb.keep_cnt = l->tcb.keep_cnt;
	apply_syn_options(n, ci, sg);
	c->state = TCP_SYN_RECEIVED;
	tcp_output(n, ci);
}

static void
syn_sent_input(struct net *n, int si, const struct seg *sg)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;
	bool ack_ok = false;

	if (sg->flags & TH_ACK) {
		if (SEQ_LEQ(sg->ack, t->iss) || SEQ_GT(sg->ack, t->snd_max)) {
			reply_rst(n, sg);
			return;
		}
		ack_ok = true;
	}
	if (sg->flags & TH_RST) {
		if (ack_ok)
			tcp_drop(n, si, NET_ECONNREFUSED);
		return;
	}
	if (!(sg->flags & TH_SYN))
		return;
	apply_syn_options(n, si, sg);
	if (ack_ok) {
		t->snd_una = sg->ack;
		if (SEQ_LT(t->snd_nxt, t->snd_una))
			t->snd_nxt = t->snd_una;
		if (t->rtt_timing) {
			int32_t r = (int32_t)(n->now - t->rtt_start);

			t->rtt_timing = false;
			if (t->rexmits == 0)
				tcp_rtt_sample(t, r);
		}
		t->rexmits = 0;
		t->t_rexmit = 0;
		set_initial_cwnd(t);
		tcp_set_state(n, si, TCP_ESTABLISHED);
		t->ack_now = true;
		tcp_output(n, si);
		return;
	}
	/* Simultaneous open: both sides sent SYN (RFC 793 figure 8). */
	t->ack_now = true;
	tcp_set_state(n, si, TCP_SYN_RECEIVED);
	(void)tcp_send_segment(n, si, t->iss, 0, TH_SYN | TH_ACK);
}

/* RFC 6298 2.2-2.3, in ms; srtt scaled by 8, rttvar by 4. */
void
tcp_rtt_sample(struct net_tcb *t, int32_t r)
{
	if (r < 1)
		r = 1;
	if (t->srtt < 0) {
		t->srtt = r << 3;
		t->rttvar = r << 1;
	} else {
		int32_t delta = r - (t->srtt >> 3);

		t->srtt += delta;
		if (delta < 0)
			delta = -delta;
		t->rttvar += delta - (t->rttvar >> 2);
	}
	t->rto = (uint32_t)((t->srtt >> 3) + MAX(1, t->rttvar));
	t->rto = MAX(t->rto, NET_TCP_RTO_MIN);
	t->rto = MIN(t->rto, NET_TCP_RTO_MAX);
}

/* Enter fast retransmit / fast recovery on the third duplicate ACK. */
static void
on_dupack(struct net *n, int si, uint32_t ack)
{
	struct net_tcb *t = &n->socks[si].tcb;

	t->dupacks++;
	if (t->in_recovery) {
		t->cwnd += t->mss;	/* a segment left the network */
		return;
	}
	if (t->dupacks != 3 || !SEQ_GT(ack, t->recover))
		return;
	t->ssthresh = MAX((t->snd_max - t->snd_una) / 2, 2u * t->mss);
	t->recover = t->snd_max - 1;
	t->in_recovery = true;
	t->rtt_timing = false;	/* Karn: no sample across a retransmission */
	n->stats.tcp_fast_rexmit++;
	(void)tcp_retransmit_first(n, si);
	t->cwnd = t->ssthresh + 3u * t->mss;
	t->t_rexmit = n->now + t->rto;
}

static void
on_new_ack(struct net *n, int si, uint32_t ack)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;
	uint32_t acked = ack - t->snd_una;
	uint32_t bytes = acked;
	uint32_t data;

	if (t->rtt_timing && SEQ_GT(ack, t->rtt_seq)) {
		t->rtt_timing = false;
		tcp_rtt_sample(t, (int32_t)(n->now - t->rtt_start));
	}
	if (t->snd_una == t->iss)
		acked--;	/* our SYN */
	data = MIN(acked, s->tx_len);
	s->tx_start = (s->tx_start + data) % NET_SOCK_BUF;
	s->tx_len -= data;
	t->snd_una = ack;
	if (SEQ_LT(t->snd_nxt, t->snd_una))
		t->snd_nxt = t->snd_una;
	t->rexmits = 0;
	t->persist_shift = 0;
	if (t->in_recovery) {
		if (SEQ_GT(ack, t->recover)) {
			/* Full acknowledgement: leave recovery (RFC 6582 3.2.3). */
			t->cwnd = MIN(t->ssthresh, MAX(t->snd_max - t->snd_una,
			    t->mss) + t->mss);
			t->in_recovery = false;
			t->dupacks = 0;
		} else {
			/* Partial: the next hole is lost too; resend it now. */
			(void)tcp_retransmit_first(n, si);
			t->cwnd = t->cwnd > bytes ? t->cwnd - bytes : 0;
			if (bytes >= t->mss)
				t->cwnd += t->mss;
			t->cwnd = MAX(t->cwnd, t->mss);
		}
	} else {
		t->dupacks = 0;
		if (t->cwnd < t->ssthresh)
			t->cwnd += MIN(bytes, t->mss);
		else
			t->cwnd += MAX(1u, t->mss * t->mss / t->cwnd);
	}
	if (t->snd_una == t->snd_max)
		t->t_rexmit = 0;
	else
		t->t_rexmit = n->now + t->rto;
	net_wake(n, si);
}

static void
ooo_add(struct net_tcb *t, uint32_t start, uint32_t end)
{
	uint8_t i, j;

	for (i = 0; i < t->ooo_n; i++) {
		/* Overlapping or touching: grow it, then absorb neighbours. */
		if (SEQ_LEQ(start, t->ooo_end[i]) &&
		    SEQ_GEQ(end, t->ooo_start[i])) {
			if (SEQ_LT(start, t->ooo_start[i]))
				t->ooo_start[i] = start;
			if (SEQ_GT(end, t->ooo_end[i]))
				t->ooo_end[i] = end;
			for (j = 0; j < t->ooo_n; j++) {
				if (j == i || SEQ_GT(t->ooo_start[j],
				    t->ooo_end[i]) || SEQ_LT(t->ooo_end[j],
				    t->ooo_start[i]))
					continue;
				if (SEQ_LT(t->ooo_start[j], t->ooo_start[i]))
					t->ooo_start[i] = t->ooo_start[j];
				if (SEQ_GT(t->ooo_end[j], t->ooo_end[i]))
					t->ooo_end[i] = t->ooo_end[j];
				t->ooo_n--;
				t->ooo_start[j] = t->ooo_start[t->ooo_n];
				t->ooo_end[j] = t->ooo_end[t->ooo_n];
				if (i == t->ooo_n)
					i = j;
				j = (uint8_t)-1;	/* rescan */
			}
			return;
		}
	}
	/* Full: forget the data, the sender will send it again. */
	if (t->ooo_n < NET_TCP_OOO) {
		t->ooo_start[t->ooo_n] = start;
		t->ooo_end[t->ooo_n] = end;
		t->ooo_n++;
	}
}

/* Move rcv_nxt over out-of-order data that is now contiguous. */
static void
ooo_merge(struct net_sock *s)
{
	struct net_tcb *t = &s->tcb;
	bool moved = true;
	uint8_t i;

	while (moved) {
		moved = false;
		for (i = 0; i < t->ooo_n; i++) {
			if (SEQ_GT(t->ooo_start[i], t->rcv_nxt))
				continue;
			if (SEQ_GT(t->ooo_end[i], t->rcv_nxt)) {
				s->rx_len += t->ooo_end[i] - t->rcv_nxt;
				t->rcv_nxt = t->ooo_end[i];
			}
			t->ooo_n--;
			t->ooo_start[i] = t->ooo_start[t->ooo_n];
			t->ooo_end[i] = t->ooo_end[t->ooo_n];
			moved = true;
			break;
		}
	}
}

static void
receive_data(struct net *n, int si, uint32_t seq, const uint8_t *data,
    uint32_t len)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;
	uint32_t off = seq - t->rcv_nxt;
	bool had_holes = t->ooo_n > 0;

	ring_put(s->rx, s->rx_start + s->rx_len + off, data, len);
	if (off != 0) {
		ooo_add(t, seq, seq + len);
		t->ack_now = true;	/* duplicate ACK tells of the hole */
		return;
	}
	t->rcv_nxt += len;
	s->rx_len += len;
	ooo_merge(s);
	if (had_holes || ++t->unacked_segs >= 2)
		t->ack_now = true;
	else if (t->t_delack == 0)
		t->t_delack = n->now + NET_TCP_DELACK;
	net_wake(n, si);
}

static void
receive_fin(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;

	t->rcv_nxt++;
	t->rcv_fin = true;
	t->ooo_fin = false;
	t->ack_now = true;
	s->flags |= SF_RX_EOF;
	switch (s->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		tcp_set_state(n, si, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT_1:
		/* Simultaneous close (RFC 793 figure 14). */
		tcp_set_state(n, si, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT_2:
		tcp_set_state(n, si, TCP_TIME_WAIT);
		break;
	default:
		break;
	}
	net_wake(n, si);
}

/* The window the peer may fill, as we last told it or better. */
static uint32_t
recv_window(const struct net_sock *s)
{
	uint32_t cap = MIN(s->rcvbuf, NET_SOCK_BUF);
	uint32_t space = cap > s->rx_len ? cap - s->rx_len : 0;
	uint32_t adv = s->tcb.rcv_adv - s->tcb.rcv_nxt;

	if (SEQ_GT(s->tcb.rcv_adv, s->tcb.rcv_nxt) && adv > space)
		space = adv;
	/* Never past the end of the ring, whatever was advertised. */
	return MIN(space, NET_SOCK_BUF - s->rx_len);
}

static bool
seq_acceptable(const struct net_sock *s, const struct seg *sg,
    uint32_t seglen)
{
	uint32_t rwnd = recv_window(s);
	uint32_t nxt = s->tcb.rcv_nxt;

	if (seglen == 0) {
		if (rwnd == 0)
			return sg->seq == nxt;
		return SEQ_LEQ(nxt, sg->seq) && SEQ_LT(sg->seq, nxt + rwnd);
	}
	if (rwnd == 0)
		return false;
	return (SEQ_LEQ(nxt, sg->seq) && SEQ_LT(sg->seq, nxt + rwnd)) ||
	    (SEQ_LEQ(nxt, sg->seq + seglen - 1) &&
	    SEQ_LT(sg->seq + seglen - 1, nxt + rwnd));
}

static void
established_input(struct net *n, int si, struct seg *sg)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;
	uint32_t seglen = sg->len + ((sg->flags & TH_SYN) ? 1 : 0) +
	    ((sg->flags & TH_FIN) ? 1 : 0);
	uint32_t orig_seq = sg->seq, rwnd, wnd;
	bool fin_acked;

	if (s->state == TCP_SYN_RECEIVED && (sg->flags & TH_SYN) &&
	    !(sg->flags & TH_ACK) && sg->seq == t->irs) {
		/* Our SYN-ACK was lost; the peer asks again. */
		(void)tcp_send_segment(n, si, t->iss, 0, TH_SYN | TH_ACK);
		return;
	}
	/* A SYN we already have (simultaneous open's SYN-ACK, RFC 793
	 * figure 8) is trimmed before judging the rest of the segment. */
	if ((sg->flags & TH_SYN) && SEQ_LT(sg->seq, t->rcv_nxt)) {
		sg->flags &= (uint8_t)~TH_SYN;
		sg->seq++;
		seglen--;
	}
	if (!seq_acceptable(s, sg, seglen)) {
		if (!(sg->flags & TH_RST)) {
			if (s->state == TCP_TIME_WAIT && (sg->flags & TH_FIN))
				t->t_2msl = n->now + 2 * NET_TCP_MSL;
			t->ack_now = true;
			tcp_output(n, si);
		}
		return;
	}
	/* Trim what we already have from the front, the excess from the end. */
	if (SEQ_LT(sg->seq, t->rcv_nxt)) {
		uint32_t d = t->rcv_nxt - sg->seq;

		if (sg->flags & TH_SYN) {
			sg->flags &= (uint8_t)~TH_SYN;
			sg->seq++;
			d--;
		}
		if (d >= sg->len && d > 0) {
			if (d > sg->len)
				sg->flags &= (uint8_t)~TH_FIN;
			d = sg->len;
		}
		sg->data += d;
		sg->len -= d;
		sg->seq += d;
	}
	rwnd = recv_window(s);
	if (SEQ_GT(sg->seq + sg->len, t->rcv_nxt + rwnd)) {
		sg->len = t->rcv_nxt + rwnd - sg->seq;
		sg->flags &= (uint8_t)~TH_FIN;
	}
	if (sg->flags & TH_RST) {
		/* RFC 5961 3.2: only an exact hit resets; else challenge. */
		if (orig_seq != t->rcv_nxt) {
			t->ack_now = true;
			tcp_output(n, si);
			return;
		}
		if (s->state == TCP_SYN_RECEIVED && s->parent >= 0)
			sock_free(n, si);
		else if (s->state == TCP_SYN_RECEIVED)
			tcp_drop(n, si, NET_ECONNREFUSED);
		else if (s->state >= TCP_CLOSING)
			tcp_drop(n, si, 0);
		else
			tcp_drop(n, si, NET_ECONNRESET);
		return;
	}
	if (sg->flags & TH_SYN) {
		/* RFC 5961 4.2: a SYN in window gets a challenge ACK. */
		t->ack_now = true;
		tcp_output(n, si);
		return;
	}
	if (!(sg->flags & TH_ACK))
		return;
	t->last_rx = n->now;
	t->keep_probes = 0;
	if (s->flags & SF_KEEPALIVE)
		t->t_keep = n->now + t->keep_idle;
	if (s->state == TCP_SYN_RECEIVED) {
		if (SEQ_LEQ(sg->ack, t->snd_una) || SEQ_GT(sg->ack, t->snd_max)) {
			reply_rst(n, sg);
			return;
		}
		set_initial_cwnd(t);
		t->snd_wnd = sg->wnd << t->snd_wscale;
		t->max_sndwnd = MAX(t->max_sndwnd, t->snd_wnd);
		t->snd_wl1 = sg->seq;
		t->snd_wl2 = sg->ack;
		tcp_set_state(n, si, TCP_ESTABLISHED);
		if (s->parent >= 0) {
			s->flags |= SF_ACCEPTABLE;
			net_wake(n, s->parent);
		}
	}
	if (SEQ_GT(sg->ack, t->snd_max)) {
		t->ack_now = true;	/* acks what we never sent */
		tcp_output(n, si);
		return;
	}
	wnd = sg->wnd << t->snd_wscale;
	if (sg->ack == t->snd_una && sg->len == 0 && !(sg->flags & TH_FIN) &&
	    wnd == t->snd_wnd && t->snd_max != t->snd_una)
		on_dupack(n, si, sg->ack);
	else if (SEQ_GT(sg->ack, t->snd_una))
		on_new_ack(n, si, sg->ack);
	if (SEQ_LT(t->snd_wl1, sg->seq) || (t->snd_wl1 == sg->seq &&
	    SEQ_LEQ(t->snd_wl2, sg->ack))) {
		t->snd_wnd = wnd;
		t->snd_wl1 = sg->seq;
		t->snd_wl2 = sg->ack;
		t->max_sndwnd = MAX(t->max_sndwnd, wnd);
		if (wnd > 0)
			t->t_persist = 0;
	}
	fin_acked = t->fin_seq_valid && SEQ_GT(t->snd_una, t->fin_seq);
	switch (s->state) {
	case TCP_FIN_WAIT_1:
		if (fin_acked) {
			tcp_set_state(n, si, TCP_FIN_WAIT_2);
			if (s->flags & SF_ORPHAN)
				t->t_2msl = n->now + NET_TCP_FIN_TIMEOUT;
		}
		break;
	case TCP_CLOSING:
		if (fin_acked)
			tcp_set_state(n, si, TCP_TIME_WAIT);
		break;
	case TCP_LAST_ACK:
		if (fin_acked) {
			tcp_drop(n, si, 0);
			return;
		}
		break;
	case TCP_TIME_WAIT:
		if (sg->flags & TH_FIN) {
			t->t_2msl = n->now + 2 * NET_TCP_MSL;
			t->ack_now = true;
		}
		break;
	default:
		break;
	}
	if (sg->len > 0) {
		if (s->state != TCP_ESTABLISHED && s->state != TCP_FIN_WAIT_1 &&
		    s->state != TCP_FIN_WAIT_2) {
			sg->flags &= (uint8_t)~TH_FIN;	/* after their FIN */
		} else if (s->flags & (SF_ORPHAN | SF_SHUT_RD)) {
			/* Nobody will read it: reset (RFC 2525 2.17). */
			tcp_send_rst(n, s->laddr, s->lport, s->raddr, s->rport,
			    t->snd_nxt, 0, false);
			tcp_drop(n, si, NET_ECONNRESET);
			return;
		} else {
			receive_data(n, si, sg->seq, sg->data, sg->len);
		}
	}
	if ((sg->flags & TH_FIN) && !t->rcv_fin) {
		if (sg->seq + sg->len == t->rcv_nxt) {
			receive_fin(n, si);
		} else {
			t->ooo_fin = true;
			t->ooo_fin_seq = sg->seq + sg->len;
			t->ack_now = true;
		}
	}
	if (t->ooo_fin && !t->rcv_fin && t->rcv_nxt == t->ooo_fin_seq)
		receive_fin(n, si);
	tcp_output(n, si);
}

void
tcp_input(struct net *n, const struct ip_info *ii, const uint8_t *pl,
    size_t len)
{
	struct seg sg;
	size_t off;
	int si;

	n->stats.tcp_in++;
	if (len < TCP_HLEN || ii->broadcast) {
		n->stats.tcp_drop++;
		return;
	}
	off = (size_t)(pl[12] >> 4) * 4;
	if (off < TCP_HLEN || off > len) {
		n->stats.tcp_drop++;
		return;
	}
	if (cksum_fold(cksum_add(cksum_pseudo(ii->src, ii->dst,
	    NET_IPPROTO_TCP, len), pl, len)) != 0) {
		n->stats.tcp_bad_cksum++;
		return;
	}
	memset(&sg, 0, sizeof(sg));
	sg.src = ii->src;
	sg.dst = ii->dst;
	sg.sport = get16(pl);
	sg.dport = get16(pl + 2);
	sg.seq = get32(pl + 4);
	sg.ack = get32(pl + 8);
	sg.flags = pl[13] & 0x3f;
	sg.wnd = get16(pl + 14);
	sg.data = pl + off;
	sg.len = (uint32_t)(len - off);
	sg.wscale = -1;
	if (!parse_options(&sg, pl + TCP_HLEN, off - TCP_HLEN) ||
	    sg.sport == 0 || sg.dport == 0) {
		n->stats.tcp_drop++;
		return;
	}
	si = tcp_lookup(n, &sg);
	if (si < 0) {
		reply_rst(n, &sg);
		return;
	}
	switch (n->socks[si].state) {
	case TCP_LISTEN:
		listen_input(n, si, &sg);
		break;
	case TCP_SYN_SENT:
		syn_sent_input(n, si, &sg);
		break;
	default:
		established_input(n, si, &sg);
		break;
	}
}
