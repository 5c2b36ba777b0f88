/*
 * libFuzzer target: the manifest parser of tools/mkimage, which #included
 * here with its main renamed (-Dmain=mkimage_main). Each input is one
 * manifest, written to a temporary file and given to
 * `mkimage --verify MANIFEST`; mkimage reports errors by exit(1) through
 * die(), so exit is redirected (-Dexit=fuzz_exit) to a longjmp back here.
 * mkimage keeps its parsed services in static arrays, which are cleared
 * between inputs.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static jmp_buf fuzz_back;
static void __attribute__((noreturn)) fuzz_exit(int code)
{
	longjmp(fuzz_back, code + 1);
}

#define exit fuzz_exit
#define main mkimage_main
#include "../../tools/mkimage.c"
#undef main
#undef exit

static char path[64];
static unsigned char open_at_start[1024];	/* fds open before any input */

/* die() leaves the manifest's FILE open; close what an input left behind
 * so that a long run does not run out of descriptors. */
static void close_leaked(void)
{
	int fd;

	for (fd = 3; fd < 1024; fd++)
		if (!open_at_start[fd] && fcntl(fd, F_GETFD) >= 0)
			close(fd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc, (void)argv;
	snprintf(path, sizeof(path), "/tmp/fuzz_manifest.%d.svc", (int)getpid());
	if ((fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600)) >= 0)
		close(fd);
	for (fd = 0; fd < 1024; fd++)
		open_at_start[fd] = fcntl(fd, F_GETFD) >= 0;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[] = { "mkimage", "--verify", path, NULL };
	FILE *f = fopen(path, "wb");
	int saved = dup(2), devnull;

	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	memset(svcs, 0, sizeof(svcs));
	nsvcs = 0;
	out_path = NULL;
	nerrors = 0;
	ncontracts = 0;
	memset(syscall_owner, 0, sizeof(syscall_owner));
	memset(syscall_line, 0, sizeof(syscall_line));
	memset(syscall_file, 0, sizeof(syscall_file));
	devnull = open("/dev/null", O_WRONLY);
	dup2(devnull, 2);		/* mkimage's error messages */
	close(devnull);
	if (!setjmp(fuzz_back))
		mkimage_main(3, argv);
	dup2(saved, 2);
	close(saved);
	close_leaked();
	return 0;
}
