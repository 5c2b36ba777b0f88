/*
 * A program that speaks only the Linux system call ABI (raw `syscall`
 * instructions), as a musl program would: UDP to QEMU's DNS forwarder
 * 10.0.2.3:53 (a query for example.com; any answer with our id counts)
 * and ICMP echo to the gateway 10.0.2.2 through a ping socket. By IP: no
 * name resolution of its own. It prints one `pass NAME` or `FAIL NAME`
 * line per step (tests/net/net.cases) and exits with the failed steps'
 * bits. Run from the shell: its socket calls reach NET through VFS.
 */
#include <stdint.h>
#include <stdio.h>

#define F_UDP_SOCKET	0x01
#define F_DNS_SEND	0x02
#define F_DNS_NOANSWER	0x04	/* timed out: the host may have no resolver */
#define F_DNS_BAD	0x08
#define F_PING_SOCKET	0x10
#define F_PING_SEND	0x20
#define F_PING_REPLY	0x40
#define F_SOCKNAME	0x80

static long lsys(long nr, long a, long b, long c, long d, long e, long f)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c),
	    "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
	return r;
}

struct sin {
	uint16_t family, port;
	uint8_t addr[4];
	uint8_t zero[8];
};

static uint8_t buf[1500];

int main(void)
{
	static const uint8_t q[] = {
		0x42, 0x17, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
		0, 1, 0, 1 };
	struct sin dns = { 2, 0x3500, { 10, 0, 2, 3 }, { 0 } }, gw = { 2, 0, { 10, 0, 2, 2 }, { 0 } };
	struct sin from, me;
	uint32_t fl = sizeof(from);
	uint64_t tv[2] = { 5, 0 };
	int fail = 0, i;
	long fd, n;

	fd = lsys(41, 2, 2, 0, 0, 0, 0);		/* socket(AF_INET, SOCK_DGRAM, 0) */
	if (fd < 0) {
		fail |= F_UDP_SOCKET;
	} else {
		lsys(54, fd, 1, 20, (long)tv, sizeof(tv), 0);	/* SO_RCVTIMEO 5 s */
		if (lsys(44, fd, (long)q, sizeof(q), 0, (long)&dns, sizeof(dns)) != sizeof(q))
			fail |= F_DNS_SEND;
		fl = sizeof(me);
		if (lsys(51, fd, (long)&me, (long)&fl, 0, 0, 0) != 0 || me.port == 0 ||
		    me.family != 2 || fl != sizeof(me))	/* unconnected: 0.0.0.0, as Linux */
			fail |= F_SOCKNAME;
		fl = sizeof(from);
		n = lsys(45, fd, (long)buf, sizeof(buf), 0, (long)&from, (long)&fl);
		if (n == -11)
			fail |= F_DNS_NOANSWER;
		else if (n < 12 || buf[0] != 0x42 || buf[1] != 0x17 || !(buf[2] & 0x80) ||
		    from.port != 0x3500 || from.addr[3] != 3 || fl != sizeof(from))
			fail |= F_DNS_BAD;
	}

	fd = lsys(41, 2, 2, 1, 0, 0, 0);		/* socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP) */
	if (fd < 0) {
		fail |= F_PING_SOCKET;
	} else {
		lsys(54, fd, 1, 20, (long)tv, sizeof(tv), 0);
		buf[0] = 8;	/* echo request; the stack sets id and checksum */
		buf[1] = 0;
		buf[2] = buf[3] = buf[4] = buf[5] = 0;
		buf[6] = 0;
		buf[7] = 1;
		for (i = 8; i < 64; i++)
			buf[i] = (uint8_t)i;
		if (lsys(44, fd, (long)buf, 64, 0, (long)&gw, sizeof(gw)) != 64)
			fail |= F_PING_SEND;
		for (i = 0; i < 64; i++)
			buf[i] = 0;
		n = lsys(45, fd, (long)buf, sizeof(buf), 0, 0, 0);
		if (n != 64 || buf[0] != 0 || buf[7] != 1 || buf[63] != 63)
			fail |= F_PING_REPLY;
	}
	{
		static const char *names[] = { "udp_socket", "dns_send", "dns_answer", "dns_reply_valid",
			"ping_socket", "ping_send", "ping_reply", "udp_getsockname" };
		for (i = 0; i < 8; i++)
			printf("%s netcli_%s\n", (i == 2 || i == 3) && (fail & 4) ?
			    "skip (no answer in 5 s: no resolver on the host?)" :
			    (fail & (1 << i)) ? "FAIL" : "pass", names[i]);
		printf("netcli: %d failed\n", __builtin_popcount(fail & ~F_DNS_NOANSWER));
	}
	return fail & ~F_DNS_NOANSWER;
}
