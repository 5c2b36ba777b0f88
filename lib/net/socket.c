/*
 * socket.c - the sockets API that NET exposes to the Linux ABI. Sockets are
 * slots in a fixed pool; every call validates its arguments and returns a
 * negative errno rather than trusting the caller. Nothing here blocks.
 */
#include "net_priv.h"

void
ring_put(uint8_t *ring, uint32_t pos, const uint8_t *src, uint32_t len)
{
	uint32_t first;

	pos %= NET_SOCK_BUF;
	first = MIN(len, NET_SOCK_BUF - pos);
	memcpy(ring + pos, src, first);
	if (len > first)
		memcpy(ring, src + first, len - first);
}

void
ring_get(const uint8_t *ring, uint32_t pos, uint8_t *dst, uint32_t len)
{
	uint32_t first;

	pos %= NET_SOCK_BUF;
	first = MIN(len, NET_SOCK_BUF - pos);
	memcpy(dst, ring + pos, first);
	if (len > first)
		memcpy(dst + first, ring, len - first);
}

int
sock_alloc(struct net *n, int type, int proto)
{
	int i;

	for (i = 0; i < NET_SOCKETS; i++) {
		struct net_sock *s = &n->socks[i];

		if (s->used)
			continue;
		/* The rings need no clearing: their lengths say what is valid. */
		memset(s, 0, offsetof(struct net_sock, rx));
		s->used = true;
		s->type = (uint8_t)type;
		s->proto = (uint8_t)proto;
		s->state = TCP_CLOSED;
		s->parent = -1;
		s->rcvbuf = NET_SOCK_BUF;
		s->sndbuf = NET_SOCK_BUF;
		s->order = n->order++;
		s->tcb.keep_idle = 7200000;
		s->tcb.keep_intvl = 75000;
		s->tcb.keep_cnt = 9;
		return i;
	}
	return -NET_ENFILE;
}

void
sock_free(struct net *n, int si)
{
	n->socks[si].used = false;
	n->socks[si].parent = -1;
	n->socks[si].state = TCP_CLOSED;
}

static struct net_sock *
sock_get(struct net *n, int si)
{
	if (si < 0 || si >= NET_SOCKETS || !n->socks[si].used ||
	    (n->socks[si].flags & SF_ORPHAN) || n->socks[si].parent >= 0)
		return NULL;
	return &n->socks[si];
}

static bool
port_in_use(struct net *n, const struct net_sock *me, uint32_t addr,
    uint16_t port)
{
	int i;

	for (i = 0; i < NET_SOCKETS; i++) {
		const struct net_sock *s = &n->socks[i];

		if (!s->used || s == me || s->proto != me->proto ||
		    !(s->flags & SF_BOUND) || s->lport != port)
			continue;
		if (s->laddr != 0 && addr != 0 && s->laddr != addr)
			continue;
		/* SO_REUSEADDR on both: only a listener keeps its port. */
		if ((s->flags & SF_REUSEADDR) && (me->flags & SF_REUSEADDR) &&
		    (me->type == NET_SOCK_DGRAM || s->state != TCP_LISTEN))
			continue;
		return true;
	}
	return false;
}

uint16_t
sock_ephemeral_port(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];
	int tries;

	for (tries = 0; tries < 16384; tries++) {
		uint16_t p = n->next_port;

		n->next_port = n->next_port >= 65535 ? 49152 :
		    (uint16_t)(n->next_port + 1);
		if (!port_in_use(n, s, s->laddr, p))
			return p;
	}
	return 0;
}

static int
autobind(struct net *n, int si)
{
	struct net_sock *s = &n->socks[si];

	if (s->flags & SF_BOUND)
		return 0;
	s->lport = sock_ephemeral_port(n, si);
	if (s->lport == 0)
		return -NET_EADDRINUSE;
	s->flags |= SF_BOUND;
	return 0;
}

int
net_socket(struct net *n, int domain, int type, int protocol)
{
	int si;

	if (domain != NET_AF_INET)
		return -NET_EAFNOSUPPORT;
	type &= 0xf;	/* SOCK_NONBLOCK and SOCK_CLOEXEC are the server's */
	if (type == NET_SOCK_STREAM) {
		if (protocol != 0 && protocol != NET_IPPROTO_TCP)
			return -NET_EPROTONOSUPPORT;
		protocol = NET_IPPROTO_TCP;
	} else if (type == NET_SOCK_DGRAM) {
		if (protocol == 0)
			protocol = NET_IPPROTO_UDP;
		if (protocol != NET_IPPROTO_UDP && protocol != NET_IPPROTO_ICMP)
			return -NET_EPROTONOSUPPORT;
	} else {
		return -NET_EPROTONOSUPPORT;
	}
	si = sock_alloc(n, type, protocol);
	return si;
}

int
net_bind(struct net *n, int si, const struct net_sin *sin)
{
	struct net_sock *s = sock_get(n, si);
	uint32_t addr;
	uint16_t port;

	if (s == NULL)
		return -NET_EBADF;
	if (sin == NULL || sin->family != NET_AF_INET)
		return -NET_EAFNOSUPPORT;
	if (s->flags & SF_BOUND)
		return -NET_EINVAL;
	addr = net_ntohl(sin->addr);
	port = net_ntohs(sin->port);
	if (addr != 0 && !net_is_local_addr(n, addr) &&
	    !(s->type == NET_SOCK_DGRAM && addr == IP_BROADCAST))
		return -NET_EADDRNOTAVAIL;
	s->laddr = addr;
	if (port == 0) {
		port = sock_ephemeral_port(n, si);
		if (port == 0)
			return -NET_EADDRINUSE;
	} else if (port_in_use(n, s, addr, port)) {
		return -NET_EADDRINUSE;
	}
	s->lport = port;
	s->flags |= SF_BOUND;
	return 0;
}

int
net_listen(struct net *n, int si, int backlog)
{
	struct net_sock *s = sock_get(n, si);
	int err;

	if (s == NULL)
		return -NET_EBADF;
	if (s->type != NET_SOCK_STREAM)
		return -NET_EOPNOTSUPP;
	if (s->state != TCP_CLOSED && s->state != TCP_LISTEN)
		return -NET_EINVAL;
	if ((err = autobind(n, si)) < 0)
		return err;
	if (s->state == TCP_CLOSED && port_in_use(n, s, s->laddr, s->lport))
		return -NET_EADDRINUSE;
	s->backlog = backlog < 1 ? 1 : MIN(backlog, NET_SOCKETS);
	s->state = TCP_LISTEN;
	return 0;
}

int
net_accept(struct net *n, int si, struct net_sin *peer)
{
	struct net_sock *s = sock_get(n, si);
	int i, best = -1;

	if (s == NULL)
		return -NET_EBADF;
	if (s->type != NET_SOCK_STREAM || s->state != TCP_LISTEN)
		return -NET_EINVAL;
	for (i = 0; i < NET_SOCKETS; i++) {
		struct net_sock *c = &n->socks[i];

		if (c->used && c->parent == si && (c->flags & SF_ACCEPTABLE) &&
		    (best < 0 || c->order < n->socks[best].order))
			best = i;
	}
	if (best < 0)
		return -NET_EAGAIN;
	n->socks[best].parent = -1;
	n->socks[best].flags &= ~SF_ACCEPTABLE;
	if (peer != NULL)
		(void)net_getpeername(n, best, peer);
	return best;
}

int
net_connect(struct net *n, int si, const struct net_sin *sin)
{
	struct net_sock *s = sock_get(n, si);
	uint32_t dst;
	int err;

	if (s == NULL)
		return -NET_EBADF;
	if (sin == NULL)
		return -NET_EINVAL;
	if (s->type == NET_SOCK_DGRAM) {
		if (sin->family == 0) {	/* AF_UNSPEC dissolves the link */
			s->flags &= ~SF_CONNECTED;
			return 0;
		}
		if (sin->family != NET_AF_INET)
			return -NET_EAFNOSUPPORT;
		s->raddr = net_ntohl(sin->addr);
		s->rport = net_ntohs(sin->port);
		if ((err = autobind(n, si)) < 0)
			return err;
		s->flags |= SF_CONNECTED;
		return 0;
	}
	if (sin->family != NET_AF_INET)
		return -NET_EAFNOSUPPORT;
	switch (s->state) {
	case TCP_CLOSED:
		break;
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		return -NET_EALREADY;
	case TCP_LISTEN:
		return -NET_EINVAL;
	default:
		return -NET_EISCONN;
	}
	if (s->so_error != 0) {
		err = s->so_error;
		s->so_error = 0;
		return -err;
	}
	dst = net_ntohl(sin->addr);
	if (dst == 0 || dst == IP_BROADCAST || (dst >> 28) == 0xe ||
	    sin->port == 0)
		return -NET_ECONNREFUSED;
	if (s->laddr == 0)
		s->laddr = route_source(n, dst);
	if (s->laddr == 0)
		return -NET_ENETUNREACH;
	s->raddr = dst;
	s->rport = net_ntohs(sin->port);
	if ((err = autobind(n, si)) < 0)
		return err;
	s->flags &= ~(SF_SHUT_RD | SF_SHUT_WR | SF_RX_EOF);
	err = tcp_connect(n, si);
	loopback_flush(n);
	return err;
}

static long
ping_send(struct net *n, int si, const uint8_t *buf, size_t len,
    uint32_t dst)
{
	struct net_sock *s = &n->socks[si];
	uint8_t *m = n->scratch;
	int err;

	/* Linux ping sockets: an echo request whose id is ours to set. */
	if (len < ICMP_HLEN || len > 65535 - IP_HLEN || buf[0] != 8 ||
	    buf[1] != 0)
		return -NET_EINVAL;
	memcpy(m, buf, len);
	put16(m + 4, s->lport);
	put16(m + 2, 0);
	put16(m + 2, cksum_fold(cksum_add(0, m, len)));
	err = ip_output(n, s->laddr, dst, NET_IPPROTO_ICMP, false, m, len);
	return err < 0 ? err : (long)len;
}

long
net_sendto(struct net *n, int si, const void *buf, size_t len, int flags,
    const struct net_sin *to)
{
	struct net_sock *s = sock_get(n, si);
	uint32_t dst;
	uint16_t dport;
	uint32_t space;
	long r;
	int err;

	(void)flags;
	if (s == NULL)
		return -NET_EBADF;
	if (buf == NULL && len > 0)
		return -NET_EFAULT;
	if (s->type == NET_SOCK_DGRAM) {
		if (s->so_error != 0) {
			err = s->so_error;
			s->so_error = 0;
			return -err;
		}
		if (to != NULL) {
			if (to->family != NET_AF_INET)
				return -NET_EAFNOSUPPORT;
			dst = net_ntohl(to->addr);
			dport = net_ntohs(to->port);
		} else if (s->flags & SF_CONNECTED) {
			dst = s->raddr;
			dport = s->rport;
		} else {
			return -NET_EDESTADDRREQ;
		}
		if (dst == IP_BROADCAST && !(s->flags & SF_BROADCAST))
			return -13;	/* EACCES, as Linux */
		if ((err = autobind(n, si)) < 0)
			return err;
		if (s->proto == NET_IPPROTO_ICMP)
			r = ping_send(n, si, buf, len, dst);
		else {
			if (dport == 0)
				return -NET_EINVAL;
			err = udp_send(n, s->laddr, s->lport, dst, dport, buf,
			    len);
			r = err < 0 ? err : (long)len;
		}
		loopback_flush(n);
		return r;
	}
	/* Stream: the destination, if any, is ignored (Linux). */
	if (s->flags & SF_SHUT_WR)
		return -NET_EPIPE;
	switch (s->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		break;
	case TCP_SYN_SENT:
	case TCP_SYN_RECEIVED:
		return -NET_EAGAIN;
	case TCP_CLOSED:
		if (s->so_error != 0) {
			err = s->so_error;
			s->so_error = 0;
			return -err;
		}
		return s->raddr != 0 ? -NET_EPIPE : -NET_ENOTCONN;
	default:
		return -NET_EPIPE;
	}
	if (s->tcb.fin_queued)
		return -NET_EPIPE;
	space = MIN(s->sndbuf, NET_SOCK_BUF) > s->tx_len ?
	    MIN(s->sndbuf, NET_SOCK_BUF) - s->tx_len : 0;
	if (space == 0)
		return -NET_EAGAIN;
	if (len > space)
		len = space;
	ring_put(s->tx, s->tx_start + s->tx_len, buf, (uint32_t)len);
	s->tx_len += (uint32_t)len;
	tcp_output(n, si);
	loopback_flush(n);
	return (long)len;
}

long
net_send(struct net *n, int si, const void *buf, size_t len, int flags)
{
	return net_sendto(n, si, buf, len, flags, NULL);
}

long
net_recvfrom(struct net *n, int si, void *buf, size_t len, int flags,
    struct net_sin *from)
{
	struct net_sock *s = sock_get(n, si);
	bool peek = (flags & NET_MSG_PEEK) != 0;
	uint32_t addr;
	uint16_t port;
	long r;
	int err;

	if (s == NULL)
		return -NET_EBADF;
	if (buf == NULL && len > 0)
		return -NET_EFAULT;
	if (s->type == NET_SOCK_DGRAM) {
		if (s->so_error != 0) {
			err = s->so_error;
			s->so_error = 0;
			return -err;
		}
		r = dgram_dequeue(s, buf, len, peek, &addr, &port);
		if (r >= 0 && from != NULL) {
			memset(from, 0, sizeof(*from));
			from->family = NET_AF_INET;
			from->addr = net_htonl(addr);
			from->port = net_htons(port);
		}
		return r;
	}
	if (s->state == TCP_LISTEN)
		return -NET_ENOTCONN;
	if (s->rx_len == 0) {
		if (s->so_error != 0) {
			err = s->so_error;
			s->so_error = 0;
			return -err;
		}
		if (s->flags & (SF_RX_EOF | SF_SHUT_RD))
			return 0;
		if (s->state == TCP_CLOSED)
			return s->raddr != 0 ? 0 : -NET_ENOTCONN;
		return -NET_EAGAIN;
	}
	if (s->flags & SF_SHUT_RD)
		return 0;
	len = MIN(len, s->rx_len);
	ring_get(s->rx, s->rx_start, buf, (uint32_t)len);
	if (!peek) {
		s->rx_start = (s->rx_start + (uint32_t)len) % NET_SOCK_BUF;
		s->rx_len -= (uint32_t)len;
		tcp_window_update(n, si);
		loopback_flush(n);
	}
	if (from != NULL)
		(void)net_getpeername(n, si, from);
	return (long)len;
}

long
net_recv(struct net *n, int si, void *buf, size_t len, int flags)
{
	return net_recvfrom(n, si, buf, len, flags, NULL);
}

int
net_shutdown(struct net *n, int si, int how)
{
	struct net_sock *s = sock_get(n, si);
	int err = 0;

	if (s == NULL)
		return -NET_EBADF;
	if (how < NET_SHUT_RD || how > NET_SHUT_RDWR)
		return -NET_EINVAL;
	if (s->type == NET_SOCK_STREAM && (s->state == TCP_CLOSED ||
	    s->state == TCP_LISTEN))
		return -NET_ENOTCONN;
	if (how != NET_SHUT_WR)
		s->flags |= SF_SHUT_RD;
	if (how != NET_SHUT_RD) {
		if (s->type == NET_SOCK_STREAM)
			err = tcp_shutdown_write(n, si);
		s->flags |= SF_SHUT_WR;
	}
	net_wake(n, si);
	loopback_flush(n);
	return err;
}

int
net_close(struct net *n, int si)
{
	struct net_sock *s = sock_get(n, si);

	if (s == NULL)
		return -NET_EBADF;
	if (s->type == NET_SOCK_STREAM)
		tcp_close(n, si);
	else
		sock_free(n, si);
	loopback_flush(n);
	return 0;
}

int
net_setsockopt(struct net *n, int si, int level, int name, int value)
{
	struct net_sock *s = sock_get(n, si);
	uint32_t bit = 0;

	if (s == NULL)
		return -NET_EBADF;
	if (level == NET_SOL_SOCKET) {
		switch (name) {
		case NET_SO_REUSEADDR:
			bit = SF_REUSEADDR;
			break;
		case NET_SO_KEEPALIVE:
			bit = SF_KEEPALIVE;
			if (value && s->type == NET_SOCK_STREAM &&
			    s->state >= TCP_ESTABLISHED)
				s->tcb.t_keep = n->now + s->tcb.keep_idle;
			break;
		case NET_SO_BROADCAST:
			bit = SF_BROADCAST;
			break;
		case NET_SO_RCVBUF:
		case NET_SO_SNDBUF:
			/* Like Linux, doubled for bookkeeping, then clamped;
			 * a connected TCP socket keeps its window scale and
			 * so may not shrink its receive buffer. */
			if (value < 0)
				return -NET_EINVAL;
			value = (int)MIN((uint32_t)value * 2u,
			    (uint32_t)NET_SOCK_BUF);
			value = MAX(value, 2048);
			if (name == NET_SO_SNDBUF)
				s->sndbuf = (uint32_t)value;
			else if (s->type != NET_SOCK_STREAM ||
			    s->state == TCP_CLOSED || s->state == TCP_LISTEN)
				s->rcvbuf = (uint32_t)value;
			return 0;
		default:
			return -NET_ENOPROTOOPT;
		}
	} else if (level == NET_IPPROTO_TCP && s->type == NET_SOCK_STREAM) {
		switch (name) {
		case NET_TCP_NODELAY:
			bit = SF_NODELAY;
			break;
		case NET_TCP_KEEPIDLE:
		case NET_TCP_KEEPINTVL:
			if (value < 1 || value > 32767)
				return -NET_EINVAL;
			if (name == NET_TCP_KEEPIDLE)
				s->tcb.keep_idle = (uint32_t)value * 1000;
			else
				s->tcb.keep_intvl = (uint32_t)value * 1000;
			return 0;
		case NET_TCP_KEEPCNT:
			if (value < 1 || value > 127)
				return -NET_EINVAL;
			s->tcb.keep_cnt = (uint32_t)value;
			return 0;
		case NET_TCP_MAXSEG:
			if (value < 64 || value > 65535)
				return -NET_EINVAL;
			if (s->state == TCP_CLOSED)
				return 0;	/* accepted, applied on SYN */
			return 0;
		default:
			return -NET_ENOPROTOOPT;
		}
	} else {
		return -NET_ENOPROTOOPT;
	}
	if (value)
		s->flags |= bit;
	else
		s->flags &= ~bit;
	if (bit == SF_NODELAY && value && s->state >= TCP_ESTABLISHED) {
		tcp_output(n, si);
		loopback_flush(n);
	}
	return 0;
}

int
net_getsockopt(struct net *n, int si, int level, int name, int *value)
{
	struct net_sock *s = sock_get(n, si);

	if (s == NULL)
		return -NET_EBADF;
	if (value == NULL)
		return -NET_EFAULT;
	if (level == NET_SOL_SOCKET) {
		switch (name) {
		case NET_SO_REUSEADDR:
			*value = (s->flags & SF_REUSEADDR) != 0;
			return 0;
		case NET_SO_KEEPALIVE:
			*value = (s->flags & SF_KEEPALIVE) != 0;
			return 0;
		case NET_SO_BROADCAST:
			*value = (s->flags & SF_BROADCAST) != 0;
			return 0;
		case NET_SO_TYPE:
			*value = s->type;
			return 0;
		case NET_SO_ERROR:
			*value = s->so_error;
			s->so_error = 0;
			return 0;
		case NET_SO_RCVBUF:
			*value = (int)s->rcvbuf;
			return 0;
		case NET_SO_SNDBUF:
			*value = (int)s->sndbuf;
			return 0;
		default:
			return -NET_ENOPROTOOPT;
		}
	}
	if (level == NET_IPPROTO_TCP && s->type == NET_SOCK_STREAM) {
		switch (name) {
		case NET_TCP_NODELAY:
			*value = (s->flags & SF_NODELAY) != 0;
			return 0;
		case NET_TCP_MAXSEG:
			*value = s->tcb.mss;
			return 0;
		case NET_TCP_KEEPIDLE:
			*value = (int)(s->tcb.keep_idle / 1000);
			return 0;
		case NET_TCP_KEEPINTVL:
			*value = (int)(s->tcb.keep_intvl / 1000);
			return 0;
		case NET_TCP_KEEPCNT:
			*value = (int)s->tcb.keep_cnt;
			return 0;
		default:
			return -NET_ENOPROTOOPT;
		}
	}
	return -NET_ENOPROTOOPT;
}

static void
fill_sin(struct net_sin *sin, uint32_t addr, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->family = NET_AF_INET;
	sin->addr = net_htonl(addr);
	sin->port = net_htons(port);
}

int
net_getsockname(struct net *n, int si, struct net_sin *sin)
{
	struct net_sock *s = sock_get(n, si);

	if (s == NULL)
		return -NET_EBADF;
	if (sin == NULL)
		return -NET_EFAULT;
	fill_sin(sin, s->laddr, s->lport);
	return 0;
}

int
net_getpeername(struct net *n, int si, struct net_sin *sin)
{
	struct net_sock *s;

	if (si < 0 || si >= NET_SOCKETS || !n->socks[si].used)
		return -NET_EBADF;
	s = &n->socks[si];
	if (sin == NULL)
		return -NET_EFAULT;
	if (s->type == NET_SOCK_DGRAM ? !(s->flags & SF_CONNECTED) :
	    (s->state == TCP_CLOSED || s->state == TCP_LISTEN ||
	    s->state == TCP_SYN_SENT))
		return -NET_ENOTCONN;
	fill_sin(sin, s->raddr, s->rport);
	return 0;
}

int
net_sock_poll(struct net *n, int si)
{
	struct net_sock *s = sock_get(n, si);
	int ev = 0;
	int i;

	if (s == NULL)
		return NET_POLLERR;
	if (s->so_error != 0)
		ev |= NET_POLLERR;
	if (s->type == NET_SOCK_DGRAM) {
		ev |= NET_POLLOUT;
		if (s->rx_len > 0)
			ev |= NET_POLLIN;
		return ev;
	}
	if (s->state == TCP_LISTEN) {
		for (i = 0; i < NET_SOCKETS; i++)
			if (n->socks[i].used && n->socks[i].parent == si &&
			    (n->socks[i].flags & SF_ACCEPTABLE))
				return ev | NET_POLLIN;
		return ev;
	}
	/* Modelled on Linux's tcp_poll. */
	if (s->state == TCP_CLOSED ||
	    (s->flags & (SF_SHUT_WR | SF_RX_EOF)) == (SF_SHUT_WR | SF_RX_EOF))
		ev |= NET_POLLHUP;
	if (s->rx_len > 0)
		ev |= NET_POLLIN;
	if (s->state != TCP_SYN_SENT && s->state != TCP_SYN_RECEIVED) {
		if (s->flags & (SF_RX_EOF | SF_SHUT_RD))
			ev |= NET_POLLIN | NET_POLLRDHUP;
		if (!(s->flags & SF_SHUT_WR) && !s->tcb.fin_queued &&
		    s->tx_len < MIN(s->sndbuf, NET_SOCK_BUF))
			ev |= NET_POLLOUT;
	}
	return ev;
}
