# Shell language: loops, case, functions, test, exit statuses, command
# substitution, here-documents, subshells, arithmetic and quoting.
# Run by busybox sh in an empty scratch directory.

echo "== loops"
for w in alpha "beta gamma" delta; do
	echo "for: [$w]"
done
i=0
while [ $i -lt 3 ]; do
	i=$((i + 1))
	echo "while: $i"
done
until [ $i -eq 0 ]; do
	i=$((i - 1))
done
echo "until ended at $i"
for n in 1 2 3 4 5 6; do
	[ $n -eq 2 ] && continue
	[ $n -eq 5 ] && break
	printf 'n=%s ' $n
done
echo

echo "== case"
for s in apple Banana cherry 42 ""; do
	case $s in
	a*) echo "$s: starts with a" ;;
	[A-Z]*) echo "$s: capitalised" ;;
	*[0-9]) echo "$s: ends with a digit" ;;
	"") echo "(empty)" ;;
	*) echo "$s: other" ;;
	esac
done

echo "== functions"
greet() {
	local who=${1:-nobody}
	echo "hello, $who ($# args)"
	return 3
}
greet world extra
echo "greet returned $?"
greet
count_args() { echo "$#: $*"; }
count_args a "b c" d
set -- one two three
shift
echo "after shift: $# [$1] [$*]"
fact() {
	if [ "$1" -le 1 ]; then echo 1; else echo $(($1 * $(fact $(($1 - 1))))); fi
}
echo "fact 10 = $(fact 10)"

echo "== test and exit statuses"
true; echo "true: $?"
false; echo "false: $?"
! true; echo "! true: $?"
(exit 7); echo "(exit 7): $?"
sh -c 'exit 5'; echo "sh -c 'exit 5': $?"
false | true; echo "false | true: $?"
true | false; echo "true | false: $?"
true && echo "&& after true runs"
false || echo "|| after false runs"
false && echo "never printed"
[ -z "" ] && echo "-z empty"
[ -n "x" ] && echo "-n x"
[ "abc" = "abc" ] && echo "= strings"
[ "abc" != "abd" ] && echo "!= strings"
[ 10 -gt 9 ] && echo "10 -gt 9"
[ 3 -le 3 ] && echo "3 -le 3"
test 1 -eq 2; echo "test 1 -eq 2: $?"
[ ! -e missing ] && echo "! -e missing"
[ -d . ] && [ ! -f . ] && echo "-d . and ! -f ."
nosuchcommand 2>/dev/null; echo "unknown command: $?"

echo "== command substitution"
x=$(echo inner)
y=`echo backquoted`
echo "x=$x y=$y nested=$(echo $(echo deep))"
lines=$(printf 'a\nb\n\n\n')
echo "trailing newlines stripped: [$lines]"
echo "arithmetic: $((7 * 6)) $((17 % 5)) $((1 << 4)) $(( (2 + 3) * 4 ))"

echo "== here-documents"
name=World
cat <<EOT
Hello, $name!
  indented $((1 + 1))
EOT
cat <<'EOT'
Not expanded: $name $(echo no)
EOT
	cat <<-EOT
	tabs stripped
	EOT
while read -r a b; do
	echo "read: a=$a b=$b"
done <<EOT
1 one
2 two words
EOT

echo "== subshells"
mkdir -p sub/deeper
(cd sub/deeper && echo "in subshell: $(basename "$(pwd)")"; v=changed)
echo "after subshell: $(basename "$(pwd)" | sed 's/.*/still in the scratch dir/') v=${v:-unset}"
(cd sub; exit 4); echo "subshell status: $?"
{ echo "group"; echo "same shell"; } | wc -l

echo "== expansions and quoting"
unset unset_var
s="Hello World"
echo "${#s} ${s%World} ${s#Hello } ${unset_var:-default} ${unset_var-dash}"
echo "${s%%o*} ${s##*o} ${s:-x}"
set -- "a b" c
for a in "$@"; do echo "\"\$@\": [$a]"; done
for a in $*; do echo "\$*: [$a]"; done
IFS=: read -r f1 f2 f3 <<EOT
x:y:z
EOT
echo "IFS=: split: $f1 $f2 $f3"
echo 'single $quotes' "double \$quotes" back\ slash
