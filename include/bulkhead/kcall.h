/*
 * Kernel calls: rax = KCALL_BASE + number, arguments in rdi, rsi, rdx, r10,
 * r8, r9. Each call's contract is in the header comment of its file in
 * kernel/kcall/. A caller may make only the calls its manifest's `kcalls`
 * line names (the bitmap in its privilege structure); any other returns
 * -EPERM and is logged.
 *
 * This list is the one place the calls are named: the kernel's dispatch
 * table, the manifest compiler and the user-side wrappers all expand it.
 */
#ifndef BULKHEAD_KCALL_H
#define BULKHEAD_KCALL_H

#define KCALL_LIST(X) \
	X(0,  PRINT,     print)     /* diagnostic output to the console */ \
	X(1,  SHUTDOWN,  shutdown)  /* power off the machine */ \
	X(2,  FORK,      fork)      /* copy a process */ \
	X(3,  EXIT,      exit)      /* end a process (self or, if allowed, another) */ \
	X(4,  MAP,       map)       /* map fresh zeroed memory into a process */ \
	X(5,  UNMAP,     unmap)     /* unmap memory of a process */ \
	X(6,  PROTECT,   protect)   /* change protection of mapped memory */ \
	X(7,  MAPPHYS,   mapphys)   /* map device memory granted by the manifest */ \
	X(8,  SETGRANT,  setgrant)  /* declare one's own grant table */ \
	X(9,  SAFECOPY,  safecopy)  /* copy to/from another process under a grant */ \
	X(10, VCOPY,     vcopy)     /* copy between any two processes (PM, VFS) */ \
	X(11, IRQCTL,    irqctl)    /* attach to, enable, disable an IRQ line */ \
	X(12, DEVIO,     devio)     /* read or write an I/O port */ \
	X(13, SETPRIV,   setpriv)   /* set a process's privileges (RS) */ \
	X(14, ALARM,     alarm)     /* ask for a CLOCK notification later */ \
	X(15, GETINFO,   getinfo)   /* read kernel information (IS, tests) */ \
	X(16, GETEVENT,  getevent)  /* fetch a child's fault report */ \
	X(17, SETREGS,   setregs)   /* set a process's registers and start it */ \
	X(18, GETREGS,   getregs)   /* read a process's registers */ \
	X(19, STOP,      stop)      /* stop a child, cancelling its blocked call */ \
	X(20, DMA,       dma)       /* physically contiguous memory, physical addresses */ \
	X(21, SETNAME,   setname)   /* name a process (for logs and process lists) */ \
	X(22, INJECT,    inject)    /* write into another process's code (fault injector, test images) */

#define KCALL_ENUM(n, up, low) KC_##up = n,
enum { KCALL_LIST(KCALL_ENUM) NR_KCALLS };
#undef KCALL_ENUM
_Static_assert(NR_KCALLS <= 64, "the kernel-call privilege is a 64-bit mask");

/* The end of the user half of every address space (KC_UNMAP of [0,
 * USER_TOP) clears it all). */
#define USER_TOP	0x0000800000000000ul

/* KC_FORK flags */
#define FORK_STOPPED	1	/* the copy waits for KC_SETREGS before it runs */
#define FORK_EMPTY	2	/* no memory is copied: an empty address space (RS, exec) */

/* KC_DMA operations */
#define DMA_ALLOC	1	/* map contiguous frames at va; returns their physical address */
#define DMA_FREE	2	/* unmap and release them */
#define DMA_PHYS	3	/* physical address of the caller's own mapped va */

/* KC_IRQCTL operations */
#define IRQ_ATTACH	1	/* route the line's notifications to the caller */
#define IRQ_ENABLE	2	/* unmask the line after handling */
#define IRQ_DISABLE	3
#define IRQ_DETACH	4

/* KC_DEVIO operations */
#define DEVIO_IN8	1
#define DEVIO_IN16	2
#define DEVIO_IN32	3
#define DEVIO_OUT8	4
#define DEVIO_OUT16	5
#define DEVIO_OUT32	6

/* KC_SAFECOPY directions */
#define SAFECOPY_FROM	1	/* granter's memory -> caller's */
#define SAFECOPY_TO	2	/* caller's memory -> granter's */

/* KC_MAP / KC_PROTECT protection bits */
#define PROT_R		1
#define PROT_W		2
#define PROT_X		4

/* KC_GETINFO selectors */
#define INFO_SELF	1	/* struct info_proc of the caller */
#define INFO_PROC	2	/* struct info_proc of the slot in arg */
#define INFO_BOOT	3	/* endpoint of the boot service named by arg */
#define INFO_KERNEL	4	/* struct info_kernel */
#define INFO_PRIV	5	/* struct priv_spec of privilege id arg (IS) */

/* A grant: one entry of the granter's grant table (KC_SETGRANT). */
struct grant {
	uint32_t flags;		/* GRANT_* */
	int32_t grantee;	/* endpoint allowed to use it, or ANY */
	uint64_t addr;		/* start in the granter's address space */
	uint64_t len;
	uint64_t reserved;
};
#define GRANT_VALID	1
#define GRANT_READ	2	/* grantee may copy from the range */
#define GRANT_WRITE	4	/* grantee may copy into the range */

/* KC_GETEVENT: why a child stopped. */
struct fault_report {
	int32_t endpoint;
	uint32_t vector;	/* CPU exception vector */
	uint64_t error;		/* exception error code */
	uint64_t rip;
	uint64_t addr;		/* faulting address for a page fault */
	uint64_t tick;		/* clock tick of the fault or exit */
};

/* KC_GETEVENT vector for a child that exited by itself; error = status. */
#define EVENT_EXIT	256

/* KC_SETREGS / KC_GETREGS: the user-visible register set. */
struct user_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags, fs_base;
};

struct info_proc {
	int32_t endpoint;
	int32_t parent;
	uint32_t priv_id;
	uint32_t flags;		/* nonzero: not runnable (RTS_* bits) */
	uint64_t ipc_sent;
	uint64_t ipc_received;
	uint64_t ticks;
	char name[16];
};

struct info_kernel {
	uint64_t ticks;
	uint64_t hz;
	uint64_t free_frames;
	uint64_t total_frames;
	uint64_t boot_image_phys;
	uint64_t boot_image_size;
};

#endif
