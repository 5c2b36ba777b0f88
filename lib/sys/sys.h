/* User-side wrappers for IPC primitives and kernel calls. */
#ifndef LIB_SYS_H
#define LIB_SYS_H

#include <stdint.h>
#include <stddef.h>
#include <bulkhead/ipc.h>
#include <bulkhead/kcall.h>
#include <bulkhead/errno.h>
#include <bulkhead/priv.h>

static inline long trap6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long r;

	__asm__ volatile("syscall" : "=a"(r)
	    : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	    : "rcx", "r11", "memory");
	return r;
}

#define kcall(n, a, b, c, d, e, f) trap6(KCALL_BASE + (n), (long)(a), (long)(b), \
	(long)(c), (long)(d), (long)(e), (long)(f))

/* IPC primitives (lib/sys/ipc.c): 0 or a negative errno. */
int ipc_send(endpoint_t dst, message_t *m);
int ipc_sendnb(endpoint_t dst, message_t *m);
int ipc_receive(endpoint_t src, message_t *m);
int ipc_sendrec(endpoint_t dst, message_t *m);
int ipc_notify(endpoint_t dst);
int ipc_replyrecv(endpoint_t dst, message_t *m, endpoint_t src);

static inline long sys_print(const char *s, size_t n) { return kcall(KC_PRINT, s, n, 0, 0, 0, 0); }
static inline long sys_shutdown(int code) { return kcall(KC_SHUTDOWN, code, 0, 0, 0, 0, 0); }
static inline long sys_fork(endpoint_t e) { return kcall(KC_FORK, e, 0, 0, 0, 0, 0); }
static inline long sys_fork_flags(endpoint_t e, int flags) { return kcall(KC_FORK, e, flags, 0, 0, 0, 0); }
static inline long sys_stop(endpoint_t e) { return kcall(KC_STOP, e, 0, 0, 0, 0, 0); }
static inline long sys_stop_info(endpoint_t e, uint64_t *cancelled) { return kcall(KC_STOP, e, cancelled, 0, 0, 0, 0); }
static inline long sys_setname(endpoint_t e, const char *name) { return kcall(KC_SETNAME, e, name, 0, 0, 0, 0); }
static inline long sys_exit(endpoint_t e, int status) { return kcall(KC_EXIT, e, status, 0, 0, 0, 0); }
static inline long sys_map(endpoint_t e, uint64_t va, uint64_t len, int prot) { return kcall(KC_MAP, e, va, len, prot, 0, 0); }
static inline long sys_unmap(endpoint_t e, uint64_t va, uint64_t len) { return kcall(KC_UNMAP, e, va, len, 0, 0, 0); }
static inline long sys_protect(endpoint_t e, uint64_t va, uint64_t len, int prot) { return kcall(KC_PROTECT, e, va, len, prot, 0, 0); }
static inline long sys_mapphys(uint64_t va, uint64_t pa, uint64_t len, int prot) { return kcall(KC_MAPPHYS, va, pa, len, prot, 0, 0); }
static inline long sys_setgrant(struct grant *g, size_t n) { return kcall(KC_SETGRANT, g, n, 0, 0, 0, 0); }
static inline long sys_safecopy(int dir, endpoint_t granter, int id, uint64_t off, void *buf, size_t len) { return kcall(KC_SAFECOPY, dir, granter, id, off, buf, len); }
static inline long sys_vcopy(endpoint_t s, uint64_t sva, endpoint_t d, uint64_t dva, size_t len) { return kcall(KC_VCOPY, s, sva, d, dva, len, 0); }
static inline long sys_irqctl(int op, int irq) { return kcall(KC_IRQCTL, op, irq, 0, 0, 0, 0); }
static inline long sys_devio(int op, unsigned port, uint32_t v) { return kcall(KC_DEVIO, op, port, v, 0, 0, 0); }
static inline long sys_setpriv(endpoint_t e, int id, const struct priv_spec *s) { return kcall(KC_SETPRIV, e, id, s, 0, 0, 0); }
static inline long sys_alarm(uint64_t t) { return kcall(KC_ALARM, t, 0, 0, 0, 0, 0); }
static inline long sys_getinfo(int what, uint64_t arg, void *buf, size_t len) { return kcall(KC_GETINFO, what, arg, buf, len, 0, 0); }
static inline long sys_getevent(struct fault_report *r) { return kcall(KC_GETEVENT, r, 0, 0, 0, 0, 0); }
static inline long sys_setregs(endpoint_t e, const struct user_regs *r) { return kcall(KC_SETREGS, e, r, 0, 0, 0, 0); }
static inline long sys_getregs(endpoint_t e, struct user_regs *r) { return kcall(KC_GETREGS, e, r, 0, 0, 0, 0); }
static inline long sys_inject(endpoint_t e, uint64_t va, const void *buf, size_t len) { return kcall(KC_INJECT, e, va, buf, len, 0, 0); }

/* The endpoint of the live process with this name (boot services). */
endpoint_t lookup_endpoint(const char *name);

#endif
