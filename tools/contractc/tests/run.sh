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
	    $CC $GENFLAGS -ffreestanding $INC -c -o $B/obj/$name.o $B/gen/$name.c
	result "generated_${name}_compiles_warning_free" $?
done

# The runtime is freestanding: it needs nothing but the IPC wrappers.
$CC $GENFLAGS -ffreestanding -nostdlib -fno-builtin $INC \
    -c -o $B/obj/monitor.o $ROOT/lib/contract/monitor.c
st=$?
if [ $st -eq 0 ]; then
	undef=$(nm -u $B/obj/monitor.o | awk '{print $2}' |
	    grep -v '^ipc_\(send\|receive\|sendrec\|sendnb\)$')
	[ -z "$undef" ] || { echo "# undefined: $undef"; st=1; }
fi
result runtime_is_freestanding $st

# The generated C1 and arith code, linked with the monitor and a fake IPC.
build_test() {	# build_test <test> <contract>
	$CC $GENFLAGS $INC -Itests -o $B/$1 tests/$1.c tests/fake_ipc.c \
	    $B/gen/$2.c $ROOT/lib/contract/monitor.c
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
