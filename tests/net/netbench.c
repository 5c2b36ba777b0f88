/*
 * The network rows of `make bench` (bench/net/run.sh): guest instructions
 * (rdtsc under tools/qemu --bench counts them) for
 *   net_tcp_connect_close  connect to the host through QEMU user networking
 *                          and close, per connection (ROUNDS of them)
 *   net_tcp_recv_1mib      receiving from the host, per MiB (MIB MiB)
 *   net_tcp_send_1mib      sending to the host, per MiB
 *   net_loopback_1mib      TCP over 127.0.0.1 between two processes, 1 MiB
 *                          (4 MiB under --bench did not finish in minutes:
 *                          docs/network.md, "Left")
 * The host side is tests/net/peer.py (accept, source, sink). Prints
 * `metric NAME VALUE cycles` lines, or `fail NAME why`.
 * usage: netbench HOST ACCEPT_PORT SOURCE_PORT SINK_PORT [MIB]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS	8	/* NET has 16 sockets, and TIME_WAIT holds one for 60 s */
#define MIB	(1024 * 1024)

static char buf[65536];

static uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static int dial(const char *host, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, host, &a.sin_addr);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

/* Read until end of file; the bytes read. */
static long drain(int s)
{
	long n, total = 0;

	while ((n = read(s, buf, sizeof(buf))) > 0)
		total += n;
	return total;
}

/* Write bytes bytes; 0 or -1. */
static int pour(int s, long bytes)
{
	while (bytes > 0) {
		long n = write(s, buf, bytes < (long)sizeof(buf) ? (size_t)bytes : sizeof(buf));
		if (n <= 0)
			return -1;
		bytes -= n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *host;
	int acc, src, snk, mib = 4, i, s;
	uint64_t t;
	long got;

	if (argc < 5)
		return fprintf(stderr, "usage: netbench HOST ACCEPT SOURCE SINK [MIB]\n"), 2;
	host = argv[1];
	acc = atoi(argv[2]);
	src = atoi(argv[3]);
	snk = atoi(argv[4]);
	if (argc > 5)
		mib = atoi(argv[5]);
	memset(buf, 0x5a, sizeof(buf));

	t = tsc();
	for (i = 0; i < ROUNDS; i++) {
		if ((s = dial(host, acc)) < 0)
			break;
		close(s);
	}
	if (i < ROUNDS)
		printf("fail net_tcp_connect_close connect %d failed\n", i);
	else
		printf("metric net_tcp_connect_close %lu cycles\n", (unsigned long)((tsc() - t) / ROUNDS));

	t = tsc();
	if ((s = dial(host, src)) < 0 || (got = drain(s)) != (long)mib * MIB) {
		printf("fail net_tcp_recv_1mib short transfer\n");
	} else {
		printf("metric net_tcp_recv_1mib %lu cycles (%d MiB from the host)\n",
		    (unsigned long)((tsc() - t) / (uint64_t)mib), mib);
	}
	if (s >= 0)
		close(s);

	t = tsc();
	if ((s = dial(host, snk)) < 0 || pour(s, (long)mib * MIB) < 0 || shutdown(s, SHUT_WR) < 0 ||
	    drain(s) < 0) {
		printf("fail net_tcp_send_1mib transfer failed\n");
	} else {
		printf("metric net_tcp_send_1mib %lu cycles (%d MiB to the host)\n",
		    (unsigned long)((tsc() - t) / (uint64_t)mib), mib);
	}
	if (s >= 0)
		close(s);

	{	/* loopback: a child sends, we receive */
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7788) };
		int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;
		pid_t pid;

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0) {
			printf("fail net_loopback_1mib listen\n");
			return 0;
		}
		t = tsc();
		if ((pid = fork()) == 0) {
			int c = dial("127.0.0.1", 7788);
			_exit(c < 0 || pour(c, MIB) < 0);
		}
		s = accept(l, NULL, NULL);
		got = s < 0 ? -1 : drain(s);
		waitpid(pid, NULL, 0);
		if (got != MIB)
			printf("fail net_loopback_1mib short transfer (%ld)\n", got);
		else
			printf("metric net_loopback_1mib %lu cycles (two processes)\n",
			    (unsigned long)(tsc() - t));
	}
	return 0;
}
