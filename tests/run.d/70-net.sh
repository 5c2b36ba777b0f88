# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# ---- The network with real peers (docs/network.md) ----
# The real system on QEMU user networking, driven over its console
# (tests/net/net.cases), with host peers (tests/net/peer.py): busybox wget
# from a web server on the host (python3 -m http.server on 127.0.0.1,
# 10.0.2.2 to the guest), nc to a host sink, nc from a host sender through
# a hostfwd port, a host client downloading from busybox httpd (hostfwd to
# port 80). Each transfer is a NET_TEST_KIB KiB random file, compared by MD5.
echo "== net: peers"
N=$B/tests/net
rm -rf $N && mkdir -p $N/www
KIB=${NET_TEST_KIB:-1024}
head -c $((KIB * 1024)) /dev/urandom > $N/www/f.bin
MD5=$(md5sum < $N/www/f.bin | cut -d' ' -f1)
echo ready > $N/www/ready
set -- $(python3 tests/net/peer.py ports 4)
HTTP=$1 SINK=$2 NCIN=$3 WEB=$4
sed -e "s/@HTTP@/$HTTP/g" -e "s/@SINK@/$SINK/g" -e "s/@MD5@/$MD5/g" -e "s/@SIZE@/$((KIB * 1024))/g" \
	tests/net/net.cases > $N/net.cases
(cd $N/www && exec python3 -m http.server $HTTP --bind 127.0.0.1) > $N/http.log 2>&1 &
http_pid=$!
TEST_GUARD=$GUARD python3 tests/net/peer.py sink $SINK $N/sink.bin $((KIB * 1024)) > $N/sink.log 2>&1 &
sink_pid=$!
TEST_GUARD=$GUARD python3 tests/net/peer.py send $NCIN $N/www/f.bin $N/http.log 'GET /ready?nc' > $N/send.log 2>&1 &
send_pid=$!
TEST_GUARD=$GUARD python3 tests/net/peer.py fetch http://127.0.0.1:$WEB/g.bin $N/www/report > $N/fetch.log 2>&1 &
fetch_pid=$!
fresh_disk net
start=$(date +%s)
TEST_GUARD=$GUARD tools/serial-session $N/net.cases $B/tests/net.log -- --disk $DISKS/net.raw \
	--hostfwd tcp:127.0.0.1:$NCIN-:1234 --hostfwd tcp:127.0.0.1:$WEB-:80 2>&1 |
	sed "s/^ok /ok net: /; s/^not ok /not ok net: /" | tee -a $out
echo "metric net_peer_session_seconds $(( $(date +%s) - start )) s ($KIB KiB each transfer)"
e2fsck_check net
if [ "$(md5sum < $N/sink.bin 2>/dev/null | cut -d' ' -f1)" = "$MD5" ]; then
	echo "ok net: nc_to_host_md5_on_host" | tee -a $out
else
	echo "not ok net: nc_to_host_md5_on_host: $N/sink.bin differs from $N/www/f.bin" | tee -a $out
fi
for p in $http_pid $sink_pid $send_pid $fetch_pid; do
	kill $p 2>/dev/null
	wait $p 2>/dev/null
done
# ---- end of the network block ----
