# The network (docs/network.md): Linux test programs for the root file
# system (static musl; tools/mkrootfs copies build/net/bin/* to /bin).
NET_LINUX := $(patsubst tests/net/%.c,$(B)/net/bin/%,$(wildcard tests/net/*.c))
$(B)/net/bin/%: tests/net/%.c
	@mkdir -p $(dir $@)
	@echo "  MUSL    $@"
	@musl-gcc -static -O2 -Wall -Wextra -Werror -o $@ $<
$(B)/rootfs.img: $(NET_LINUX)
all: $(NET_LINUX)

# The virtio-net driver under its real manifest, the program changed to
# the build with the privilege probe (tests/system/t_vnetdrv).
$(B)/tests/vnet_probe.svc: etc/virtio-net.svc
	@mkdir -p $(dir $@)
	sed 's|^program .*|program    tests/system/t_vnetdrv/t_vnetdrv|' $< > $@
$(foreach d,drivers/virtio-net tests/system/t_vnetdrv,$(eval $(B)/$(d)/$(notdir $(d)): $(wildcard drivers/virtio-net/*.c lib/driver/*.h lib/driver/*.c)))
all: $(B)/tests/vnet_probe.svc

# The issue's 100 MiB each way (tests/net/big.sh), outside `make test`.
net-100m: all
	tests/net/big.sh
.PHONY: net-100m
