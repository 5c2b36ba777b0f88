# Sourced by tools/run-tests (see there for B, out, GUARD, fresh_disk,
# e2fsck_check and want).
# docs/syscalls.md (issue 3: the calls implemented and those that return
# ENOSYS) is generated from the manifests; it must match them.
echo "== docs: syscall table"
if tools/syscall-table - | cmp -s - docs/syscalls.md; then
	echo "ok docs_syscalls_md_matches_manifests" | tee -a $out
else
	echo "not ok docs_syscalls_md_matches_manifests: run tools/syscall-table" | tee -a $out
fi
