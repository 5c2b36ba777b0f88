/*
 * The legacy (virtio 0.9.5) PCI interface shared by the virtio drivers
 * (virtio-blk, virtio-net): the header in I/O BAR 0 (no MSI-X, so the
 * device's configuration follows at 0x14), the status bits, descriptor
 * flags and the ring layout, from the virtio specification.
 */
#ifndef LIB_DRIVER_VIRTIO_H
#define LIB_DRIVER_VIRTIO_H

#include <stdint.h>

#define VIO_HOST_FEATURES	0x00
#define VIO_GUEST_FEATURES	0x04
#define VIO_QUEUE_PFN		0x08
#define VIO_QUEUE_SIZE		0x0C
#define VIO_QUEUE_SELECT	0x0E
#define VIO_QUEUE_NOTIFY	0x10
#define VIO_STATUS		0x12
#define VIO_ISR			0x13
#define VIO_CONFIG		0x14	/* the device's own configuration */
#define STATUS_ACK		1
#define STATUS_DRIVER		2
#define STATUS_DRIVER_OK	4
#define STATUS_FAILED		128

#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2	/* the device writes this buffer */
#define VRING_ALIGN		4096	/* legacy: the used ring starts page-aligned */

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* Bytes of a legacy ring of size entries (descriptors, available ring,
 * then the page-aligned used ring), in whole 4 KiB pages. */
static inline uint64_t vring_bytes(uint16_t size)
{
	uint64_t a = 16ul * size + 6 + 2ul * size;

	a = (a + VRING_ALIGN - 1) & ~(uint64_t)(VRING_ALIGN - 1);
	return (a + 6 + 8ul * size + 4095) & ~4095ul;
}

/* Offset of the used ring in a legacy ring of size entries. */
static inline uint64_t vring_used_offset(uint16_t size)
{
	return vring_bytes(size) - ((6 + 8ul * size + 4095) & ~4095ul);
}

#endif
