/* Linux system call numbers as NR_<name>, from the one list in the ABI header. */
#ifndef PM_SYSNR_H
#define PM_SYSNR_H

#include <bulkhead/linux_syscalls.h>

#define PM_NR_ENUM(n, name) NR_##name = n,
enum { LINUX_SYSCALL_LIST(PM_NR_ENUM) };
#undef PM_NR_ENUM

#endif
