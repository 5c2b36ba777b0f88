#!/bin/sh
# Every service that `serves` a contract checks what it receives with the
# contract's generated monitor: its program's sources (and the library
# sources they #include, e.g. lib/driver's frameworks) call X_accept or
# X_receive. The image verifier sees only manifests; this keeps a server
# from quietly dropping its monitor. One `ok`/`not ok` line per
# (program, contract). Usage: monitors.sh TOP
cd "$1" || exit 2
fail=0
for svc in etc/*.svc tests/system/svc/*.svc bench/native/svc/*.svc; do
	[ -f "$svc" ] || continue
	prog=$(sed -n 's/^program *\([^ #]*\).*/\1/p' "$svc")
	[ -n "$prog" ] || continue
	dir=$(dirname "$prog")
	[ -d "$dir" ] || continue
	srcs=$(ls "$dir"/*.c "$dir"/*.h 2>/dev/null)
	inc=$(sed -n 's/^#include "\(.*\.c\)".*/\1/p' $srcs | while read -r f; do echo "$dir/$f"; done)
	for c in $(sed -n 's/^serves *//p' "$svc" | sed 's/#.*//; s/:external//g'); do
		if grep -qE "\b${c}_(accept|receive)\(" $srcs $inc 2>/dev/null; then
			echo "ok monitor_$(basename "$svc" .svc)_$c"
		else
			echo "not ok monitor_$(basename "$svc" .svc)_$c: $dir never calls ${c}_accept or ${c}_receive"
			fail=1
		fi
	done
done
exit $fail
