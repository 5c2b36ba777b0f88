#!/bin/sh
# Host tests for contractc and lib/contract; one "ok"/"not ok" line per test.
# Run from tools/contractc (make test does). Exit status 0 only if all pass.
B=build
ROOT=../..
CC=${CC:-cc}
GENFLAGS="-std=c11 -pedantic -Wall -Wextra -Werror -O2"
INC="-I$B/gen -I$ROOT/lib/contract -I$ROOT/include"
fail=0

result() {	# result <name> <status>
	if [ "$2" -eq 0 ]; then
		echo "ok $1"
	else
		echo "not ok $1"
		fail=1
	fi
}

mkdir -p $B/gen $B/obj $B/bad || exit 1

# Every malformed contract is rejected with its file, line and reason.
for f in tests/bad/*.contract; do
	name=$(basename "$f" .contract)
	expect=$(sed -n '1s/^# expect: //p' "$f")
	line=${expect%%:*}
	reason=${expect#*: }
	$B/contractc --check "$f" 2>$B/bad/$name.err
	st=$?
	ok=1
	if [ $st -eq 1 ] && grep -qF "$f:$line: error: " $B/bad/$name.err &&
	    grep -qF "$reason" $B/bad/$name.err; then
		ok=0
	else
		echo "# $f: status $st, expected line $line: $reason; got:"
		sed 's/^/# /' $B/bad/$name.err
	fi
	result "parse_rejects_$name" $ok
done

$B/contractc --check tests/fixtures/dup_id_a.contract \
    tests/fixtures/dup_id_b.contract 2>$B/bad/dup_id.err
[ $? -eq 1 ] && grep -qF "dup_id_b.contract:2: error: contract id 0x7e02 of dupb is also the id of dupa" $B/bad/dup_id.err
result parse_rejects_duplicate_contract_ids $?

# Every contract of the system, and the fixtures, compile to warning-free C.
all_ok=0
$B/contractc --check $ROOT/contracts/*.contract || all_ok=1
result contracts_check_together $all_ok
for f in $ROOT/contracts/*.contract tests/fixtures/arith.contract \
    tests/fixtures/deadlock.contract; do
	name=$(basename "$f" .contract)
	$B/contractc -o $B/gen "$f" &&
	    $CC $GENFLAGS -ffreestanding -mno-red-zone -mno-sse -fno-pic $INC \
	    -c -o $B/obj/$name.o $B/gen/$name.c
	result "generated_${name}_compiles_warning_free" $?
done

# The runtime and the generated code are freestanding: built as servers are
# (no red zone, no SSE), they need nothing but the IPC wrappers: no libc,
# no libgcc (128-bit division would call __divti3).
FREE="-ffreestanding -nostdlib -fno-builtin -mno-red-zone -mno-sse -fno-pic"
st=0
for f in $ROOT/lib/contract/*.c; do
	$CC $GENFLAGS $FREE $INC -c -o $B/obj/rt_$(basename $f .c).o $f || st=1
done
if [ $st -eq 0 ]; then
	ld -r -o $B/obj/all.o $B/obj/rt_*.o $B/obj/c1.o $B/obj/arith.o \
	    $B/obj/blockdev.o $B/obj/ds.o || st=1
	undef=$(nm -u $B/obj/all.o | awk '{print $2}' |
	    grep -v '^ipc_\(send\|receive\|sendrec\|sendnb\)$')
	[ -z "$undef" ] || { echo "# undefined:" $undef; st=1; }
fi
result runtime_and_generated_code_are_freestanding $st

# The generated C1 and arith code, linked with the monitor and a fake IPC.
# With AddressSanitizer and UBSan: a stray access or overflow fails the test.
build_test() {	# build_test <test> <contract>...
	t=$1
	shift
	gen=""
	for c in "$@"; do
		gen="$gen $B/gen/$c.c"
	done
	$CC $GENFLAGS -O1 -g -fsanitize=address,undefined \
	    -fno-sanitize-recover=all $INC -Itests -o $B/$t tests/$t.c \
	    tests/fake_ipc.c $gen $ROOT/lib/contract/*.c
}
if build_test test_c1 c1; then
	$B/test_c1 || fail=1
else
	result c1_test_builds 1
fi
if build_test test_arith arith; then
	$B/test_arith || fail=1
else
	result arith_test_builds 1
fi
if build_test test_blockdev blockdev ds; then
	$B/test_blockdev || fail=1
else
	result blockdev_test_builds 1
fi

# Spin: C1 is clean, the deadlocking fixture is caught both ways.
sh tests/spin.sh $ROOT/contracts/c1.contract 0 clean
result spin_c1_rendezvous_clean $?
sh tests/spin.sh $ROOT/contracts/c1.contract 1 clean
result spin_c1_buffered_clean $?
sh tests/spin.sh tests/fixtures/deadlock.contract 0 "invalid end state"
result spin_reports_deadlock_fixture $?
sh tests/spin.sh tests/fixtures/deadlock.contract 1 "assertion violated unspecified_reception"
result spin_reports_unspecified_reception_fixture $?

exit $fail
