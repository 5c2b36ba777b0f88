# The real system (etc/boot.image) plus rs_killer, which has RS restart
# the disk driver during the shell's workload (tools/run-tests, "recovery
# in the real system"). Not a *.image: it runs under a serial session.
etc/rs.svc
etc/ds.svc
etc/pm.svc
etc/vfs.svc
etc/ext2.svc
etc/tty.svc
etc/pci.svc
etc/virtio-blk.svc
tests/system/svc/rs_killer.svc
etc/user.svc
etc/service.svc
