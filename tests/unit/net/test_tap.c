/*
 * test_tap.c - the stack on a real Linux TAP device, as a peer of the
 * Linux stack: answers ping and runs a TCP echo server on port 7 at
 * 10.99.0.2 until killed or for argv[2] seconds. tap.sh sets the scene
 * in a network namespace and plays the Linux side.
 */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

static struct net n;
static int tapfd = -1;

static void
tap_output(void *arg, const uint8_t *f, size_t len)
{
	(void)arg;
	if (write(tapfd, f, len) != (ssize_t)len)
		perror("tap write");
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
main(int argc, char **argv)
{
	static const uint8_t mac[6] = { 0x02, 0x42, 0, 0, 0, 0x02 };
	static uint8_t frame[2048], data[65536];
	struct net_sin sin;
	struct ifreq ifr;
	uint64_t end;
	int ifx, lsock, conns[8], nconns = 0, i;

	if (argc < 3) {
		fprintf(stderr, "usage: net_tap TAPNAME SECONDS\n");
		return 2;
	}
	tapfd = open("/dev/net/tun", O_RDWR);
	if (tapfd < 0) {
		perror("/dev/net/tun");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", argv[1]);
	if (ioctl(tapfd, TUNSETIFF, &ifr) < 0) {
		perror("TUNSETIFF");
		return 1;
	}
	net_init(&n, (uint64_t)getpid(), now_ms());
	ifx = net_if_add(&n, mac, 1500, tap_output, NULL);
	if (ifx < 0 || net_if_set_addr(&n, ifx, 0x0a630002, 0xffffff00u,
	    0) < 0)
		return 1;
	lsock = net_socket(&n, NET_AF_INET, NET_SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.family = NET_AF_INET;
	sin.port = net_htons(7);
	if (lsock < 0 || net_bind(&n, lsock, &sin) < 0 ||
	    net_listen(&n, lsock, 4) < 0)
		return 1;
	end = now_ms() + (uint64_t)atoi(argv[2]) * 1000;
	while (now_ms() < end) {
		struct pollfd p = { .fd = tapfd, .events = POLLIN };
		ssize_t r;
		int c;

		if (poll(&p, 1, 10) > 0) {
			r = read(tapfd, frame, sizeof(frame));
			if (r > 0) {
				net_tick(&n, now_ms());
				net_input(&n, ifx, frame, (size_t)r);
			}
		}
		net_tick(&n, now_ms());
		while (nconns < 8 && (c = net_accept(&n, lsock, NULL)) >= 0)
			conns[nconns++] = c;
		/* Echo, closing our side once the client closed its. */
		for (i = 0; i < nconns; i++) {
			long got = net_recv(&n, conns[i], data, sizeof(data), 0);

			if (got > 0)
				(void)net_send(&n, conns[i], data, (size_t)got, 0);
			else if (got == 0 || (got < 0 && got != -NET_EAGAIN)) {
				net_close(&n, conns[i]);
				conns[i--] = conns[--nconns];
			}
		}
	}
	return 0;
}
