/*
 * Privileges of a service, as compiled from its manifest (etc/NAME.svc) by
 * tools/mkimage and held by the kernel in its privilege table. Every check
 * against them that fails returns -EPERM and is logged.
 */
#ifndef BULKHEAD_PRIV_H
#define BULKHEAD_PRIV_H

#include <stdint.h>

#define NR_PRIVS	64
#define PRIV_USER	63	/* shared by every ordinary user process */
#define PRIV_MAX_PORTS	8
#define PRIV_MAX_MEM	4
#define PRIV_MAX_PCI	4

#define PRIVF_BOOTIMAGE	1	/* may map the boot image, read-only (`memory bootimage`) */

struct priv_spec {
	uint64_t kcalls;	/* bit n: may make kernel call n */
	uint64_t ipc_to;	/* bit n: may send/notify to holders of priv n */
	uint32_t primitives;	/* bit n: may use IPC primitive n */
	uint32_t irqs;		/* bit n: may attach to IRQ line n */
	uint8_t priority;	/* 0 highest .. NR_PRIORITIES-1 */
	uint8_t quantum;	/* clock ticks per turn */
	uint8_t nports;
	uint8_t nmem;
	uint8_t npci;
	uint8_t flags;		/* PRIVF_* */
	uint8_t reserved[2];
	struct { uint16_t lo, hi; } ports[PRIV_MAX_PORTS];
	struct { uint64_t base, size; } mem[PRIV_MAX_MEM];
	struct { uint16_t vendor, device; } pci[PRIV_MAX_PCI];
};

#endif
