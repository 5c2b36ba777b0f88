# The real system (etc/boot.image) with the disk driver's test build that
# loops forever when rs_hanger tells it to (tests/run.d/31-rs-hang.sh):
# RS must find the hung driver by its missed heartbeats. The driver's
# manifest is etc/virtio-blk.svc with only the program changed (made by
# the block). Not a *.image: it runs under a serial session.
etc/rs.svc
etc/ds.svc
etc/pm.svc
etc/vfs.svc
etc/ext2.svc
etc/tty.svc
etc/pci.svc
build/tests/rs/blk_hang.svc
tests/system/svc/rs_hanger.svc
etc/user.svc
etc/service.svc
