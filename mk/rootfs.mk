# The root file system and the programs that serve it (docs/posix.md, VFS).
#
# - lib/ext2 goes into the ext2 server through servers/ext2/ext2lib.c;
# - build/rootfs.img: the ext2 root file system, made by tools/mkrootfs;
# - build/disk.img: `make run`'s disk, a copy of it kept across runs;
# - the Linux test programs of the VFS system tests (musl-gcc -static).

$(B)/servers/ext2/ext2: $(wildcard lib/ext2/*.c lib/ext2/*.h)

# Linux test programs (static musl), with our own _start because boot
# services get no argc/argv/auxv stack (tests/system/t_vfs/linux/start.c).
# (They live one level down, out of the native program rule's sight.)
VFS_LINUX := $(patsubst tests/system/t_vfs/linux/%.c,$(B)/t_vfs/%,\
	$(filter-out %/start.c,$(wildcard tests/system/t_vfs/linux/*.c)))
$(B)/t_vfs/%: tests/system/t_vfs/linux/%.c tests/system/t_vfs/linux/start.c
	@mkdir -p $(dir $@)
	@echo "  MUSL    $@"
	@musl-gcc -static -O2 -Wall -Wextra -Werror -nostartfiles -fno-pie -no-pie \
		-o $@ tests/system/t_vfs/linux/start.c $<

# /sbin/init and the POSIX oracle tests must exist before the image is
# made: mkrootfs copies what is there.
# The stamp is touched only when the sub-make changed a file of the tree
# (a directory's own time does not change when a file in it is rebuilt),
# so the image is remade exactly when a test program changed.
POSIX_STAMP := $(B)/posix-tree.stamp
$(POSIX_STAMP): FORCE
	@$(MAKE) -s -C tests/posix all
	@mkdir -p $(dir $@)
	@if [ ! -f $@ ] || [ -n "$$(find tests/posix/build/root -newer $@ -print -quit)" ]; then touch $@; fi
FORCE:
ROOTFS_DEPS := tools/mkrootfs $(B)/user/linit/linit $(B)/user/service/linux/service \
	$(POSIX_STAMP) $(VFS_LINUX)
$(B)/rootfs.img: $(ROOTFS_DEPS) $(PROGS)
	@echo "  MKROOTFS $@"
	@tools/mkrootfs $(B) $@

all: $(B)/rootfs.img $(VFS_LINUX)

# The VFS test images carry the Linux test programs; their root file
# system is a copy of build/rootfs.img on the disk (tests/system/vfs.disk).
$(patsubst tests/system/%.image,$(B)/tests/%.img,$(wildcard tests/system/vfs*.image)): \
	$(VFS_LINUX)

# `make run`'s disk: made from the root file system once, then kept, so
# what a user writes survives from one `make run` to the next. `rm
# build/disk.img` starts afresh (and picks up a rebuilt rootfs.img).
$(B)/disk.img: | $(B)/rootfs.img
	cp $(B)/rootfs.img $@
