#!/bin/sh
# spin.sh <file.contract> <channel depth> <expect>
# Model-checks one contract with spin: safety (assertions, invalid end
# states). <expect> is "clean" for no errors, or a text pan must report.
# Run from tools/contractc, after build/contractc is built.
f=$1
depth=$2
expect=$3
name=$(basename "$f" .contract)
dir=build/spin/$name.$depth
rm -rf "$dir" && mkdir -p "$dir" || exit 2
build/contractc --promela -o "$dir" "$f" || exit 2
model=$(ls "$dir"/*.pml)
(
	cd "$dir" &&
	spin -DCHAN_DEPTH="$depth" -a "$(basename "$model")" >spin.out 2>&1 &&
	cc -w -O1 -DSAFETY -o pan pan.c >cc.out 2>&1 &&
	./pan -n -w20 >pan.out 2>&1
) || [ -f "$dir/pan.out" ] || { echo "# spin failed on $f:"; \
    cat "$dir"/*.out | sed 's/^/# /'; exit 2; }
errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$dir/pan.out")
if [ "$expect" = clean ]; then
	[ "$errors" = 0 ] && exit 0
	echo "# spin found errors in $f (channel depth $depth):"
else
	[ -n "$errors" ] && [ "$errors" != 0 ] &&
	    grep -q "$expect" "$dir/pan.out" && exit 0
	echo "# spin did not report '$expect' for $f (channel depth $depth):"
fi
sed 's/^/# /' "$dir/pan.out"
exit 1
