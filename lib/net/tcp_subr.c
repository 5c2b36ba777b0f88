/*
 * tcp_subr.c - TCP connection life: opening, state changes, closing,
 * tearing down, and the timers (retransmission with exponential backoff,
 * zero-window probes, delayed ACK, keep-alive, TIME_WAIT and the orphaned
 * FIN_WAIT_2 limit).
 */
#include "net_priv.h"

static const char *const state_names[] = {
	"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED",
	"FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
	"TIME_WAIT"
};

const char *
net_tcp_state_name(int state)
{
	if (state < 0 || state > TCP_TIME_WAIT)
		return "?";
	return state_names[state];
}

/* Fresh control block for a connection towards s->raddr. */
void
tcp_init_conn(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;
	uint32_t nexthop;
	uint32_t cap = MIN(s->rcvbuf, NET_SOCK_BUF);
	int ifindex;

	memset(t, 0, sizeof(*t));
	/* RFC 6528 asks for a keyed hash; a seeded generator is unguessable
	 * enough for us and needs no clock resolution. */
	t->iss = net_random(n);
	t->snd_una = t->snd_nxt = t->snd_max = t->iss;
	t->recover = t->iss;
	ifindex = route_lookup(n, s->raddr, &nexthop);
	t->mss = ifindex < 0 ? 536 :
	    (uint16_t)(n->ifs[ifindex].mtu - IP_HLEN - TCP_HLEN);
	t->peer_mss = 536;
	while (t->rcv_wscale < 14 && (cap >> t->rcv_wscale) > 65535)
		t->rcv_wscale++;
	t->srtt = -1;
	t->rto = NET_TCP_RTO_INIT;
	t->cwnd = t->mss;
	t->ssthresh = 0x7fffffff;	/* "arbitrarily high" (RFC 5681 3.1) */
	t->keep_idle = 7200000;
	t->keep_intvl = 75000;
	t->keep_cnt = 9;
	s->rx_start = s->rx_len = 0;
	s->tx_start = s->tx_len = 0;
}

void
tcp_set_state(struct net *n, int si, int state)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;

	s->state = (uint8_t)state;
	if (state == TCP_ESTABLISHED && (s->flags & SF_KEEPALIVE))
		t->t_keep = n->now + t->keep_idle;
	if (state == TCP_TIME_WAIT) {
		/* Nothing left to send: only the 2 MSL wait remains. */
		t->t_rexmit = t->t_persist = t->t_keep = 0;
		t->t_2msl = n->now + 2 * NET_TCP_MSL;
	}
	net_wake(n, si);
}

/* The connection is over; free it if nobody holds the socket. */
void
tcp_drop(struct net *n, int si, int err)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;

	if (err != 0)
		s->so_error = err;
	s->state = TCP_CLOSED;
	t->t_rexmit = t->t_persist = t->t_delack = t->t_keep = t->t_2msl = 0;
	if ((s->flags & SF_ORPHAN) || s->parent >= 0) {
		sock_free(n, si);
		return;
	}
	net_wake(n, si);
}

int
tcp_connect(struct net *n, int si)
{
	tcp_init_conn(n, si);
	tcp_set_state(n, si, TCP_SYN_SENT);
	tcp_output(n, si);
	return -NET_EINPROGRESS;
}

static void
tcp_queue_fin(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];

	if (s->tcb.fin_queued)
		return;
	s->tcb.fin_queued = true;
	if (s->state == TCP_ESTABLISHED)
		tcp_set_state(n, si, TCP_FIN_WAIT_1);
	else if (s->state == TCP_CLOSE_WAIT)
		tcp_set_state(n, si, TCP_LAST_ACK);
	tcp_output(n, si);
}

int
tcp_shutdown_write(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];

	switch (s->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		tcp_queue_fin(n, si);
		return 0;
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		/* Linux: shutting down a half-open connection drops it. */
		tcp_drop(n, si, 0);
		return 0;
	case TCP_CLOSED:
	case TCP_LISTEN:
		return -NET_ENOTCONN;
	default:
		return 0;
	}
}

/* The application closed the socket: finish politely, or reset. */
void
tcp_close(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];
	int i;

	switch (s->state) {
	case TCP_LISTEN:
		/* Connections nobody accepted die with their listener. */
		for (i = 0; i < NET_SOCKETS; i++) {
			struct net_sock *c = &n->socks[i];

			if (!c->used || c->parent != si)
				continue;
			tcp_send_rst(n, c->laddr, c->lport, c->raddr, c->rport,
			    c->tcb.snd_nxt, 0, false);
			sock_free(n, i);
		}
		sock_free(n, si);
		return;
	case TCP_CLOSED:
	case TCP_SYN_SENT:
		sock_free(n, si);
		return;
	case TCP_TIME_WAIT:
	case TCP_FIN_WAIT_2:
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		s->flags |= SF_ORPHAN;
		if (s->state == TCP_FIN_WAIT_2)
			s->tcb.t_2msl = n->now + NET_TCP_FIN_TIMEOUT;
		return;
	default:
		break;
	}
	if (s->rx_len > 0 || s->state == TCP_SYN_RECEIVED) {
		/* Unread data would be lost silently: say so (RFC 2525). */
		tcp_send_rst(n, s->laddr, s->lport, s->raddr, s->rport,
		    s->tcb.snd_nxt, 0, false);
		sock_free(n, si);
		return;
	}
	s->flags |= SF_ORPHAN;
	tcp_queue_fin(n, si);
}

static void
rexmit_timeout(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;
	bool syn = s->state == TCP_SYN_SENT || s->state == TCP_SYN_RECEIVED;
	uint32_t sent;

	t->rexmits++;
	if (t->rexmits > (syn ? NET_TCP_SYN_RETRIES : NET_TCP_RETRIES)) {
		if (s->state != TCP_SYN_RECEIVED || s->parent < 0)
			tcp_send_rst(n, s->laddr, s->lport, s->raddr, s->rport,
			    t->snd_nxt, 0, false);
		tcp_drop(n, si, NET_ETIMEDOUT);
		return;
	}
	n->stats.tcp_rto++;
	t->rto = MIN(t->rto * 2, NET_TCP_RTO_MAX);	/* RFC 6298 5.5 */
	t->rtt_timing = false;
	t->t_rexmit = n->now + t->rto;
	if (syn) {
		(void)tcp_send_segment(n, si, t->iss, 0, s->state ==
		    TCP_SYN_SENT ? TH_SYN : TH_SYN | TH_ACK);
		n->stats.tcp_rexmit++;
		return;
	}
	/* RFC 5681 3.1 eq. 4; loss window of one segment, then slow start. */
	if (t->rexmits == 1 || !t->in_recovery)
		t->ssthresh = MAX((t->snd_max - t->snd_una) / 2, 2u * t->mss);
	t->cwnd = t->mss;
	t->in_recovery = false;
	t->dupacks = 0;
	t->recover = t->snd_max - 1;	/* RFC 6582 4.1 */
	/* Go back N: resend the first segment even into a closed window. */
	sent = tcp_retransmit_first(n, si);
	t->snd_nxt = t->snd_una + sent;
	if (sent == 0 && t->snd_una == t->snd_max)
		t->t_rexmit = 0;
}

static void
persist_timeout(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;

	t->t_persist = 0;
	/* Only our own probe byte may be outstanding. */
	if (s->tx_len == 0 || t->snd_nxt != t->snd_una)
		return;
	if (t->snd_wnd != 0) {
		/* A window too small for Nagle: use it anyway. */
		uint32_t len = MIN(MIN(t->snd_wnd, t->mss), s->tx_len);

		(void)tcp_send_segment(n, si, t->snd_una, len, TH_ACK);
		t->snd_nxt = t->snd_max = t->snd_una + len;
		t->t_rexmit = n->now + t->rto;
		return;
	}
	/* One byte past the closed window; the ACK tells the window. */
	(void)tcp_send_segment(n, si, t->snd_una, 1, TH_ACK);
	if (SEQ_LT(t->snd_max, t->snd_una + 1))
		t->snd_max = t->snd_una + 1;
	n->stats.tcp_zwp_out++;
	if (t->persist_shift < 7)
		t->persist_shift++;
	t->t_persist = n->now + MIN((uint64_t)t->rto << t->persist_shift,
	    NET_TCP_RTO_MAX);
}

static void
keepalive_timeout(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];
	struct net_tcb *t = &s->tcb;

	if (!(s->flags & SF_KEEPALIVE) || s->state < TCP_ESTABLISHED ||
	    s->state == TCP_TIME_WAIT) {
		t->t_keep = 0;
		return;
	}
	if (t->keep_probes >= t->keep_cnt) {
		tcp_send_rst(n, s->laddr, s->lport, s->raddr, s->rport,
		    t->snd_nxt, 0, false);
		tcp_drop(n, si, NET_ETIMEDOUT);
		return;
	}
	/* An old sequence number makes the peer answer with an ACK. */
	(void)tcp_send_segment(n, si, t->snd_una - 1, 0, TH_ACK);
	n->stats.tcp_keepalive_out++;
	t->keep_probes++;
	t->t_keep = n->now + t->keep_intvl;
}

static bool
due(const struct net *n, uint64_t deadline)
{
	return deadline != 0 && n->now >= deadline;
}

void
tcp_tick(struct net *n)
{
	int i;

	for (i = 0; i < NET_SOCKETS; i++) {
		struct net_sock *s = &n->socks[i];
		struct net_tcb *t = &s->tcb;

		if (!s->used || s->type != NET_SOCK_STREAM ||
		    s->state == TCP_CLOSED || s->state == TCP_LISTEN)
			continue;
		if (due(n, t->t_2msl)) {
			tcp_drop(n, i, 0);
			continue;
		}
		if (due(n, t->t_rexmit))
			rexmit_timeout(n, i);
		if (!s->used || s->state == TCP_CLOSED)
			continue;
		if (due(n, t->t_persist))
			persist_timeout(n, i);
		if (due(n, t->t_keep))
			keepalive_timeout(n, i);
		if (!s->used || s->state == TCP_CLOSED)
			continue;
		if (due(n, t->t_delack)) {
			t->ack_now = true;
			t->t_delack = 0;
		}
		tcp_output(n, i);
	}
}

int
net_tcp_state(const struct net *n, int s)
{
	if (s < 0 || s >= NET_SOCKETS || !n->socks[s].used ||
	    n->socks[s].type != NET_SOCK_STREAM)
		return -NET_EBADF;
	return n->socks[s].state;
}

uint32_t
net_tcp_cwnd(const struct net *n, int s)
{
	if (s < 0 || s >= NET_SOCKETS || !n->socks[s].used)
		return 0;
	return n->socks[s].tcb.cwnd;
}
