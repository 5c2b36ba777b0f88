/*
 * Linux x86-64 system call numbers (the kernel ABI, arch/x86/entry/syscalls
 * table), for the calls Bulkhead routes or means to. X(number, name).
 * Manifests name the calls a POSIX server owns (`syscalls read write ...`);
 * the manifest compiler turns the names into the kernel's routing table.
 */
#ifndef BULKHEAD_LINUX_SYSCALLS_H
#define BULKHEAD_LINUX_SYSCALLS_H

#define LINUX_NR_SYSCALLS	512

#define LINUX_SYSCALL_LIST(X) \
	X(0, read) X(1, write) X(2, open) X(3, close) X(4, stat) X(5, fstat) \
	X(6, lstat) X(7, poll) X(8, lseek) X(9, mmap) X(10, mprotect) \
	X(11, munmap) X(12, brk) X(13, rt_sigaction) X(14, rt_sigprocmask) \
	X(15, rt_sigreturn) X(16, ioctl) X(17, pread64) X(18, pwrite64) \
	X(19, readv) X(20, writev) X(21, access) X(22, pipe) X(23, select) \
	X(24, sched_yield) X(25, mremap) X(26, msync) X(27, mincore) \
	X(28, madvise) X(32, dup) X(33, dup2) X(34, pause) X(35, nanosleep) \
	X(36, getitimer) X(37, alarm) X(38, setitimer) X(39, getpid) \
	X(40, sendfile) X(41, socket) X(42, connect) X(43, accept) \
	X(44, sendto) X(45, recvfrom) X(46, sendmsg) X(47, recvmsg) \
	X(48, shutdown) X(49, bind) X(50, listen) X(51, getsockname) \
	X(52, getpeername) X(53, socketpair) X(54, setsockopt) \
	X(55, getsockopt) X(56, clone) X(57, fork) X(58, vfork) X(59, execve) \
	X(60, exit) X(61, wait4) X(62, kill) X(63, uname) X(72, fcntl) \
	X(73, flock) X(74, fsync) X(75, fdatasync) X(76, truncate) \
	X(77, ftruncate) X(78, getdents) X(79, getcwd) X(80, chdir) \
	X(81, fchdir) X(82, rename) X(83, mkdir) X(84, rmdir) X(85, creat) \
	X(86, link) X(87, unlink) X(88, symlink) X(89, readlink) X(90, chmod) \
	X(91, fchmod) X(92, chown) X(93, fchown) X(94, lchown) X(95, umask) \
	X(96, gettimeofday) X(97, getrlimit) X(98, getrusage) X(99, sysinfo) \
	X(100, times) X(102, getuid) X(104, getgid) X(105, setuid) \
	X(106, setgid) X(107, geteuid) X(108, getegid) X(109, setpgid) \
	X(110, getppid) X(111, getpgrp) X(112, setsid) X(113, setreuid) \
	X(114, setregid) X(115, getgroups) X(116, setgroups) \
	X(117, setresuid) X(118, getresuid) X(119, setresgid) \
	X(120, getresgid) X(121, getpgid) X(124, getsid) \
	X(127, rt_sigpending) X(128, rt_sigtimedwait) X(130, rt_sigsuspend) \
	X(131, sigaltstack) X(132, utime) X(137, statfs) X(138, fstatfs) \
	X(157, prctl) X(158, arch_prctl) X(160, setrlimit) X(161, chroot) \
	X(162, sync) X(165, mount) X(166, umount2) X(169, reboot) X(186, gettid) \
	X(200, tkill) X(201, time) X(202, futex) X(217, getdents64) \
	X(218, set_tid_address) X(228, clock_gettime) X(229, clock_getres) \
	X(230, clock_nanosleep) X(231, exit_group) X(234, tgkill) \
	X(235, utimes) X(247, waitid) X(257, openat) X(258, mkdirat) \
	X(259, mknodat) X(260, fchownat) X(262, newfstatat) X(263, unlinkat) \
	X(264, renameat) X(265, linkat) X(266, symlinkat) X(267, readlinkat) \
	X(268, fchmodat) X(269, faccessat) X(270, pselect6) X(271, ppoll) \
	X(273, set_robust_list) X(280, utimensat) X(285, fallocate) \
	X(288, accept4) X(292, dup3) X(293, pipe2) X(302, prlimit64) \
	X(316, renameat2) X(318, getrandom) X(332, statx) X(334, rseq) \
	X(439, faccessat2)

#endif
