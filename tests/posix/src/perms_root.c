/*
 * Permissions that need root: root's overrides, chown, setuid dropping
 * privilege for good, and an unprivileged user meeting root's files.
 *
 * Not root: prints "SKIP: needs root" and exits 0, which run-all reports as
 * a skip on any system, so the outcome does not depend on who runs it.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *owner(const char *path)
{
	static char buf[48];
	struct stat st;

	if (stat(path, &st) < 0)
		return errname(errno);
	snprintf(buf, sizeof(buf), "%d:%d %04o", (int)st.st_uid, (int)st.st_gid,
	    (unsigned)(st.st_mode & 07777));
	return buf;
}

static void root_overrides(void)
{
	put_file("locked", "x");
	chmod("locked", 0);
	int fd = open("locked", O_RDWR);
	printf("root opens a 0000 file read-write: %s\n", res(fd));
	close(fd);
	printf("root access R_OK|W_OK on 0000: %s\n",
	    res(access("locked", R_OK | W_OK)));
	printf("root access X_OK on 0000: %s\n", res(access("locked", X_OK)));
	chmod("locked", 0001);
	printf("root access X_OK on 0001: %s\n", res(access("locked", X_OK)));

	put_file("given", "x");
	printf("chown to 1000:1000: %s, ", res(chown("given", 1000, 1000)));
	printf("%s\n", owner("given"));
	chmod("given", 04755);
	printf("chmod 04755: %s; ", owner("given"));
	printf("chown to 1000:1000 again: %s, ", res(chown("given", 1000, 1000)));
	printf("setuid bit cleared: %s\n", owner("given"));
	printf("lchown -1:-1 keeps both: %s, ", res(lchown("given", -1, -1)));
	printf("%s\n", owner("given"));
}

static void user_meets_root(pid_t root_pid)
{
	char buf[8];

	printf("uid %d euid %d gid %d\n", (int)getuid(), (int)geteuid(),
	    (int)getgid());
	printf("setuid(0) after dropping: %s\n", res(setuid(0)));
	printf("seteuid(0) after dropping: %s\n", res(seteuid(0)));
	int fd = open("rootfile", O_RDONLY);
	printf("read root's 0644 file: %s", res(fd));
	printf(", %d bytes\n", (int)read(fd, buf, sizeof(buf)));
	close(fd);
	printf("open it for writing: %s\n", res(open("rootfile", O_WRONLY)));
	printf("chmod it: %s\n", res(chmod("rootfile", 0666)));
	printf("chown it to us: %s\n", res(chown("rootfile", 1000, 1000)));
	printf("unlink it from a sticky dir: %s\n", res(unlink("rootfile")));
	printf("rename it in a sticky dir: %s\n",
	    res(rename("rootfile", "stolen")));
	put_file("ours", "x");
	printf("our new file is %s\n", owner("ours"));
	printf("chown our file to root: %s\n", res(chown("ours", 0, 0)));
	printf("unlink our own file from the sticky dir: %s\n",
	    res(unlink("ours")));
	printf("kill(root process, 0): %s\n", res(kill(root_pid, 0)));
	printf("kill(self, 0): %s\n", res(kill(getpid(), 0)));
}

int main(int argc, char **argv)
{
	setup(argc, argv);
	if (geteuid() != 0) {
		printf("SKIP: needs root\n");
		return 0;
	}
	umask(022);
	root_overrides();

	mkdir("shared", 0777);
	chmod("shared", 01777);	/* sticky: only owners may remove names */
	put_file("shared/rootfile", "root's");
	pid_t root_pid = getpid();
	pid_t pid = xfork();
	if (pid == 0) {
		if (chdir("shared") < 0 || setgroups(0, NULL) < 0 ||
		    setgid(1000) < 0 || setuid(1000) < 0)
			die("dropping root");
		user_meets_root(root_pid);
		_exit(0);
	}
	printf("user child: %s\n", wstatus(xwait(pid)));
	printf("rootfile still there: %s\n", owner("shared/rootfile"));
	return 0;
}
