#!/bin/sh
# The ext2 library must link into a server with no libc: its only
# undefined symbols may be memcpy, memset, memcmp and strlen, and it may
# export nothing but the ext2_* API.
lib=$1
undef=$(nm -u "$lib" | awk 'NF == 2 { print $2 }' | sort -u |
	grep -v -x -e memcpy -e memset -e memcmp -e strlen)
if [ -n "$undef" ]; then
	echo "# unexpected undefined symbols: $undef"
	echo "not ok ext2_lib_needs_only_mem_and_strlen"
else
	echo "ok ext2_lib_needs_only_mem_and_strlen"
fi
exported=$(nm -g --defined-only "$lib" | awk 'NF == 3 { print $3 }' |
	grep -v '^ext2_')
if [ -n "$exported" ]; then
	echo "# internal symbols exported: $exported"
	echo "not ok ext2_lib_exports_only_api"
else
	echo "ok ext2_lib_exports_only_api"
fi
[ -z "$undef" ] && [ -z "$exported" ]
