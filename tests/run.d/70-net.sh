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
for p in $sink_pid $send_pid $fetch_pid; do
	kill $p 2>/dev/null
	wait $p 2>/dev/null
done

# ---- Transparent driver recovery ----
# The real system plus rs_netkiller (tests/system/rs_netkiller), which has
# RS restart e1000 every 1500 driver messages, 4 times, while a
# NET_REC_KIB KiB file goes host -> guest (wget) and back (nc to a host
# sink) over one TCP connection each (tests/net/recovery.cases). NET finds
# each new driver and TCP retransmits what was lost: the same MD5 on both
# ends, the 4 restarts and NET's 4 re-attachments in the log.
echo "== net: driver recovery"
REC=${NET_REC_KIB:-4096}
head -c $((REC * 1024)) /dev/urandom > $N/www/f.bin
MD5=$(md5sum < $N/www/f.bin | cut -d' ' -f1)
set -- $(python3 tests/net/peer.py ports 1)
SINK=$1
sed -e "s/@HTTP@/$HTTP/g" -e "s/@SINK@/$SINK/g" -e "s/@MD5@/$MD5/g" tests/net/recovery.cases > $N/netrec.cases
TEST_GUARD=$GUARD python3 tests/net/peer.py sink $SINK $N/rsink.bin $((REC * 1024)) > $N/rsink.log 2>&1 &
sink_pid=$!
# net_session NAME KILLER SED [QEMU ARGS]: the real system plus
# tests/system/svc/KILLER.svc (before the user processes; - for none), its
# list of services edited by the sed expression SED, runs $N/NAME.cases;
# the log is $N/NAME.txt.
net_session() {
	name=$1 killer=$2 edit=$3
	shift 3
	grep -v '^#' etc/boot.image | sed "s|^etc/user.svc\$|tests/system/svc/$killer.svc\\n&|" |
		grep -v '^tests/system/svc/-.svc$' | sed "$edit" > $N/$name.boot
	fresh_disk $name
	if ! $B/tools/mkimage -o $N/$name.img -b $B $(cat $N/$name.boot) > $N/$name.mkimage.log 2>&1; then
		echo "not ok $name: mkimage (see $N/$name.mkimage.log)" | tee -a $out
		return 1
	fi
	start=$(date +%s)
	TEST_GUARD=$GUARD tools/serial-session $N/$name.cases $B/tests/$name.log -- --disk $DISKS/$name.raw \
		--initrd $N/$name.img "$@" 2>&1 |
		sed "s/^ok /ok $name: /; s/^not ok /not ok $name: /" | tee -a $out
	echo "metric net_${name}_session_seconds $(( $(date +%s) - start )) s"
	e2fsck_check $name
	tr -d '\r' < $B/tests/$name.log > $N/$name.txt
}
if net_session netrec rs_netkiller ''; then
	if [ "$(md5sum < $N/rsink.bin 2>/dev/null | cut -d' ' -f1)" = "$MD5" ]; then
		echo "ok netrec: nc_to_host_md5_on_host" | tee -a $out
	else
		echo "not ok netrec: nc_to_host_md5_on_host: $N/rsink.bin differs" | tee -a $out
	fi
	for k in 1 2 3 4; do
		if grep -Eq "^rs: e1000 restarted as endpoint [0-9]+ \(restart $k\)" $N/netrec.txt &&
		    grep -Eq "^net: e1000 restarted, attached to endpoint [0-9]+ \(attach $((k + 1))" $N/netrec.txt; then
			echo "ok netrec: driver_restart_${k}_reattached" | tee -a $out
		else
			echo "not ok netrec: driver_restart_${k}_reattached (see $B/tests/netrec.log)" | tee -a $out
		fi
	done
	sed -n 's/^rs: e1000 restarted as endpoint [0-9]* (restart \([0-9]*\)) after \([0-9]*\) ticks.*/metric net_e1000_recovery_\1 \2 ticks/p' $N/netrec.txt
fi

# ---- When NET itself dies ----
# rs_netsrvkiller has RS restart NET in the middle of a wget
# (tests/net/netdeath.cases): that connection fails with an error (its
# socket died with NET: ECONNRESET from VFS), the next wget through the new
# NET gets every byte. The restart's cost goes into the metrics.
echo "== net: NET restarted"
sed -e "s/@HTTP@/$HTTP/g" -e "s/@MD5@/$MD5/g" tests/net/netdeath.cases > $N/netdeath.cases
if net_session netdeath rs_netsrvkiller ''; then
	if grep -Eq "^rs: net restarted as endpoint [0-9]+ \(restart 1\)" $N/netdeath.txt; then
		echo "ok netdeath: net_restarted_by_rs" | tee -a $out
	else
		echo "not ok netdeath: net_restarted_by_rs (see $B/tests/netdeath.log)" | tee -a $out
	fi
	sed -n 's/^rs: net restarted as endpoint [0-9]* (restart 1) after \([0-9]*\) ticks, \([0-9]*\) cycles/metric net_server_recovery \1 ticks \2 cycles/p' $N/netdeath.txt
fi
kill $sink_pid 2>/dev/null
wait $sink_pid 2>/dev/null

# ---- Hostile input ----
# tests/net/inject.py (seed NET_INJECT_SEED, NET_INJECT_FRAMES frames)
# through tools/qemu --inject while busybox httpd listens; then the checks
# of tests/net/hostile.cases. If NET or the driver died, RS restarted it and
# the checks still pass; how many restarts there were goes into a metric.
echo "== net: hostile input"
SEED=${NET_INJECT_SEED:-$(date +%s)}
set -- $(python3 tests/net/peer.py ports 3)
INJ=$1 INJBACK=$2 WEB=$3
rm -f $N/www/report $N/www/done
sed -e "s/@HTTP@/$HTTP/g" -e "s/@MD5@/$MD5/g" tests/net/hostile.cases > $N/hostile.cases
python3 tests/net/inject.py $INJ $INJBACK $SEED ${NET_INJECT_FRAMES:-4000} $N/http.log 'GET /ready?inject' \
	$N/www/done > $N/inject.log 2>&1 &
inject_pid=$!
TEST_GUARD=$GUARD python3 tests/net/peer.py fetch http://127.0.0.1:$WEB/g.bin $N/www/report > $N/fetch2.log 2>&1 &
fetch_pid=$!
if net_session hostile - '' --inject $INJ:$INJBACK --hostfwd tcp:127.0.0.1:$WEB-:80; then
	if grep -q 'kernel panic' $N/hostile.txt; then
		echo "not ok hostile: no_kernel_panic (seed $SEED)" | tee -a $out
	else
		echo "ok hostile: no_kernel_panic" | tee -a $out
	fi
	if grep -Eq ' [1-9][0-9]* segments from the guest' $N/inject.log; then
		echo "ok hostile: barrage_reached_net" | tee -a $out
	else
		echo "not ok hostile: barrage_reached_net: no answer to the flood ($(cat $N/inject.log))" | tee -a $out
	fi
	echo "metric net_hostile_restarts $(grep -Ec '^rs: (net|e1000) restarted' $N/hostile.txt) (seed $SEED, $(cat $N/inject.log))"
fi
for p in $inject_pid $fetch_pid; do
	kill $p 2>/dev/null
	wait $p 2>/dev/null
done

# ---- virtio-net ----
# The virtio-net driver (its privilege-probe build tests/system/t_vnetdrv
# under the real manifest etc/virtio-net.svc) in e1000's place, on
# tools/qemu --virtio-net (00:05.0, a user network of its own): netcli,
# wget and nc to a host sink (tests/net/vnet.cases); the probe's lines
# come from the console log.
echo "== net: virtio-net"
set -- $(python3 tests/net/peer.py ports 1)
SINK=$1
sed -e "s/@HTTP@/$HTTP/g" -e "s/@SINK@/$SINK/g" -e "s/@MD5@/$MD5/g" tests/net/vnet.cases > $N/vnet.cases
TEST_GUARD=$GUARD python3 tests/net/peer.py sink $SINK $N/vsink.bin $(wc -c < $N/www/f.bin) > $N/vsink.log 2>&1 &
sink_pid=$!
if net_session vnet - "s|^etc/e1000.svc\$|$B/tests/vnet_probe.svc|" --virtio-net; then
	grep -E '^(not )?ok vnet_' $N/vnet.txt | sed "s/^ok /ok vnet: /; s/^not ok /not ok vnet: /" | tee -a $out
	grep -q '^ok vnet_own_ports_work' $N/vnet.txt ||
		echo "not ok vnet: privilege_probe_ran (see $B/tests/vnet.log)" | tee -a $out
	if grep -q '^net: virtio-net 52:54:00:12:34:57 link 1000 Mb/s' $N/vnet.txt; then
		echo "ok vnet: net_attached_to_virtio_net" | tee -a $out
	else
		echo "not ok vnet: net_attached_to_virtio_net (see $B/tests/vnet.log)" | tee -a $out
	fi
	if [ "$(md5sum < $N/vsink.bin 2>/dev/null | cut -d' ' -f1)" = "$MD5" ]; then
		echo "ok vnet: nc_to_host_md5_on_host" | tee -a $out
	else
		echo "not ok vnet: nc_to_host_md5_on_host: $N/vsink.bin differs" | tee -a $out
	fi
fi
kill $sink_pid 2>/dev/null
wait $sink_pid 2>/dev/null
kill $http_pid 2>/dev/null
wait $http_pid 2>/dev/null
# ---- end of the network block ----
