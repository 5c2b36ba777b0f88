/* The process table: one static slot per process, no allocation. */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "kernel.h"

/* Reasons a process is not runnable; 0 means ready. */
#define RTS_FREE	0x01	/* slot unused */
#define RTS_SENDING	0x02	/* blocked in send, waiting for the receiver */
#define RTS_RECEIVING	0x04	/* blocked in receive */
#define RTS_FAULTED	0x08	/* stopped by a CPU exception, awaiting its parent */
#define RTS_STOPPED	0x10	/* created, not started yet */

/* Flags */
#define PF_SENDREC	0x01	/* receive from the destination once the send is done */
#define PF_REPORTED	0x02	/* fault report fetched by the parent */
#define PF_KMSG		0x04	/* in a Linux system call: the message is p->kmsg */

struct priv {
	struct priv_spec spec;
	int in_use;
	endpoint_t holder;	/* the process holding a service's privileges */
};

struct proc {
	struct regs regs;		/* first: entry.S saves here */
	uint8_t fpu[512] __attribute__((aligned(16)));
	endpoint_t endpoint;
	uint32_t rts;
	uint32_t flags;
	uint32_t priv_id;
	uint64_t pml4;
	uint64_t fs_base;
	uint8_t priority;
	uint8_t quantum;
	uint8_t ticks_left;

	struct proc *ready_next;
	struct proc *ready_prev;

	/* IPC state */
	endpoint_t sendto;		/* while RTS_SENDING */
	endpoint_t getfrom;		/* while RTS_RECEIVING: ANY or an endpoint */
	uint64_t msg_va;		/* the blocked call's message buffer */
	struct proc *callers;		/* senders blocked on us, in order */
	struct proc *caller_next;
	uint64_t notify_pending[NR_SLOTS / 64];
	uint32_t irq_pending;
	uint64_t irq_tsc;		/* rdtsc when the first pending line fired */
	uint32_t sys_events;
	int alarm_fired;

	uint64_t alarm_at;		/* tick, or 0 */
	uint64_t grant_va;
	uint32_t grant_count;
	uint32_t denials_logged;

	endpoint_t parent;
	struct fault_report fault;
	message_t kmsg;			/* a forwarded Linux system call and its reply */
	/* Translation of the last message buffer, valid while vm_epoch is
	 * unchanged (any unmap or protect anywhere bumps it). */
	uint64_t mcache_va;
	message_t *mcache_kva;
	uint64_t mcache_epoch;
	int mcache_writable;
	char name[16];
	uint64_t ipc_sent;
	uint64_t ipc_received;
	uint64_t ticks_used;
};

extern struct proc procs[NR_SLOTS];
extern struct priv privs[NR_PRIVS];
extern struct proc *current;
extern endpoint_t boot_parent;

static inline struct priv_spec *priv_of(struct proc *p) { return &privs[p->priv_id].spec; }

/* proc.c */
#define LOOKUP_OK	0
struct proc *proc_lookup(endpoint_t e, int *err);
struct proc *proc_alloc(const char *name, endpoint_t parent);
void proc_release(struct proc *p);
void proc_set_priv(struct proc *p, uint32_t priv_id);
void proc_take_service(struct proc *p);
void proc_block(struct proc *p, uint32_t why);
void proc_unblock(struct proc *p, uint32_t why);
void proc_fault(struct proc *p, uint64_t vector, uint64_t error, uint64_t addr);
int priv_refuse(struct proc *p, const char *what, long detail);

/* sched.c */
void sched_enqueue(struct proc *p);
void sched_dequeue(struct proc *p);
void sched_tick(void);
void sched_forget(struct proc *p);
struct proc *sched_pick(void);
int sched_higher_ready(int priority);
void __attribute__((noreturn)) resume_user(void);

/* ipc.c */
int64_t ipc_call(struct proc *p, int prim);
void ipc_cancel(struct proc *dead);
void ipc_abort(struct proc *p);
void notify_from_kernel(struct proc *dst, endpoint_t source);
int ipc_deliver_pending(struct proc *p, endpoint_t src);
int ipc_copy_message(struct proc *dst, struct proc *src);
int ipc_copy_resolved(struct proc *dst, struct proc *src, const message_t *sm);
int ipc_fastpath(struct proc *p, int prim, const message_t *m);
int ipc_awaits_reply(struct proc *dst, struct proc *p);
message_t *ipc_message_walk(struct proc *p, int write);

/* Where p's message buffer is in the kernel's reach (writable if write),
 * or NULL: the translation cached at the last walk while the address
 * spaces are unchanged (vm_epoch), else ipc_message_walk. Inline: it runs
 * several times in every IPC. */
static inline message_t *ipc_message_at(struct proc *p, int write)
{
	if (p->msg_va == p->mcache_va && p->mcache_epoch == vm_epoch &&
	    (!write || p->mcache_writable) && !(p->flags & PF_KMSG))
		return p->mcache_kva;
	return ipc_message_walk(p, write);
}
int64_t ipc_sendrec(struct proc *p, endpoint_t e);

/* linux_gate.c */
extern uint8_t linux_owner[512];
int64_t linux_syscall(struct proc *p);

/* kcall.c */
#define KCALL_SUSPEND	(-0x7fffffffffffffffll)	/* caller blocked or gone: leave its rax */
int64_t kcall_dispatch(struct proc *p, unsigned nr);
struct proc *kcall_target(struct proc *p, uint64_t arg, int *err);
#define RTS_ZOMBIE	0x20	/* exited, report not yet fetched by the parent */

/* clock.c */
extern uint64_t ticks;
void clock_tick(void);
void clock_update_alarm(uint64_t at);

/* irq.c */
void irq_handle(int irq);
void irq_release_all(struct proc *p);

/* kcall/do_dma.c: a pool of contiguous frames for device DMA */
#define DMA_POOL_PAGES	1024	/* 4 MiB */
void dma_pool_init(uint64_t base);
void dma_release_all(struct proc *p);

/* boot_image.c */
void boot_image_start(uint64_t phys, uint64_t size);
extern uint64_t boot_image_phys, boot_image_size;
int elf_load(struct proc *p, const uint8_t *img, uint64_t size);

#endif
