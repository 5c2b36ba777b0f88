/*
 * The fault-site table of one program (written on the host by
 * tools/faultsites from objdump, carried in the boot image as a data
 * entry): every instruction of its code, with enough of its encoding
 * located for the injector to mutate it (Intel SDM vol. 2, ch. 2).
 */
#ifndef FINJ_SITES_H
#define FINJ_SITES_H

#include <stdint.h>

#define SITES_MAGIC	"FSITES1"

struct sites_header {
	char magic[8];
	uint32_t count;		/* struct fault_site entries that follow */
	uint32_t reserved;
	uint64_t text_lo, text_hi;	/* executable segments */
	uint64_t data_lo, data_hi;	/* writable segment (data and bss) */
};

struct fault_site {
	uint32_t addr;
	uint8_t len;
	uint8_t flags;		/* SITE_* */
	uint8_t opc_at;		/* offset of the opcode (of a Jcc: its condition byte) */
	uint8_t modrm_at;	/* offset of the ModRM byte, if SITE_MODRM */
	uint8_t disp_at;	/* offset of the displacement; 0: none */
	uint8_t disp_len;	/* 1 or 4 */
	uint8_t pad[2];
};
_Static_assert(sizeof(struct fault_site) == 12, "tools/faultsites packs 12 bytes");

#define SITE_JCC		1	/* a conditional jump: invert it */
#define SITE_MODRM		2	/* has a ModRM byte */
#define SITE_REG_OPERAND	4	/* its reg field is a register operand */
#define SITE_REG_IS_DST		8	/* ... and the destination (else rm is) */
#define SITE_NO_DST		16	/* cmp/test: both operands are sources */

#endif
