# Run inside gdb (bench/hops/trace starts it): stop at the kernel's
# syscall entry for the call HOP_NR (rax), skipping HOP_SKIP such calls,
# then single-step the whole machine until the caller is back in user
# mode after the call; write one line per instruction executed,
# "<cr3> <rip>", into HOP_OUT, after a header naming every process's
# page-table root. QEMU's gdb stub steps with interrupts and timers off,
# so nothing but the traced call runs.
import os
import gdb

MASK = 0x000ffffffffff000
port = os.environ["HOP_PORT"]
nr = int(os.environ["HOP_NR"], 0)
skip = int(os.environ.get("HOP_SKIP", "0"))
extra = os.environ.get("HOP_COND", "")
limit = int(os.environ.get("HOP_MAX", "100000"))
out = open(os.environ["HOP_OUT"], "w")

gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("file build/kernel.elf")
gdb.execute("target remote :" + port)
bp = gdb.Breakpoint("syscall_entry")
bp.condition = "$rax == %d" % nr + (" && " + extra if extra else "")
bp.ignore_count = skip
gdb.execute("continue")
bp.delete()

nslots = int(gdb.parse_and_eval("sizeof(procs) / sizeof(procs[0])"))
for i in range(nslots):
    p = gdb.parse_and_eval("procs[%d]" % i)
    if int(p["rts"]) & 1:	# RTS_FREE
        continue
    name = p["name"].string(length=16).split("\0")[0]
    out.write("proc %x %s\n" % (int(p["pml4"]) & MASK, name))

start_cr3 = int(gdb.parse_and_eval("$cr3")) & MASK
ret = int(gdb.parse_and_eval("$rcx")) & 0xffffffffffffffff	# syscall put the return rip there
out.write("call %x %x\n" % (start_cr3, ret))
for n in range(limit):
    pc = int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff
    cr3 = int(gdb.parse_and_eval("$cr3")) & MASK
    if pc == ret and cr3 == start_cr3:
        out.write("end %d\n" % n)
        break
    out.write("%x %x\n" % (cr3, pc))
    gdb.execute("stepi", to_string=True)
else:
    out.write("limit %d\n" % limit)
out.close()
gdb.execute("kill")
