/*
 * The network server with the real e1000 driver on QEMU user networking:
 * supervisor of tests/system/t_netcli, a Linux-ABI program whose socket
 * calls the gateway sends to NET. It owns the program's exit_group and
 * reads its exit status: one bit per failed step.
 */
#include "../test.h"

#define F_UDP_SOCKET	0x01
#define F_DNS_SEND	0x02
#define F_DNS_NOANSWER	0x04
#define F_DNS_BAD	0x08
#define F_PING_SOCKET	0x10
#define F_PING_SEND	0x20
#define F_PING_REPLY	0x40
#define F_SOCKNAME	0x80

int main(void)
{
	message_t m;
	long st = -1;

	sys_alarm(60 * 100);
	while (st < 0) {
		if (ipc_receive(ANY, &m) < 0)
			break;
		if (m.type == MSG_NOTIFY && m.source == CLOCK)
			break;
		if (m.type == MSG_SYSCALL && m.u.q[0] == 231) {
			st = (long)(m.u.q[1] & 0xFF);
			sys_exit(m.source, (int)st);
		} else if (m.type == MSG_SYSCALL) {
			printf("net test: unexpected system call %lu\n", m.u.q[0]);
			memset(&m.u, 0, sizeof(m.u));
			m.u.q[0] = (uint64_t)-ENOSYS;
			ipc_sendnb(m.source, &m);
		}
	}
	check("net_client_finished", st >= 0, st);
	if (st < 0)
		tests_finish();
	CHECK_EQ("net_udp_socket", st & F_UDP_SOCKET, 0);
	CHECK_EQ("net_udp_sendto_dns_10.0.2.3", st & F_DNS_SEND, 0);
	CHECK_EQ("net_udp_getsockname_has_port", st & F_SOCKNAME, 0);
	if (st & F_DNS_NOANSWER)
		printf("ok net_udp_dns_answer # skip no answer from 10.0.2.3 in 5 s (the host has no resolver?)\n");
	else
		CHECK_EQ("net_udp_dns_answer", st & F_DNS_BAD, 0);
	CHECK_EQ("net_ping_socket", st & F_PING_SOCKET, 0);
	CHECK_EQ("net_ping_sendto_10.0.2.2", st & F_PING_SEND, 0);
	CHECK_EQ("net_ping_echo_reply", st & F_PING_REPLY, 0);
	tests_finish();
}
