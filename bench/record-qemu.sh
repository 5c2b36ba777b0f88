# Sourced by the bench runners: record_qemu FILE puts a wrapper first on
# PATH that writes the argv tools/qemu hands to QEMU into FILE, one word a
# line, and then runs the real QEMU. tools/qemu owns the command line;
# this is how bench/run shows exactly what each system ran under.
record_qemu() {
	_real=$(command -v qemu-system-x86_64) ||
		{ echo "record_qemu: qemu-system-x86_64 not installed" >&2; return 1; }
	_wrap=$(dirname "$1")/wrap.$(basename "$1")
	mkdir -p "$_wrap"
	cat > "$_wrap/qemu-system-x86_64" <<WRAP
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done > "$1"
exec "$_real" "\$@"
WRAP
	chmod +x "$_wrap/qemu-system-x86_64"
	PATH=$_wrap:$PATH
	export PATH
}
