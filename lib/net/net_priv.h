/*
 * net_priv.h - what the protocol files share and the embedder never sees.
 *
 * Wire fields are read and written byte by byte (get16/put16...), so the
 * code neither depends on the host's byte order nor on alignment of the
 * frame the driver handed us. Addresses are kept in host byte order inside.
 */
#ifndef BULKHEAD_NET_PRIV_H
#define BULKHEAD_NET_PRIV_H

#include "net.h"

void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);

#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define IP_HLEN		20
#define UDP_HLEN	8
#define TCP_HLEN	20
#define ICMP_HLEN	8

#define IP_BROADCAST	0xffffffffu
#define IP_LOOPBACK	0x7f000001u

/* Socket flags. */
#define SF_REUSEADDR	0x0001
#define SF_KEEPALIVE	0x0002
#define SF_NODELAY	0x0004
#define SF_BROADCAST	0x0008
#define SF_SHUT_RD	0x0010
#define SF_SHUT_WR	0x0020
#define SF_ORPHAN	0x0040	/* closed by the application, TCP lingers */
#define SF_BOUND	0x0080
#define SF_CONNECTED	0x0100	/* datagram socket has a default peer */
#define SF_ACCEPTABLE	0x0200	/* established child waiting for accept */
#define SF_RX_EOF	0x0400

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

/* Sequence number comparisons, modulo 2^32 (RFC 793 3.3). */
#define SEQ_LT(a, b)	((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b)	((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b)	((int32_t)((a) - (b)) > 0)
#define SEQ_GEQ(a, b)	((int32_t)((a) - (b)) >= 0)

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* What IP input tells the transport about a datagram. */
struct ip_info {
	int ifindex;
	uint32_t src, dst;
	uint8_t proto;
	uint8_t ttl;
	bool broadcast;
	const uint8_t *hdr;	/* the IP header, for ICMP errors */
	size_t hdrlen;
};

/* cksum.c */
uint32_t cksum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t cksum_fold(uint32_t sum);
uint32_t cksum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, size_t len);

/* core.c */
struct net_pbuf *pbuf_alloc(struct net *n);
void pbuf_free(struct net *n, struct net_pbuf *p);
uint32_t net_random(struct net *n);
void net_wake(struct net *n, int sock);
void loopback_flush(struct net *n);
void loopback_queue(struct net *n, struct net_pbuf *p);
bool net_is_local_addr(const struct net *n, uint32_t addr);
int route_lookup(const struct net *n, uint32_t dst, uint32_t *nexthop);
uint32_t route_source(const struct net *n, uint32_t dst);

/* arp.c */
void arp_input(struct net *n, int ifindex, const uint8_t *pkt, size_t len);
void arp_output(struct net *n, int ifindex, uint32_t nexthop,
    struct net_pbuf *p);
void arp_tick(struct net *n);

/* ip.c */
void ip_input(struct net *n, int ifindex, const uint8_t *pkt, size_t len);
int ip_output(struct net *n, uint32_t src, uint32_t dst, uint8_t proto,
    bool df, const uint8_t *payload, size_t len);
void ip_deliver(struct net *n, const struct ip_info *ii, const uint8_t *pl,
    size_t len);

/* reasm.c */
void reasm_input(struct net *n, const struct ip_info *ii, uint16_t id,
    uint32_t off, bool more, const uint8_t *pl, size_t len);
void reasm_tick(struct net *n);

/* icmp.c */
void icmp_input(struct net *n, const struct ip_info *ii, const uint8_t *pl,
    size_t len);
void icmp_send_unreach(struct net *n, const struct ip_info *ii, uint8_t code,
    const uint8_t *pl, size_t len);

/* udp.c */
void udp_input(struct net *n, const struct ip_info *ii, const uint8_t *pl,
    size_t len);
int udp_send(struct net *n, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, const uint8_t *data, size_t len);
int dgram_enqueue(struct net_sock *s, uint32_t addr, uint16_t port,
    const uint8_t *data, size_t len);

/* tcp_*.c */
void tcp_input(struct net *n, const struct ip_info *ii, const uint8_t *pl,
    size_t len);
void tcp_output(struct net *n, int s);
void tcp_tick(struct net *n);
void tcp_send_rst(struct net *n, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, uint32_t seq, uint32_t ack, bool with_ack);
void tcp_init_conn(struct net *n, int s);
void tcp_drop(struct net *n, int s, int err);
void tcp_set_state(struct net *n, int s, int state);
void tcp_window_update(struct net *n, int s);
int tcp_connect(struct net *n, int s);
void tcp_close(struct net *n, int s);
int tcp_shutdown_write(struct net *n, int s);
void tcp_rtt_sample(struct net_tcb *t, int32_t r);
uint32_t tcp_retransmit_first(struct net *n, int s);
int tcp_send_segment(struct net *n, int s, uint32_t seq, uint32_t len,
    uint8_t flags);

/* socket.c */
void ring_put(uint8_t *ring, uint32_t pos, const uint8_t *src, uint32_t len);
void ring_get(const uint8_t *ring, uint32_t pos, uint8_t *dst, uint32_t len);
long dgram_dequeue(struct net_sock *s, uint8_t *buf, size_t len, bool peek,
    uint32_t *addr, uint16_t *port);
int sock_alloc(struct net *n, int type, int proto);
void sock_free(struct net *n, int s);
uint16_t sock_ephemeral_port(struct net *n, int type);

/* dhcp.c */
bool dhcp_input(struct net *n, const struct ip_info *ii, uint16_t dport,
    const uint8_t *pl, size_t len);
void dhcp_tick(struct net *n);

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PSH	0x08
#define TH_ACK	0x10
#define TH_URG	0x20

#endif
