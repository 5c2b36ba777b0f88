# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# ---- Devices (issue 4 items 5-7: drivers/rtc, drivers/memory, drivers/lpt) ----
# The real system (etc/boot.image lists the three drivers) driven over the
# serial console (tests/system/dev_shell.cases), with LPT1 writing into a
# host file.
# Then, on the host: the guest's `date +%s` is within a minute of the
# host's clock, and the printer file holds exactly the bytes catted to
# /dev/lp0 (all 256 byte values, then /etc/passwd from the disk).
if [ -f tests/system/dev_shell.cases ]; then
	echo "== devices"
	D=$B/tests/dev
	mkdir -p $D
	rm -f $D/lp0.out
	fresh_disk dev
	before=$(date +%s)
	TEST_GUARD=$GUARD tools/serial-session tests/system/dev_shell.cases $B/tests/dev-shell.log \
		-- --disk ${DISKS:-$B/tests/disks}/dev.raw --parallel $D/lp0.out 2>&1 |
		sed "s/^ok /ok dev-shell: /; s/^not ok /not ok dev-shell: /" | tee -a $out
	after=$(date +%s)
	guest=$(tr -d '\r' < $B/tests/dev-shell.log | grep -A1 'date +%s' | grep -E '^[0-9]{9,}$' | head -1)
	if [ -n "$guest" ] && [ "$guest" -ge $((before - 60)) ] && [ "$guest" -le $((after + 60)) ]; then
		echo "ok dev-shell: rtc_date_is_host_time" | tee -a $out
	else
		echo "not ok dev-shell: rtc_date_is_host_time: guest '$guest', host $before..$after" | tee -a $out
	fi
	{ i=0; while [ $i -lt 256 ]; do printf "\\$(printf %o $i)"; i=$((i + 1)); done
	  debugfs -R "cat /etc/passwd" ${DISKS:-$B/tests/disks}/dev.raw 2>/dev/null; } > $D/lp0.want
	if [ -s $D/lp0.want ] && cmp -s $D/lp0.want $D/lp0.out; then
		echo "ok dev-shell: lp0_bytes_reach_host_file" | tee -a $out
	else
		echo "not ok dev-shell: lp0_bytes_reach_host_file (cmp $D/lp0.want $D/lp0.out)" | tee -a $out
	fi
fi
# ---- end of devices ----
