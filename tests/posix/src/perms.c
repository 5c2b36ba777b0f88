/*
 * Permissions seen by an ordinary user: umask, chmod/fchmod, access(), and
 * the read/write/search bits on files and directories enforced on open,
 * create, unlink and lookup.
 *
 * Runs as any user. The checks that need an unprivileged user run in a
 * child, which drops to uid/gid 1000 first when started as root, so the
 * transcript is the same either way. Checks that need root are in
 * perms_root.c.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *mode(const char *path)
{
	static char buf[16];
	struct stat st;

	if (stat(path, &st) < 0)
		return errname(errno);
	snprintf(buf, sizeof(buf), "%04o", (unsigned)(st.st_mode & 07777));
	return buf;
}

static void masks(void)
{
	umask(022);
	printf("umask(077) returns the old mask %04o\n", (unsigned)umask(077));
	close(open("f077", O_CREAT | O_WRONLY, 0666));
	umask(022);
	close(open("f022", O_CREAT | O_WRONLY, 0666));
	close(open("f022x", O_CREAT | O_WRONLY, 0777));
	umask(027);
	mkdir("d027", 0777);
	umask(0);
	close(open("f000", O_CREAT | O_WRONLY, 0666));
	printf("created 0666 under umask 077: %s\n", mode("f077"));
	printf("created 0666 under umask 022: %s\n", mode("f022"));
	printf("created 0777 under umask 022: %s\n", mode("f022x"));
	printf("mkdir 0777 under umask 027: %s\n", mode("d027"));
	printf("created 0666 under umask 000: %s\n", mode("f000"));
	umask(077);
	printf("chmod 0777 ignores the umask: %s, ", res(chmod("f022", 0777)));
	printf("%s\n", mode("f022"));
	int fd = open("f022", O_CREAT | O_WRONLY, 0600);
	printf("O_CREAT on an existing file keeps its mode: %s\n", mode("f022"));
	printf("fchmod 0640: %s, ", res(fchmod(fd, 0640)));
	printf("%s\n", mode("f022"));
	close(fd);
	printf("chmod 01777 on a dir: %s, ", res(chmod("d027", 01777)));
	printf("%s\n", mode("d027"));
	printf("chmod missing: %s\n", res(chmod("missing", 0644)));
	umask(022);
}

static void try_open(const char *what, const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	printf("%s: %s\n", what, res(fd));
	if (fd >= 0)
		close(fd);
}

static void as_user(void)
{
	/* Our own files: the owner bits apply to us, no override. */
	put_file("mine", "secret");
	chmod("mine", 0);
	try_open("open 0000 file for reading", "mine", O_RDONLY);
	try_open("open 0000 file for writing", "mine", O_WRONLY);
	printf("access F_OK: %s\n", res(access("mine", F_OK)));
	printf("access R_OK: %s\n", res(access("mine", R_OK)));
	chmod("mine", 0200);
	try_open("open 0200 file for writing", "mine", O_WRONLY);
	try_open("open 0200 file for reading", "mine", O_RDONLY);
	printf("access W_OK: %s, ", res(access("mine", W_OK)));
	printf("R_OK|W_OK: %s\n", res(access("mine", R_OK | W_OK)));
	chmod("mine", 0644);
	printf("access X_OK on 0644: %s\n", res(access("mine", X_OK)));
	chmod("mine", 0700);
	printf("access X_OK on 0700: %s\n", res(access("mine", X_OK)));
	chmod("mine", 0070);
	printf("owner without rights on 0070 (group bits not consulted): %s\n",
	    res(access("mine", R_OK)));

	mkdir("dir", 0755);
	put_file("dir/f", "f");
	chmod("dir", 0644);	/* no search bit */
	try_open("open dir/f without search on dir", "dir/f", O_RDONLY);
	printf("stat dir/f: %s\n", mode("dir/f"));
	chmod("dir", 0555);	/* search and read, no write */
	try_open("open dir/f with search only", "dir/f", O_RDONLY);
	try_open("create in a read-only dir", "dir/new", O_WRONLY | O_CREAT);
	printf("unlink in a read-only dir: %s\n", res(unlink("dir/f")));
	printf("mkdir in a read-only dir: %s\n", res(mkdir("dir/sub", 0755)));
	chmod("dir", 0311);	/* write and search, no read */
	try_open("open a dir without read for listing", "dir",
	    O_RDONLY | O_DIRECTORY);
	try_open("open a known name inside it", "dir/f", O_RDONLY);
	printf("unlink inside it: %s\n", res(unlink("dir/f")));
	chmod("dir", 0755);
	printf("rmdir: %s\n", res(rmdir("dir")));
	printf("setuid(0) as a user: %s\n", res(setuid(0)));
}

int main(int argc, char **argv)
{
	setup(argc, argv);
	masks();

	/* A world-writable directory the unprivileged child works in. */
	mkdir("u", 0777);
	chmod("u", 0777);
	pid_t pid = xfork();
	if (pid == 0) {
		if (chdir("u") < 0)
			die("chdir u");
		if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(1000) < 0 ||
		    setuid(1000) < 0))
			die("dropping root");
		printf("running as an unprivileged user: %s\n",
		    geteuid() != 0 && getuid() != 0 ? "yes" : "no");
		as_user();
		_exit(0);
	}
	printf("user child: %s\n", wstatus(xwait(pid)));
	return 0;
}
