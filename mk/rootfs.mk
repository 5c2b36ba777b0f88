# The root file system and the programs that serve it (docs/posix.md, VFS).
#
# - lib/ext2 goes into the ext2 server through servers/ext2/ext2lib.c;
# - build/rootfs.img: the ext2 root file system, made by tools/mkrootfs;
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
POSIX_TREE := tests/posix/build/root/posix
$(POSIX_TREE): FORCE
	@$(MAKE) -s -C tests/posix all
FORCE:
ROOTFS_DEPS := tools/mkrootfs $(B)/user/linit/linit $(POSIX_TREE) $(VFS_LINUX)
$(B)/rootfs.img: $(ROOTFS_DEPS) $(PROGS)
	@echo "  MKROOTFS $@"
	@tools/mkrootfs $(B) $@

all: $(B)/rootfs.img $(VFS_LINUX)

# Test images that carry the root file system are rebuilt with it.
$(patsubst tests/system/%.image,$(B)/tests/%.img,$(wildcard tests/system/vfs*.image)): \
	$(B)/rootfs.img $(VFS_LINUX)
$(B)/boot.img: $(B)/rootfs.img
