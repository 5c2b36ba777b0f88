# Text tools on generated data: pipelines through sed, awk, sort, uniq,
# wc, head, tail, grep, cut, tr and md5sum.
# Run by busybox sh in an empty scratch directory.

# Deterministic data: 200 records "id,name,group,score".
awk 'BEGIN {
	split("ant bee cat dog eel fox gnu hen", names, " ")
	for (i = 1; i <= 200; i++)
		printf "%d,%s%d,g%d,%d\n", i, names[i % 8 + 1], i % 7, i % 5, (i * 37) % 101
}' > data.csv

echo "== sizes"
wc -l < data.csv
wc -c < data.csv
md5sum data.csv
head -3 data.csv
tail -2 data.csv
tail -n +199 data.csv

echo "== pipelines"
cut -d, -f3 data.csv | sort | uniq -c | awk '{ print $2, $1 }'
cut -d, -f2 data.csv | sed 's/[0-9]*$//' | sort -u | tr '\n' ' '
echo
grep -c ',g3,' data.csv
grep -v ',g[0-3],' data.csv | wc -l
grep -E '^(1|10|100),' data.csv
grep -n 'fox' data.csv | head -2
sort -t, -k4,4n -k1,1n data.csv | head -3
sort -t, -k4,4nr -k1,1n data.csv | head -3
awk -F, '{ s[$3] += $4 } END { for (g in s) print g, s[g] }' data.csv | sort
awk -F, '$4 > 90 { n++ } END { print n " scores above 90" }' data.csv
seq 1 10 | paste -sd+ | sed 's/+/ + /g'
seq 1 100 | awk '{ s += $1 } END { print "sum 1..100 =", s }'
seq 5 | sort -r | tr '\n' ' '
echo
printf 'b\na\nb\nc\na\nb\n' | sort | uniq -d
printf 'Hello World\n' | tr 'a-z' 'A-Z'
printf 'one two  three\n' | tr -s ' ' | cut -d' ' -f2-
echo "x=1;y=2;z=3" | tr ';' '\n' | sed -n 's/^y=//p'

echo "== sed edits"
sed -n '5,7p' data.csv
sed '1,195d; s/,/ | /g' data.csv
sed -e 's/^\([0-9]*\),\([a-z]*\).*/\2-\1/' -e '4q' data.csv
printf 'keep\ndrop me\nkeep too\n' > edit.txt
sed -i '/drop/d' edit.txt
cat edit.txt

echo "== checksums"
sort data.csv | md5sum
sort -t, -k2 data.csv | md5sum
awk 'BEGIN { for (i = 0; i < 5000; i++) print i, i * i }' | md5sum
printf '' | md5sum
yes abc | head -1000 | md5sum
