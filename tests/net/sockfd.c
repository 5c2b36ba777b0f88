/*
 * Sockets are descriptors (docs/network.md): over TCP on the loopback,
 * every descriptor operation VFS owns works on a socket. One `pass NAME`
 * or `FAIL NAME: why` line per check (tests/net/net.cases: not ok/ok,
 * which a substring match could confuse); exit status 1 if any failed.
 * Static musl, run from the shell.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;	/* checks that failed */

static void check(int ok, const char *name, const char *why)
{
	if (ok) {
		printf("pass %s\n", name);
	} else {
		printf("FAIL %s: %s (errno %d)\n", name, why, errno);
		failed++;
	}
}

int main(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7777) };
	socklen_t al = sizeof(a);
	struct pollfd pf;
	struct stat st;
	struct timeval tv = { 0, 300000 };
	char buf[64];
	fd_set rs;
	int l, c, s, d, one = 1, n;
	pid_t pid;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	check(l >= 3, "sockfd_socket_is_small_descriptor", "socket() did not give a descriptor");
	check(fcntl(l, F_GETFD) == FD_CLOEXEC, "sockfd_sock_cloexec", "SOCK_CLOEXEC not set");
	check(fstat(l, &st) == 0 && S_ISSOCK(st.st_mode), "sockfd_fstat_is_socket", "fstat");
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	check(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 4) == 0,
	    "sockfd_bind_listen", "bind/listen");
	check(lseek(l, 0, SEEK_SET) < 0 && errno == ESPIPE, "sockfd_lseek_espipe", "lseek");

	/* a non-blocking connect, completed through poll */
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	n = connect(c, (struct sockaddr *)&a, sizeof(a));
	check(n == 0 || errno == EINPROGRESS, "sockfd_nonblocking_connect", "connect");
	pf.fd = c;
	pf.events = POLLOUT;
	check(poll(&pf, 1, 5000) == 1 && (pf.revents & POLLOUT), "sockfd_poll_connected",
	    "poll for POLLOUT");
	FD_ZERO(&rs);
	FD_SET(l, &rs);
	check(select(l + 1, &rs, NULL, NULL, NULL) == 1 && FD_ISSET(l, &rs),
	    "sockfd_select_listener_readable", "select");
	s = accept(l, (struct sockaddr *)&a, &al);
	check(s >= 0 && al == sizeof(a) && a.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	    "sockfd_accept_peer_address", "accept");

	/* read and write are recv and send */
	check(write(c, "hello", 5) == 5, "sockfd_write", "write");
	memset(buf, 0, sizeof(buf));
	check(read(s, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5), "sockfd_read", "read");

	/* O_NONBLOCK through fcntl: an empty socket says EAGAIN */
	fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
	check(read(s, buf, sizeof(buf)) < 0 && errno == EAGAIN, "sockfd_fcntl_nonblock_eagain",
	    "read on an empty non-blocking socket");
	fcntl(s, F_SETFL, fcntl(s, F_GETFL) & ~O_NONBLOCK);

	/* SO_RCVTIMEO: a blocking read gives up with EAGAIN */
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	check(read(s, buf, sizeof(buf)) < 0 && errno == EAGAIN, "sockfd_rcvtimeo", "read with SO_RCVTIMEO");

	/* dup: the same socket under two numbers; closing one keeps it */
	d = dup(c);
	close(c);
	check(write(d, "dup", 3) == 3 && read(s, buf, sizeof(buf)) == 3 && !memcmp(buf, "dup", 3),
	    "sockfd_dup_then_close_original", "write through the dup");

	/* fork: the child inherits the socket and writes on it */
	pid = fork();
	if (pid == 0) {
		(void)!write(d, "child", 5);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	memset(buf, 0, sizeof(buf));
	check(read(s, buf, sizeof(buf)) == 5 && !memcmp(buf, "child", 5), "sockfd_fork_inherits",
	    "the child's bytes");

	/* the last close is the TCP close: the peer reads end of file */
	close(d);
	pf.fd = s;
	pf.events = POLLIN;
	check(poll(&pf, 1, 5000) == 1 && read(s, buf, sizeof(buf)) == 0, "sockfd_last_close_eof",
	    "end of file after the last close");
	close(s);
	close(l);
	check(read(l, buf, 1) < 0 && errno == EBADF, "sockfd_closed_ebadf", "read after close");
	printf("sockfd: %d failed\n", failed);
	return failed != 0;
}
