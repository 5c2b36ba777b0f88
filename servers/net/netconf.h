/*
 * lib/net's pool sizes for the NET server, seen by every file of the
 * library and by the server alike (struct net's layout depends on them).
 * 16 sockets of 64 KiB each way keep struct net near 2.5 MB of BSS.
 */
#ifndef SERVERS_NET_NETCONF_H
#define SERVERS_NET_NETCONF_H
#define NET_SOCKETS	16
#define NET_SOCK_BUF	65536
#endif
