#!/bin/sh
# Image-verifier cases: each cases/NAME.case holds manifests (after
# `--- FILE` markers) and what `mkimage --verify` must say about them:
#   # image: FILE...          the image list, in start order (default: all)
#   # expect: ok              accepted (exit 0, silent)
#   # expect: FILE:LINE: TEXT refused (exit 1) with this error; one line each
#   # report: TEXT            the Markdown report contains TEXT
# A case with files under contracts/ uses those as its contract directory.
# Usage: run-cases.sh MKIMAGE CONTRACTDIR WORKDIR
mk=$1 contracts=$2 work=$3
fail=0
for c in "$(dirname "$0")"/cases/*.case; do
	name=$(basename "$c" .case)
	d=$work/$name
	rm -rf "$d" && mkdir -p "$d" || exit 2
	# split the case into its files (lines before the first marker are the header)
	awk -v d="$d" '/^--- /{ if (f) close(f); f = d "/" $2; dir = f; sub(/\/[^\/]*$/, "", dir);
		system("mkdir -p \"" dir "\""); printf "" > f; next } f { print > f }' "$c" || exit 2
	files=$(sed -n 's/^# image: //p' "$c")
	[ -n "$files" ] || files=$(sed -n 's/^--- \([^ ]*\.svc\)$/\1/p' "$c")
	cdir=$contracts
	[ -d "$d/contracts" ] && cdir=contracts
	(cd "$d" && "$mk" --verify -c "$cdir" -m report.md -g report.dot $files) \
		> "$d/out" 2>&1
	rc=$?
	ok=1
	if grep -q '^# expect: ok' "$c"; then
		[ $rc = 0 ] && [ ! -s "$d/out" ] || ok=0
	else
		[ $rc = 1 ] || ok=0
		[ -f "$d/report.md" ] && ok=0	# no report for a refused image
		want=$(grep -c '^# expect: ' "$c")
		got=$(grep -c '^mkimage: .*:[0-9]*: ' "$d/out")
		[ "$want" = "$got" ] || ok=0
		sed -n 's/^# expect: //p' "$c" > "$d/want"
		while IFS= read -r line; do
			grep -qF "mkimage: $line" "$d/out" || { ok=0; echo "# $name: missing: $line"; }
		done < "$d/want"
	fi
	sed -n 's/^# report: //p' "$c" > "$d/rwant"
	while IFS= read -r line; do
		grep -qF -- "$line" "$d/report.md" 2>/dev/null || { ok=0; echo "# $name: report lacks: $line"; }
	done < "$d/rwant"
	if [ $ok = 1 ]; then
		echo "ok verify_$name"
	else
		echo "not ok verify_$name"
		echo "#   exit status $rc"; sed 's/^/#   | /' "$d/out"
		fail=1
	fi
done
exit $fail
