# Processes from the shell: background jobs and wait, exit statuses of
# jobs, kill, trap on signals and EXIT, and subshell isolation.
# Run by busybox sh in an empty scratch directory.

echo "== background jobs"
(sleep 0.2; echo slow > slow.txt) &
slow=$!
(echo fast > fast.txt; exit 3) &
fast=$!
wait $fast
echo "fast job exited $?"
wait $slow
echo "slow job exited $?, wrote $(cat slow.txt)"
for i in 1 2 3 4; do
	(echo "job $i" > job.$i) &
done
wait
cat job.1 job.2 job.3 job.4
sleep 10 &
sleeper=$!
kill $sleeper
wait $sleeper
echo "killed job: status $? (128 + SIGTERM)"
sleep 10 &
sleeper=$!
kill -KILL $sleeper
wait $sleeper
echo "SIGKILLed job: status $?"
kill -0 $$ && echo "kill -0 on the shell itself works"

echo "== traps"
trap 'echo "caught USR1"' USR1
kill -USR1 $$
echo "after USR1"
trap 'echo "caught USR2"; got=yes' USR2
kill -USR2 $$
echo "variable set by the trap: $got"
trap - USR2
trap '' HUP
kill -HUP $$
echo "ignored HUP, still running"
sh -c 'trap "echo TERM trapped; exit 9" TERM; kill -TERM $$; echo not reached'
echo "sh -c with a TERM trap: $?"
(trap 'echo "subshell EXIT trap"' EXIT; echo "in subshell")
sh -c 'trap "echo inner exit trap" EXIT; exit 4'
echo "sh -c with EXIT trap: $?"
sh -c 'kill -TERM $$; echo not reached'
echo "sh -c killed by TERM: $?"

echo "== pipelines and processes"
echo "a b c" | { read -r x y z; echo "group read: $z $y $x"; }
n=0
printf '1\n2\n3\n' | while read -r l; do n=$((n + l)); done
echo "n after a piped while (its own subshell): $n"
yes | head -3
seq 1 20000 | tail -1
trap 'echo "EXIT trap runs last"' EXIT
echo "end of script"
