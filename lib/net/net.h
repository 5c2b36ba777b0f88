/*
 * net.h - Bulkhead's TCP/IP protocol core, the library inside NET.
 *
 * Portable and freestanding: no heap, no clock, no I/O of its own. The
 * embedder (the NET server, or a host test) owns one `struct net`, which
 * holds every pool (packet buffers, ARP entries, reassembly slots, sockets),
 * and drives it with three calls:
 *
 *	net_input(n, ifindex, frame, len)	an Ethernet frame arrived
 *	net_tick(n, now_ms)			time moved on (monotonic ms)
 *	the socket calls below			what the Linux sockets ABI asks
 *
 * Frames leave through the output callback given per interface. Every call
 * is non-blocking: where Linux would sleep we return -NET_EAGAIN (or
 * -NET_EINPROGRESS for connect) and report readiness through net_sock_poll()
 * and the notify callback, so the server decides who sleeps and who wakes.
 * Errors are negative Linux errno values. Addresses cross the API as
 * struct net_sin, laid out like Linux's struct sockaddr_in (network order).
 */
#ifndef BULKHEAD_NET_H
#define BULKHEAD_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Pool sizes: the embedder may override them at compile time. */
#ifndef NET_MAX_IFS
#define NET_MAX_IFS		4
#endif
#ifndef NET_PBUFS
#define NET_PBUFS		256
#endif
#define NET_PBUF_SIZE		1536	/* one Ethernet frame, 1514 + slack */
#ifndef NET_ARP_ENTRIES
#define NET_ARP_ENTRIES		32
#endif
#define NET_ARP_QUEUE		48	/* frames held per unresolved address:
					   one 64 KiB datagram in fragments */
#ifndef NET_REASM_SLOTS
#define NET_REASM_SLOTS		4
#endif
#define NET_REASM_MAX		65535	/* largest payload a slot can hold */
#ifndef NET_SOCKETS
#define NET_SOCKETS		32
#endif
#ifndef NET_SOCK_BUF
#define NET_SOCK_BUF		131072	/* per socket, each direction */
#endif
#define NET_TCP_OOO		8	/* out-of-order ranges remembered */

/* Timing (ms). */
#define NET_ARP_TTL		60000	/* a resolved entry lives this long */
#define NET_ARP_RETRY		1000	/* between requests */
#define NET_ARP_TRIES		3	/* requests before giving up */
#define NET_REASM_TIMEOUT	30000
#define NET_TCP_MSL		30000	/* TIME_WAIT lasts 2 MSL */
#define NET_TCP_RTO_INIT	1000	/* RFC 6298 2.1 */
#define NET_TCP_RTO_MIN		200	/* below RFC 6298's 1 s, like Linux */
#define NET_TCP_RTO_MAX		60000
#define NET_TCP_DELACK		40
#define NET_TCP_SYN_RETRIES	6
#define NET_TCP_RETRIES		15
#define NET_TCP_FIN_TIMEOUT	60000	/* orphan in FIN_WAIT_2 */

/* Linux errno values, returned negated. */
#define NET_EPERM		1
#define NET_EBADF		9
#define NET_EAGAIN		11
#define NET_ENOMEM		12
#define NET_EFAULT		14
#define NET_EINVAL		22
#define NET_ENFILE		23
#define NET_EPIPE		32
#define NET_ENOTSOCK		88
#define NET_EDESTADDRREQ	89
#define NET_EMSGSIZE		90
#define NET_EPROTOTYPE		91
#define NET_ENOPROTOOPT		92
#define NET_EPROTONOSUPPORT	93
#define NET_EOPNOTSUPP		95
#define NET_EAFNOSUPPORT	97
#define NET_EADDRINUSE		98
#define NET_EADDRNOTAVAIL	99
#define NET_ENETUNREACH		101
#define NET_ECONNABORTED	103
#define NET_ECONNRESET		104
#define NET_ENOBUFS		105
#define NET_EISCONN		106
#define NET_ENOTCONN		107
#define NET_ETIMEDOUT		110
#define NET_ECONNREFUSED	111
#define NET_EHOSTUNREACH	113
#define NET_EALREADY		114
#define NET_EINPROGRESS		115

/* Linux socket ABI constants. */
#define NET_AF_INET		2
#define NET_SOCK_STREAM		1
#define NET_SOCK_DGRAM		2
#define NET_IPPROTO_ICMP	1
#define NET_IPPROTO_TCP		6
#define NET_IPPROTO_UDP		17
#define NET_SOL_SOCKET		1
#define NET_SO_REUSEADDR	2
#define NET_SO_TYPE		3
#define NET_SO_ERROR		4
#define NET_SO_BROADCAST	6
#define NET_SO_SNDBUF		7
#define NET_SO_RCVBUF		8
#define NET_SO_KEEPALIVE	9
#define NET_TCP_NODELAY		1
#define NET_TCP_MAXSEG		2
#define NET_TCP_KEEPIDLE	4
#define NET_TCP_KEEPINTVL	5
#define NET_TCP_KEEPCNT		6
#define NET_SHUT_RD		0
#define NET_SHUT_WR		1
#define NET_SHUT_RDWR		2
#define NET_MSG_PEEK		0x2
#define NET_POLLIN		0x001
#define NET_POLLOUT		0x004
#define NET_POLLERR		0x008
#define NET_POLLHUP		0x010
#define NET_POLLRDHUP		0x2000

/* Like Linux's struct sockaddr_in: port and addr in network byte order. */
struct net_sin {
	uint16_t family;
	uint16_t port;
	uint32_t addr;
	uint8_t zero[8];
};

typedef void (*net_output_fn)(void *arg, const uint8_t *frame, size_t len);
typedef void (*net_notify_fn)(void *arg, int sock);

/* Counters; tests read them to see that a hostile packet was dropped why. */
struct net_stats {
	uint32_t eth_in, eth_drop;
	uint32_t arp_in, arp_drop, arp_request_out, arp_reply_out;
	uint32_t arp_timeout;
	uint32_t ip_in, ip_bad_hdr, ip_bad_cksum, ip_not_ours, ip_out;
	uint32_t ip_frag_out, ip_frag_in, reasm_ok, reasm_drop;
	uint32_t reasm_overlap, reasm_oversize, reasm_timeout;
	uint32_t icmp_in, icmp_drop, icmp_echo_reply_out, icmp_unreach_out;
	uint32_t udp_in, udp_drop, udp_bad_cksum, udp_no_port;
	uint32_t tcp_in, tcp_drop, tcp_bad_cksum, tcp_rst_out;
	uint32_t tcp_out, tcp_rexmit, tcp_rto, tcp_fast_rexmit;
	uint32_t tcp_syn_evicted, tcp_zwp_out, tcp_keepalive_out;
	uint32_t pbuf_exhausted;
};

/* --- everything below up to the API is private; it is here for sizeof --- */

struct net_pbuf {
	struct net_pbuf *next;
	uint32_t nexthop;	/* while queued on ARP */
	uint16_t len;
	uint8_t data[NET_PBUF_SIZE];
};

struct net_dhcp {
	uint8_t state;
	uint8_t tries;
	uint32_t xid;
	uint32_t offered, server, mask, router, dns, lease;
	uint64_t deadline;
	uint64_t bound_at;
};

struct net_if {
	bool used;
	bool loopback;
	uint8_t mac[6];
	uint16_t mtu;
	uint32_t addr, mask, gateway;	/* host byte order */
	net_output_fn output;
	void *output_arg;
	struct net_dhcp dhcp;
};

struct net_arp {
	uint8_t state;
	uint8_t ifindex;
	uint8_t tries;
	uint8_t qlen;
	uint32_t ip;
	uint8_t mac[6];
	uint64_t deadline;
	struct net_pbuf *queue;
};

struct net_reasm {
	bool used;
	uint8_t proto;
	uint8_t ifindex;
	uint16_t id;
	uint32_t src, dst;
	uint32_t total;		/* payload length, known once the last came */
	uint32_t hdrlen;	/* of the first fragment, for the size limit */
	uint64_t deadline;
	uint8_t have[NET_REASM_MAX / 8 / 8 + 1];	/* one bit per 8 bytes */
	uint8_t data[NET_REASM_MAX];
};

struct net_tcb {
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_max, snd_wnd, snd_wl1, snd_wl2;
	uint32_t max_sndwnd;
	uint32_t rcv_nxt, rcv_adv;
	uint32_t fin_seq;
	uint16_t mss;		/* what we send */
	uint16_t peer_mss;
	uint8_t snd_wscale, rcv_wscale;
	bool wscale_ok;
	bool fin_queued, fin_seq_valid;
	bool rcv_fin, ooo_fin;
	uint32_t ooo_fin_seq;
	uint32_t ooo_start[NET_TCP_OOO], ooo_end[NET_TCP_OOO];
	uint8_t ooo_n;
	/* congestion control, RFC 5681 / 6582 */
	uint32_t cwnd, ssthresh, recover;
	uint8_t dupacks;
	bool in_recovery;
	/* RFC 6298 */
	int32_t srtt, rttvar;	/* ms, scaled by 8 and 4 */
	uint32_t rto;
	bool rtt_timing;
	uint32_t rtt_seq;
	uint64_t rtt_start;
	uint8_t rexmits;
	/* timers: absolute ms, 0 = stopped */
	uint64_t t_rexmit, t_persist, t_delack, t_keep, t_2msl;
	uint8_t persist_shift;
	uint8_t keep_probes;
	uint8_t unacked_segs;	/* for ACK every second segment */
	bool ack_now;
	uint32_t keep_idle, keep_intvl, keep_cnt;	/* ms, ms, count */
	uint64_t last_rx;
};

struct net_sock {
	bool used;
	uint8_t type;		/* NET_SOCK_STREAM or NET_SOCK_DGRAM */
	uint8_t proto;
	uint8_t state;		/* TCP state, or bound/connected for datagrams */
	uint32_t flags;
	uint32_t laddr, raddr;	/* host byte order */
	uint16_t lport, rport;
	int so_error;
	uint32_t rcvbuf, sndbuf;
	uint32_t rx_start, rx_len;
	uint32_t tx_start, tx_len;
	int parent;		/* listener, for embryonic and unaccepted */
	int backlog;
	uint32_t order;		/* creation order: FIFO accept, oldest eviction */
	struct net_tcb tcb;
	uint8_t rx[NET_SOCK_BUF];
	uint8_t tx[NET_SOCK_BUF];
};

struct net {
	uint64_t now;
	uint64_t rand_state;
	uint16_t ip_id;
	uint16_t next_port;
	uint32_t order;
	int loopback_draining;
	struct net_if ifs[NET_MAX_IFS];
	struct net_pbuf pbufs[NET_PBUFS];
	struct net_pbuf *free_pbufs;
	struct net_pbuf *loop_head, *loop_tail;
	struct net_arp arp[NET_ARP_ENTRIES];
	struct net_reasm reasm[NET_REASM_SLOTS];
	struct net_sock socks[NET_SOCKETS];
	net_notify_fn notify;
	void *notify_arg;
	struct net_stats stats;
	uint8_t scratch[65536 + 64];	/* one outgoing datagram, before fragmenting */
};

/* --- stack --- */
void net_init(struct net *n, uint64_t seed, uint64_t now_ms);
void net_set_notify(struct net *n, net_notify_fn fn, void *arg);
void net_tick(struct net *n, uint64_t now_ms);
void net_input(struct net *n, int ifindex, const uint8_t *frame, size_t len);

/* Interfaces. Index 0 is the loopback, 127.0.0.1/8, made by net_init. */
int net_if_add(struct net *n, const uint8_t mac[6], uint16_t mtu,
    net_output_fn output, void *arg);
/* Addresses in host byte order (0x0a000001 is 10.0.0.1). */
int net_if_set_addr(struct net *n, int ifindex, uint32_t addr, uint32_t mask,
    uint32_t gateway);

/* DHCP client (dhcp.c): starts discovering; the address appears when bound. */
int net_dhcp_start(struct net *n, int ifindex);
bool net_dhcp_bound(const struct net *n, int ifindex);
uint32_t net_dhcp_dns(const struct net *n, int ifindex);

/* --- sockets: a socket is a small int, the index in the pool --- */
int net_socket(struct net *n, int domain, int type, int protocol);
int net_bind(struct net *n, int s, const struct net_sin *sin);
int net_listen(struct net *n, int s, int backlog);
int net_accept(struct net *n, int s, struct net_sin *peer);
int net_connect(struct net *n, int s, const struct net_sin *sin);
long net_send(struct net *n, int s, const void *buf, size_t len, int flags);
long net_sendto(struct net *n, int s, const void *buf, size_t len, int flags,
    const struct net_sin *to);
long net_recv(struct net *n, int s, void *buf, size_t len, int flags);
long net_recvfrom(struct net *n, int s, void *buf, size_t len, int flags,
    struct net_sin *from);
int net_shutdown(struct net *n, int s, int how);
int net_close(struct net *n, int s);
int net_setsockopt(struct net *n, int s, int level, int name, int value);
int net_getsockopt(struct net *n, int s, int level, int name, int *value);
int net_getsockname(struct net *n, int s, struct net_sin *sin);
int net_getpeername(struct net *n, int s, struct net_sin *sin);
/* Readiness as poll(2) bits: NET_POLLIN, NET_POLLOUT, NET_POLLERR, ... */
int net_sock_poll(struct net *n, int s);
/* TCP state, for tests and the information server; names in net_tcp_state_name. */
int net_tcp_state(const struct net *n, int s);
const char *net_tcp_state_name(int state);
/* Congestion window in bytes, for tests and tools. */
uint32_t net_tcp_cwnd(const struct net *n, int s);

enum net_tcp_state {
	TCP_CLOSED, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED,
	TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT,
	TCP_CLOSING, TCP_LAST_ACK, TCP_TIME_WAIT
};

/* --- DNS helper (dns.c): build a query, pick A records from an answer --- */
int net_dns_query(uint8_t *buf, size_t size, uint16_t id, const char *name);
int net_dns_answer(const uint8_t *msg, size_t len, uint16_t id,
    uint32_t *addrs, int max);

/* Byte order helpers for callers. */
static inline uint16_t net_htons(uint16_t v)
{
	const uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	uint16_t r;

	__builtin_memcpy(&r, b, 2);
	return r;
}

static inline uint32_t net_htonl(uint32_t v)
{
	const uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };
	uint32_t r;

	__builtin_memcpy(&r, b, 4);
	return r;
}

#define net_ntohs net_htons
#define net_ntohl net_htonl

#endif
