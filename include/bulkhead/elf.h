/*
 * The ELF64 facts every loader here needs (System V ABI, x86-64
 * supplement): the kernel's boot loader, RS restarting services from the
 * boot image, and PM's execve. One copy, so the three cannot drift.
 */
#ifndef BULKHEAD_ELF_H
#define BULKHEAD_ELF_H

#include <stdint.h>

#define ET_EXEC		2
#define ET_DYN		3
#define EM_X86_64	62

#define PT_LOAD		1
#define PT_INTERP	3
#define PT_PHDR		6

#define PF_X		1
#define PF_W		2
#define PF_R		4

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#endif
