#!/bin/sh
# `make net-100m`: NET_BIG_MIB (100) MiB each way between the host and
# Bulkhead through QEMU user networking (tests/net/big.cases), MD5s
# compared, and the time it took. Too slow for `make test` under TCG.
cd "$(dirname "$0")/../.." || exit 1
B=build
N=$B/tests/net-big
MIB=${NET_BIG_MIB:-100}
rm -rf $N && mkdir -p $N/www
head -c $((MIB * 1048576)) /dev/urandom > $N/www/f.bin
MD5=$(md5sum < $N/www/f.bin | cut -d' ' -f1)
set -- $(python3 tests/net/peer.py ports 2)
HTTP=$1 SINK=$2
sed -e "s/@HTTP@/$HTTP/g" -e "s/@SINK@/$SINK/g" -e "s/@MD5@/$MD5/g" tests/net/big.cases > $N/big.cases
(cd $N/www && exec python3 -m http.server $HTTP --bind 127.0.0.1) > $N/http.log 2>&1 &
http_pid=$!
TEST_GUARD=3600 python3 tests/net/peer.py sink $SINK $N/sink.bin $((MIB * 1048576)) > $N/sink.log 2>&1 &
sink_pid=$!
cp $B/rootfs.img $N/disk.raw
start=$(date +%s)
TEST_GUARD=3600 tools/serial-session $N/big.cases $N/big.log -- --disk $N/disk.raw | tee $N/result
echo "metric net_big_seconds $(( $(date +%s) - start )) s ($MIB MiB in, $MIB MiB through the guest and out)"
status=0
if [ "$(md5sum < $N/sink.bin | cut -d' ' -f1)" = "$MD5" ]; then
	echo "ok big_sink_md5_on_host"
else
	echo "not ok big_sink_md5_on_host"
	status=1
fi
kill $http_pid $sink_pid 2>/dev/null
rm -f $N/disk.raw $N/www/f.bin $N/sink.bin
grep -q '^not ok' $N/result && status=1
exit $status
