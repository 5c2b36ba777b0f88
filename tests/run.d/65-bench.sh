# Sourced by tools/run-tests (see there for B, out, GUARD and want).
# ---- Benchmarks (docs/performance.md): a smoke check only ----
# `make bench` is not part of `make test`; this only checks that the
# native benchmark image still runs to the end and prints every figure
# (bench/native/ipcbench.image, without instruction counting, so the
# values are not looked at beyond being positive numbers).
if want 65-bench; then
	echo "== bench: ipcbench smoke"
	log=$B/tests/bench-ipcbench.log
	if make -s $B/bench/ipcbench.img > $log.make 2>&1; then
		timeout "$GUARD" tools/qemu --kernel $B/kernel.bin --initrd $B/bench/ipcbench.img \
			</dev/null 2>&1 | tr -d '\r' > $log
		for m in ipc_roundtrip ipc_roundtrip_slow send_plus_notify_back notify_roundtrip \
		    notify_latency safecopy_64k irq_latency kcall_getinfo trap_null; do
			if grep -Eq "^metric $m [1-9][0-9]* cycles" $log; then
				echo "ok bench: $m" | tee -a $out
			else
				echo "not ok bench: $m: no figure (see $log)" | tee -a $out
			fi
		done
		if grep '^fail ' $log >/dev/null; then
			echo "not ok bench: no_failures: $(grep '^fail ' $log | head -n 1)" | tee -a $out
		else
			echo "ok bench: no_failures" | tee -a $out
		fi
	else
		echo "not ok bench: make $B/bench/ipcbench.img (see $log.make)" | tee -a $out
	fi
fi
