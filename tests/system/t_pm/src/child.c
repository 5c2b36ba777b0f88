/*
 * The program the PM test execs: it checks the initial stack PM built
 * (argv, envp, auxv) and its identity, prints ok lines, and exits 0 only
 * if every check held.
 */
#include <stdlib.h>
#include <sys/auxv.h>
#include <elf.h>
#include "lt.h"

extern char _start[];
extern const Elf64_Ehdr __ehdr_start;

int main(int argc, char **argv, char **envp)
{
	const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
	const char *fn = (const char *)getauxval(AT_EXECFN);
	int i, nz = 0, envc = 0;

	for (i = 0; envp[i]; i++)
		envc++;
	check("pm_exec_argc", argc == 4, argc);
	check("pm_exec_argv", argc == 4 && !strcmp(argv[0], "pmt_child") &&
	    !strcmp(argv[1], "alpha") && !strcmp(argv[2], "beta") && argv[4] == NULL, argc);
	check("pm_exec_envp", envc == 2 && getenv("PMT_A") && !strcmp(getenv("PMT_A"), "1") &&
	    getenv("PMT_B") && !strcmp(getenv("PMT_B"), "two"), envc);
	check("pm_exec_auxv_pagesz", getauxval(AT_PAGESZ) == 4096, (long)getauxval(AT_PAGESZ));
	check("pm_exec_auxv_entry", getauxval(AT_ENTRY) == (unsigned long)_start, (long)getauxval(AT_ENTRY));
	check("pm_exec_auxv_phdr", getauxval(AT_PHDR) ==
	    (unsigned long)&__ehdr_start + __ehdr_start.e_phoff, (long)getauxval(AT_PHDR));
	check("pm_exec_auxv_phnum", getauxval(AT_PHNUM) == __ehdr_start.e_phnum, (long)getauxval(AT_PHNUM));
	for (i = 0; rnd && i < 16; i++)
		nz |= rnd[i];
	check("pm_exec_auxv_random", rnd && nz, (long)rnd);
	check("pm_exec_auxv_execfn", fn && !strcmp(fn, "/bin/pmt_child"), (long)fn);
	check("pm_exec_auxv_ids", getauxval(AT_UID) == 0 && getauxval(AT_EGID) == 0 &&
	    getauxval(AT_CLKTCK) == 100, (long)getauxval(AT_UID));
	check("pm_exec_keeps_pid", argc == 4 && getpid() == atoi(argv[3]), getpid());
	check("pm_exec_keeps_parent", getppid() == 1, getppid());
	return failed ? 1 : 0;
}
