#!/bin/sh
# tap.sh NET_TAP_BINARY - the library against the real Linux stack, over a
# TAP device in a private network namespace: Linux pings it and talks TCP
# to its echo server. Skips (with a reason) where namespaces or TAP are not
# available, e.g. without root.
bin=$1
ns=bhnet$$
tap=bhtap$$
skip() {
	echo "ok tap_linux_ping_answered # skip $1"
	echo "ok tap_linux_nc_tcp_echo # skip $1"
	exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root for ip netns and TAP"
command -v ip >/dev/null 2>&1 || skip "no ip command"
command -v busybox >/dev/null 2>&1 || skip "no busybox (ping, nc)"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
ip netns add $ns 2>/dev/null || skip "cannot create a network namespace"
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	ip netns del $ns 2>/dev/null
}
trap cleanup EXIT
if ! ip netns exec $ns ip tuntap add dev $tap mode tap 2>/dev/null; then
	ip netns del $ns
	trap - EXIT
	skip "cannot create a TAP device"
fi
ip netns exec $ns ip link set lo up
ip netns exec $ns ip addr add 10.99.0.1/24 dev $tap
ip netns exec $ns ip link set $tap up
ip netns exec $ns "$bin" $tap 30 &
pid=$!
sleep 0.5
fail=0
if ip netns exec $ns busybox ping -c 3 -W 2 10.99.0.2 >/dev/null 2>&1; then
	echo "ok tap_linux_ping_answered"
else
	echo "not ok tap_linux_ping_answered"
	fail=1
fi
want="hello from linux $$"
got=$( (echo "$want"; sleep 1) | ip netns exec $ns busybox nc -w 3 10.99.0.2 7 2>/dev/null)
if [ "$got" = "$want" ]; then
	echo "ok tap_linux_nc_tcp_echo"
else
	echo "not ok tap_linux_nc_tcp_echo"
	echo "  got: '$got'" >&2
	fail=1
fi
exit $fail
