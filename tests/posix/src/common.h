/*
 * Shared helpers for the POSIX oracle programs.
 *
 * Every program prints a transcript that must be byte-identical on Linux and
 * on Bulkhead, so nothing printed may depend on the system: no pids, times,
 * addresses or inode numbers, and errors are printed by name ("ENOENT"),
 * never by number or by strerror() text (which differs between libcs).
 */
#ifndef POSIX_COMMON_H
#define POSIX_COMMON_H

#include <stddef.h>
#include <sys/types.h>

/* Name of an errno value, e.g. "ENOENT"; "E?<n>" for ones we do not list. */
const char *errname(int e);

/* "ok" if rc >= 0, else the name of errno: for printing a call's outcome. */
const char *res(long rc);

/* Name of a signal, e.g. "SIGSEGV". */
const char *signame(int sig);

/* Describe a wait status: "exit 3", "signal SIGKILL", "stopped SIGSTOP". */
const char *wstatus(int status);

/*
 * Line-buffer stdout (one write per line, so nothing is duplicated by fork
 * or lost by _exit) and move into the scratch directory: argv[1] if given,
 * otherwise the current directory, which the runner made fresh for us.
 * Also turns core dumps off and resets signal dispositions and mask.
 */
void setup(int argc, char **argv);

/* Print a line and exit 1: for failures of the test's own scaffolding. */
void die(const char *what);

/* fork() that dies on failure; the child's output follows the parent's. */
pid_t xfork(void);

/* waitpid() that dies on failure and returns the status. */
int xwait(pid_t pid);

/* An address that is certainly not mapped: for EFAULT tests. */
void *bad_pointer(void);

/* Write a whole file, dying on failure. */
void put_file(const char *path, const char *text);

#endif
