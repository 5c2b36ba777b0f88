# Files from the shell: redirections (>, >>, <, 2>&1, numbered fds), and
# cp, mv, rm -r, mkdir -p, ln, ls, find, dd, stat on a fresh directory.
# Run by busybox sh in an empty scratch directory.

echo "== redirections"
echo first > out.txt
echo second >> out.txt
echo third >> out.txt
cat out.txt
wc -l < out.txt
echo overwrite > out.txt
cat out.txt
ls missing-file > both.txt 2>&1
echo "ls status $?"
sed 's/.*missing-file.*/error message about missing-file/' both.txt
ls missing-file 2>/dev/null
echo "stderr discarded, status $?"
{ echo to-stdout; echo to-stderr >&2; } 2> err.txt > std.txt
echo "stdout file: $(cat std.txt), stderr file: $(cat err.txt)"
{ echo a; echo b >&2; } > all.txt 2>&1
echo "2>&1 collected $(wc -l < all.txt) lines"
exec 3> fd3.txt
echo "via fd 3" >&3
echo "again fd 3" >&3
exec 3>&-
cat fd3.txt
exec 4< fd3.txt
read -r line <&4
echo "read from fd 4: $line"
exec 4<&-
: > empty.txt
[ -f empty.txt ] && [ ! -s empty.txt ] && echo "empty.txt exists and is empty"
echo abc | tee tee1.txt tee2.txt > /dev/null
cat tee1.txt tee2.txt

echo "== mkdir, cp, mv, rm"
mkdir -p a/b/c/d
mkdir -p a/b/c/d
echo "mkdir -p twice: $?"
mkdir a 2>/dev/null
echo "mkdir existing: $?"
echo data > a/b/file
cp a/b/file a/copy
cmp a/b/file a/copy && echo "cp: contents equal"
cp -r a tree
find tree | sort
mv tree/b/file tree/moved
mv tree/b tree/renamed
find tree | sort
mv tree/moved tree/copy
echo "mv over existing: $(cat tree/copy)"
rm tree/copy
rm tree/copy 2>/dev/null
echo "rm missing: $?"
rm -f tree/copy
echo "rm -f missing: $?"
rmdir tree/renamed 2>/dev/null
echo "rmdir non-empty: $?"
rm -r tree
[ -e tree ] || echo "rm -r removed the tree"

echo "== links and listings"
ln a/b/file hard
ln -s a/b/file soft
echo "hard link count: $(stat -c %h a/b/file)"
echo "readlink soft: $(readlink soft)"
echo "through soft: $(cat soft)"
[ -L soft ] && [ ! -L hard ] && echo "-L tells them apart"
rm a/b/file
echo "hard after unlink: $(cat hard), count $(stat -c %h hard)"
cat soft 2>/dev/null || echo "soft is dangling"
touch z y x
ls
ls -1 a/b
ls -d a/*
printf '%s\n' * | wc -l

echo "== modes and sizes"
umask 022
touch m
chmod 640 m
echo "chmod 640: $(stat -c %a m)"
chmod u+x,o+r m
echo "chmod u+x,o+r: $(stat -c %a m)"
dd if=/dev/zero of=zeros bs=1024 count=5 2>/dev/null
echo "dd 5 KiB: $(stat -c %s zeros) bytes, $(tr -d '\0' < zeros | wc -c) non-zero"
head -c 100 /dev/zero | wc -c
[ -x m ] && echo "-x m" || echo "not -x m"
[ -r m ] && echo "-r m"
[ -s zeros ] && [ ! -s empty.txt ] && echo "-s tells sizes apart"
