/*
 * Processor set-up: segments, the TSS (whose rsp0 points into the current
 * process's register frame), the IDT, the syscall MSRs, and the protection
 * features: NX (enabled in boot.S), write-protect, SMEP and SMAP when the
 * CPU has them. The kernel touches user memory only through the direct map
 * (vm.c), so SMAP can stay on without stac/clac anywhere.
 */
#include "kernel.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));

static struct tss tss;
static uint64_t gdt[7];
static struct idt_gate idt[256];
extern const uint64_t isr_table[];
extern char df_stack_top[];
extern struct regs *cur_frame_top;
void syscall_entry(void);

struct cpu_features cpu_has;

static void load_gdt(void)
{
	uint64_t base = (uint64_t)&tss;
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr;

	gdt[0] = 0;
	gdt[1] = 0x00AF9A000000FFFFull;		/* kernel code, 64-bit */
	gdt[2] = 0x00CF92000000FFFFull;		/* kernel data */
	gdt[3] = 0x00CFF2000000FFFFull;		/* user data, DPL 3 */
	gdt[4] = 0x00AFFA000000FFFFull;		/* user code, 64-bit, DPL 3 */
	gdt[5] = (sizeof(tss) - 1) | ((base & 0xFFFFFF) << 16) |
	    (0x89ull << 40) | (((base >> 24) & 0xFF) << 56);
	gdt[6] = base >> 32;
	tss.iomap_base = sizeof(tss);	/* no I/O bitmap: ring 3 gets no ports */
	tss.ist[0] = (uint64_t)df_stack_top;
	ptr.limit = sizeof(gdt) - 1;
	ptr.base = (uint64_t)gdt;
	__asm__ volatile("lgdt %0" :: "m"(ptr));
	__asm__ volatile("ltr %w0" :: "r"(TSS_SEL));
}

static void load_idt(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr;
	int i, v;

	for (i = 0; i < 22 + 16; i++) {
		uint64_t h = isr_table[i];
		v = i < 22 ? i : 32 + (i - 22);
		idt[v].off_lo = h & 0xFFFF;
		idt[v].sel = KERNEL_CS;
		idt[v].ist = v == 8 ? 1 : 0;	/* double fault on its own stack */
		idt[v].type = 0x8E;		/* interrupt gate, DPL 0 */
		idt[v].off_mid = (h >> 16) & 0xFFFF;
		idt[v].off_hi = h >> 32;
	}
	ptr.limit = sizeof(idt) - 1;
	ptr.base = (uint64_t)idt;
	__asm__ volatile("lidt %0" :: "m"(ptr));
}

static void enable_features(void)
{
	uint32_t r[4];
	uint64_t cr0;

	cpuid(7, 0, r);
	cpu_has.smep = (r[1] >> 7) & 1;
	cpu_has.smap = (r[1] >> 20) & 1;
	write_cr4(read_cr4() | (1 << 9) | (1 << 10) |	/* OSFXSR, OSXMMEXCPT */
	    (cpu_has.smep ? 1 << 20 : 0) | (cpu_has.smap ? 1 << 21 : 0));
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 &= ~(1ull << 2);			/* EM off: SSE for user code */
	cr0 |= (1ull << 1) | (1ull << 5) | (1ull << 16);	/* MP, NE, WP */
	__asm__ volatile("mov %0, %%cr0" :: "r"(cr0));
	__asm__ volatile("fninit");
}

void cpu_init(void)
{
	load_gdt();
	load_idt();
	enable_features();
	wrmsr(MSR_STAR, ((uint64_t)(USER_DS - 8 - 3) << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, 0x47700);	/* clear TF, IF, DF, AC, NT on entry */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1);	/* SCE: syscall enable */
}

/* The next trap from user mode saves its registers into *r. */
void cpu_set_kernel_entry(struct regs *r)
{
	tss.rsp[0] = (uint64_t)(r + 1);
	cur_frame_top = r + 1;
}
