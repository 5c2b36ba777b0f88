/*
 * Entry of the VFS test programs: boot services get no argc/argv/auxv
 * stack, so give musl an empty one (argv[0] only, no environment, no
 * auxiliary vector) and start it the usual way.
 */
int main(int, char **, char **);
int __libc_start_main(int (*)(int, char **, char **), int, char **,
    void (*)(void), void (*)(void), void (*)(void));

static char name[] = "vfs_t";
static char *stack[] = { name, 0, 0, 0, 0 };	/* argv, NULL, envp NULL, AT_NULL */

void _start_c(void)
{
	__libc_start_main(main, 1, stack, 0, 0, 0);
}

__asm__(".globl _start\n_start:\n\txor %rbp, %rbp\n\tand $-16, %rsp\n\tcall _start_c\n\thlt\n");
