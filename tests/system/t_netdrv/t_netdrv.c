/*
 * The e1000 driver through contracts/netdev.contract, with this test in
 * NET's place (its service is named `net`, the peer the driver's real
 * manifest notifies): Init gives QEMU's MAC address and the link; nothing
 * received yet is -EAGAIN; a bad grant is -EPERM; an ARP request for the
 * gateway 10.0.2.2 sent through the driver brings QEMU user networking's
 * reply back (interrupt -> NOTIFY -> Recv), and so does an ICMP echo.
 */
#include "../test.h"
#include <netdev.h>

static struct contract_monitor mon;
static endpoint_t drv;
static struct grant grants[2];
static uint8_t tx[1514], rx[1536];

static const uint8_t our_ip[4] = { 10, 0, 2, 15 }, gw_ip[4] = { 10, 0, 2, 2 };
static uint8_t our_mac[6];

static long ask(int e, const struct netdev_msg *r)
{
	if (e < 0)
		return e;
	if (r->type == NETDEV_FAIL)
		return r->u.Fail.error;
	if (r->type == NETDEV_DONE)
		return r->u.Done.status;
	return 0;
}

static long send_frame(size_t len)
{
	struct netdev_msg r;

	return ask(netdev_call_Send(&mon, drv, 0, (uint32_t)len, &r), &r);
}

/* Wait up to `ticks` for a frame `match` accepts: its length or -1. */
static long wait_frame(int (*match)(long len), uint64_t ticks)
{
	struct netdev_msg r;
	message_t m;
	long n;

	sys_alarm(ticks);
	for (;;) {
		while ((n = ask(netdev_call_Recv(&mon, drv, 1, sizeof(rx), &r), &r)) > 0)
			if (match(n)) {
				sys_alarm(0);
				return n;
			}
		if (n != -EAGAIN)
			return n;
		if (ipc_receive(ANY, &m) < 0)
			return -1;
		if (m.type == MSG_NOTIFY && m.source == CLOCK)
			return -1;
	}
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return ~s & 0xFFFF;
}

static uint8_t gw_mac[6];

static int is_arp_reply(long n)
{
	return n >= 42 && rx[12] == 0x08 && rx[13] == 0x06 && rx[21] == 2 &&
	    !memcmp(rx + 28, gw_ip, 4) && !memcmp(rx + 38, our_ip, 4);
}

static int is_echo_reply(long n)
{
	return n >= 42 && rx[12] == 0x08 && rx[13] == 0x00 && rx[23] == 1 &&
	    !memcmp(rx + 26, gw_ip, 4) && rx[34] == 0 && rx[38] == 0x12 && rx[39] == 0x34;
}

int main(void)
{
	static const uint8_t qemu_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct netdev_msg r;
	long v;
	int i;

	contract_log_hook = 0;
	netdev_monitor_init(&mon, CONTRACT_CLIENT);
	drv = lookup_endpoint("e1000");
	check("netdrv_driver_running", drv > 0, drv);
	grants[0] = (struct grant){ GRANT_VALID | GRANT_READ, drv, (uint64_t)tx, sizeof(tx), 0 };
	grants[1] = (struct grant){ GRANT_VALID | GRANT_WRITE, drv, (uint64_t)rx, sizeof(rx), 0 };
	CHECK_EQ("netdrv_setgrant", sys_setgrant(grants, 2), 0);

	v = netdev_call_Init(&mon, drv, &r);
	check("netdrv_init_info", v == 0 && r.type == NETDEV_INFO, v < 0 ? v : r.type);
	memcpy(our_mac, r.u.Info.mac, 6);
	check("netdrv_mac_from_eeprom", !memcmp(our_mac, qemu_mac, 6), our_mac[5]);
	CHECK_EQ("netdrv_mtu_1500", r.u.Info.mtu, 1500);
	for (i = 0; i < 100 && r.u.Info.link == 0; i++) {
		sys_alarm(2);
		{ message_t m; ipc_receive(CLOCK, &m); }
		if (netdev_call_Status(&mon, drv, &r) < 0)
			break;
	}
	check("netdrv_link_up", r.type == NETDEV_INFO && r.u.Info.link > 0, r.u.Info.link);

	CHECK_EQ("netdrv_recv_nothing_eagain", ask(netdev_call_Recv(&mon, drv, 1, sizeof(rx), &r), &r), -EAGAIN);
	CHECK_EQ("netdrv_send_bad_grant_eperm", ask(netdev_call_Send(&mon, drv, 7, 60, &r), &r), -EPERM);
	check("netdrv_oversized_send_refused_by_contract",
	    netdev_call_Send(&mon, drv, 0, 1515, &r) < 0, 0);

	/* ARP: who has 10.0.2.2? tell 10.0.2.15 */
	memset(tx, 0xFF, 6);
	memcpy(tx + 6, our_mac, 6);
	put16(tx + 12, 0x0806);
	put16(tx + 14, 1);		/* Ethernet */
	put16(tx + 16, 0x0800);		/* IPv4 */
	tx[18] = 6;
	tx[19] = 4;
	put16(tx + 20, 1);		/* request */
	memcpy(tx + 22, our_mac, 6);
	memcpy(tx + 28, our_ip, 4);
	memset(tx + 32, 0, 6);
	memcpy(tx + 38, gw_ip, 4);
	CHECK_EQ("netdrv_send_arp_request", send_frame(42), 42);
	v = wait_frame(is_arp_reply, 300);
	check("netdrv_arp_reply_from_gateway", v >= 42, v);
	memcpy(gw_mac, rx + 22, 6);

	/* ICMP echo request to the gateway, id 0x1234 seq 1, 32 bytes of data. */
	memcpy(tx, gw_mac, 6);
	memcpy(tx + 6, our_mac, 6);
	put16(tx + 12, 0x0800);
	tx[14] = 0x45;
	tx[15] = 0;
	put16(tx + 16, 20 + 8 + 32);
	put16(tx + 18, 1);
	put16(tx + 20, 0);
	tx[22] = 64;
	tx[23] = 1;
	put16(tx + 24, 0);
	memcpy(tx + 26, our_ip, 4);
	memcpy(tx + 30, gw_ip, 4);
	put16(tx + 24, csum(tx + 14, 20));
	tx[34] = 8;
	tx[35] = 0;
	put16(tx + 36, 0);
	put16(tx + 38, 0x1234);
	put16(tx + 40, 1);
	for (i = 0; i < 32; i++)
		tx[42 + i] = (uint8_t)i;
	put16(tx + 36, csum(tx + 34, 8 + 32));
	CHECK_EQ("netdrv_send_icmp_echo", send_frame(74), 74);
	v = wait_frame(is_echo_reply, 300);
	check("netdrv_icmp_echo_reply_from_gateway", v >= 74, v);

	/* A burst larger than the transmit ring: every frame is taken or
	 * -EAGAIN, and the driver keeps working afterwards. */
	for (i = 0, v = 0; i < 200; i++) {
		long s = send_frame(74);
		if (s != 74 && s != -EAGAIN)
			v = s;
	}
	CHECK_EQ("netdrv_send_burst_no_errors", v, 0);
	put16(tx + 40, 2);
	put16(tx + 36, 0);
	put16(tx + 36, csum(tx + 34, 8 + 32));
	for (i = 0; i < 20 && (v = send_frame(74)) == -EAGAIN; i++) {
		sys_alarm(1);
		{ message_t m; ipc_receive(CLOCK, &m); }
	}
	CHECK_EQ("netdrv_send_after_burst", v, 74);
	v = wait_frame(is_echo_reply, 300);
	check("netdrv_echo_reply_after_burst", v >= 74, v);
	tests_finish();
}
