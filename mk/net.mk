# The network (docs/network.md): Linux test programs for the root file
# system (static musl; tools/mkrootfs copies build/net/bin/* to /bin).
NET_LINUX := $(patsubst tests/net/%.c,$(B)/net/bin/%,$(wildcard tests/net/*.c))
$(B)/net/bin/%: tests/net/%.c
	@mkdir -p $(dir $@)
	@echo "  MUSL    $@"
	@musl-gcc -static -O2 -Wall -Wextra -Werror -o $@ $<
$(B)/rootfs.img: $(NET_LINUX)
all: $(NET_LINUX)
