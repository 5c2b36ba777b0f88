/*
 * tty: the console terminal on the 16550 UART COM1 (ports 0x3f8-0x3ff,
 * IRQ 4). Interrupt-driven input through a line discipline (termios:
 * canonical editing, echo, erase/kill, ^D, ^C/^\/^Z as signals to the
 * foreground process group, raw mode), polled output. It serves VFS over
 * contracts/chardev.contract, never blocks it (a read with nothing ready
 * fails with EAGAIN), and NOTIFYs VFS when input arrives; terminal signals
 * wait in a queue that VFS drains with TakeSignal and hands on to PM.
 * The kernel also writes its log to COM1 (polled): lines may interleave.
 */
#include "../../lib/sys/sys.h"
#include "../../lib/mini/mini.h"
#include <chardev.h>
#include "../../lib/driver/driver.h"

#define COM1		0x3f8
#define IRQ_COM1	4
#define UART_RBR	0	/* receive buffer (read) / transmit (write) */
#define UART_IER	1
#define UART_FCR	2
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DR		0x01
#define LSR_THRE	0x20

/* Linux termios (the kernel's struct termios, what TCGETS copies). */
#define NCCS	19
struct termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};
#define VINTR	0
#define VQUIT	1
#define VERASE	2
#define VKILL	3
#define VEOF	4
#define VTIME	5
#define VMIN	6
#define VSUSP	10
#define VEOL	11
#define ICRNL	0000400
#define IGNCR	0000200
#define INLCR	0000100
#define OPOST	0000001
#define ONLCR	0000004
#define ISIG	0000001
#define ICANON	0000002
#define ECHO	0000010
#define ECHOE	0000020
#define ECHOK	0000040
#define ECHONL	0000100
#define ECHOCTL	0001000

struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCSBRK		0x5409
#define TCXONC		0x540A
#define TCFLSH		0x540B
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541B
#define TIOCNOTTY	0x5422
#define TIOCGSID	0x5429

#define POLLIN		0x001
#define POLLOUT		0x004
#define POLLRDNORM	0x040
#define POLLWRNORM	0x100

#define SIGINT	2
#define SIGQUIT	3
#define SIGTSTP	20

static struct termios tio = {
	.c_iflag = ICRNL,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = 0000277 | 0010000,	/* B38400-ish, CS8, CREAD, HUPCL */
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL,
	.c_cc = { [VINTR] = 3, [VQUIT] = 0x1c, [VERASE] = 0x7f, [VKILL] = 0x15,
		  [VEOF] = 4, [VTIME] = 0, [VMIN] = 1, [VSUSP] = 0x1a },
};
static struct winsize ws = { 24, 80, 0, 0 };
static int32_t fg_pgrp;		/* foreground process group (TIOCSPGRP) */

/* Input: the line being edited, then the cooked queue readers take from.
 * An EOF mark (^D) is a slot with value EOF_MARK. */
#define QSIZE		4096
#define EOF_MARK	0x100
static uint8_t line[QSIZE];
static size_t line_len;
static uint16_t q[QSIZE];
static size_t q_head, q_len, q_lines;	/* q_lines: complete lines or EOF marks */

static struct { int32_t pgrp, signo; } sigs[16];
static int nsigs;

static struct contract_monitor mon;
static endpoint_t vfs_ep = -1;

static void uart_out(uint8_t c)
{
	int spin = 100000;

	while (!(sys_devio(DEVIO_IN8, COM1 + UART_LSR, 0) & LSR_THRE) && --spin)
		;
	sys_devio(DEVIO_OUT8, COM1 + UART_RBR, c);
}

static void out_char(uint8_t c)
{
	if ((tio.c_oflag & OPOST) && (tio.c_oflag & ONLCR) && c == '\n')
		uart_out('\r');
	uart_out(c);
}

static void echo_char(uint8_t c)
{
	if (!(tio.c_lflag & ECHO)) {
		if (c == '\n' && (tio.c_lflag & ECHONL) && (tio.c_lflag & ICANON))
			out_char(c);
		return;
	}
	if ((tio.c_lflag & ECHOCTL) && c < 32 && c != '\n' && c != '\t') {
		out_char('^');
		out_char((uint8_t)(c + '@'));
		return;
	}
	out_char(c);
}

static void q_push(uint16_t c)
{
	if (q_len == QSIZE)
		return;		/* full: drop, as a UART overrun would */
	q[(q_head + q_len) % QSIZE] = c;
	q_len++;
	if (c == '\n' || c == EOF_MARK || c == tio.c_cc[VEOL])
		q_lines++;
}

static void raise_signal(int signo)
{
	if (nsigs < 16 && fg_pgrp > 0) {
		sigs[nsigs].pgrp = fg_pgrp;
		sigs[nsigs].signo = signo;
		nsigs++;
	}
	line_len = 0;		/* a signal flushes pending input */
	q_len = q_head = q_lines = 0;
}

/* One received byte through the line discipline. */
static void input(uint8_t c)
{
	if (c == '\r' && (tio.c_iflag & IGNCR))
		return;
	if (c == '\r' && (tio.c_iflag & ICRNL))
		c = '\n';
	else if (c == '\n' && (tio.c_iflag & INLCR))
		c = '\r';
	if (tio.c_lflag & ISIG) {
		int sig = c == tio.c_cc[VINTR] ? SIGINT : c == tio.c_cc[VQUIT] ? SIGQUIT :
		    c == tio.c_cc[VSUSP] ? SIGTSTP : 0;
		if (sig) {
			echo_char(c);
			if (tio.c_lflag & ECHO)
				out_char('\n');
			raise_signal(sig);
			return;
		}
	}
	if (!(tio.c_lflag & ICANON)) {
		q_push(c);
		echo_char(c);
		return;
	}
	if (c == tio.c_cc[VERASE] || c == '\b') {
		if (line_len) {
			line_len--;
			if ((tio.c_lflag & ECHO) && (tio.c_lflag & ECHOE)) {
				out_char('\b');
				out_char(' ');
				out_char('\b');
			}
		}
		return;
	}
	if (c == tio.c_cc[VKILL]) {
		while (line_len) {
			line_len--;
			if ((tio.c_lflag & ECHO) && (tio.c_lflag & ECHOK)) {
				out_char('\b');
				out_char(' ');
				out_char('\b');
			}
		}
		return;
	}
	if (c == tio.c_cc[VEOF]) {
		size_t i;
		for (i = 0; i < line_len; i++)
			q_push(line[i]);
		if (line_len == 0)
			q_push(EOF_MARK);
		else
			q_lines++;	/* the partial line is complete */
		line_len = 0;
		return;
	}
	if (line_len < sizeof(line) - 1)
		line[line_len++] = c;
	echo_char(c);
	if (c == '\n' || (tio.c_cc[VEOL] && c == tio.c_cc[VEOL])) {
		size_t i;
		for (i = 0; i < line_len; i++)
			q_push(line[i]);
		line_len = 0;
	}
}

static int readable(void)
{
	return (tio.c_lflag & ICANON) ? q_lines > 0 : q_len > 0;
}

/* Take up to len bytes for a reader (one line at most when canonical). */
static long do_read(struct chardev_Read *a)
{
	uint8_t buf[256];
	size_t n = 0, total = 0;

	if (!readable())
		return -EAGAIN;
	if (q[q_head] == EOF_MARK) {
		q_head = (q_head + 1) % QSIZE;
		q_len--;
		q_lines--;
		return 0;
	}
	while (total + n < a->len && q_len) {
		uint16_t c = q[q_head];
		if (c == EOF_MARK)
			break;
		q_head = (q_head + 1) % QSIZE;
		q_len--;
		buf[n++] = (uint8_t)c;
		if (n == sizeof(buf) || !q_len || total + n == a->len) {
			if (sys_vcopy(SELF, (uint64_t)buf, a->ep, a->addr + total, n) < 0)
				return total ? (long)total : -EFAULT;
			total += n;
			n = 0;
		}
		if ((tio.c_lflag & ICANON) && (c == '\n' || (tio.c_cc[VEOL] && c == tio.c_cc[VEOL]))) {
			q_lines--;
			break;
		}
	}
	if (n) {
		if (sys_vcopy(SELF, (uint64_t)buf, a->ep, a->addr + total, n) < 0)
			return total ? (long)total : -EFAULT;
		total += n;
	}
	return (long)total;
}

static long do_write(struct chardev_Write *a)
{
	uint8_t buf[256];
	size_t done = 0;

	while (done < a->len) {
		size_t n = a->len - done > sizeof(buf) ? sizeof(buf) : a->len - done;
		size_t i;
		if (sys_vcopy(a->ep, a->addr + done, SELF, (uint64_t)buf, n) < 0)
			return done ? (long)done : -EFAULT;
		for (i = 0; i < n; i++)
			out_char(buf[i]);
		done += n;
	}
	return (long)done;
}

static long copy_to(endpoint_t ep, uint64_t addr, const void *p, size_t n)
{
	return sys_vcopy(SELF, (uint64_t)p, ep, addr, n) < 0 ? -EFAULT : 0;
}

static long copy_from(endpoint_t ep, uint64_t addr, void *p, size_t n)
{
	return sys_vcopy(ep, addr, SELF, (uint64_t)p, n) < 0 ? -EFAULT : 0;
}

static long do_ioctl(struct chardev_Ioctl *a)
{
	struct termios t;
	int32_t v;
	long r;

	switch (a->request) {
	case TCGETS:
		return copy_to(a->ep, a->arg, &tio, sizeof(tio));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if ((r = copy_from(a->ep, a->arg, &t, sizeof(t))) < 0)
			return r;
		if (a->request == TCSETSF)
			q_len = q_head = q_lines = line_len = 0;
		/* leaving canonical mode hands the half-edited line to readers */
		if ((tio.c_lflag & ICANON) && !(t.c_lflag & ICANON)) {
			size_t i;
			for (i = 0; i < line_len; i++)
				q_push(line[i]);
			line_len = 0;
		}
		tio = t;
		return 0;
	case TIOCGWINSZ:
		return copy_to(a->ep, a->arg, &ws, sizeof(ws));
	case TIOCSWINSZ:
		return copy_from(a->ep, a->arg, &ws, sizeof(ws));
	case TIOCGPGRP:
	case TIOCGSID:
		v = fg_pgrp;
		return copy_to(a->ep, a->arg, &v, sizeof(v));
	case TIOCSPGRP:
		if ((r = copy_from(a->ep, a->arg, &v, sizeof(v))) < 0)
			return r;
		if (v <= 0)
			return -EINVAL;
		fg_pgrp = v;
		return 0;
	case TIOCSCTTY:
		if (a->pgrp > 0 && !fg_pgrp)
			fg_pgrp = a->pgrp;
		return 0;
	case TIOCNOTTY:
	case TCSBRK:
	case TCXONC:
		return 0;
	case TCFLSH:
		if (a->arg == 0 || a->arg == 2)
			q_len = q_head = q_lines = line_len = 0;
		return 0;
	case FIONREAD:
		v = (int32_t)q_len;
		return copy_to(a->ep, a->arg, &v, sizeof(v));
	}
	return -ENOTTY;
}

static void uart_init(void)
{
	sys_devio(DEVIO_OUT8, COM1 + UART_FCR, 0x07);	/* FIFO on, cleared */
	sys_devio(DEVIO_OUT8, COM1 + UART_MCR, 0x0b);	/* DTR, RTS, OUT2 (IRQ gate) */
	sys_devio(DEVIO_OUT8, COM1 + UART_IER, 0x01);	/* interrupt on received data */
}

static void uart_irq(void)
{
	int got = 0, n = 0;

	while ((sys_devio(DEVIO_IN8, COM1 + UART_LSR, 0) & LSR_DR) && n++ < 256) {
		input((uint8_t)sys_devio(DEVIO_IN8, COM1 + UART_RBR, 0));
		got = 1;
	}
	sys_irqctl(IRQ_ENABLE, IRQ_COM1);
	if ((got || nsigs) && vfs_ep >= 0)
		ipc_notify(vfs_ep);
}

static void log_line(const char *s)
{
	printf("tty: %s\n", s);
}

int main(void)
{
	struct chardev_msg m;
	message_t raw;
	long r;

	contract_log_hook = log_line;
	chardev_monitor_init(&mon, CONTRACT_SERVER);
	vfs_ep = lookup_endpoint("vfs");
	if ((r = sys_irqctl(IRQ_ATTACH, IRQ_COM1)) < 0)
		printf("tty: cannot attach IRQ %d (%ld)\n", IRQ_COM1, r);
	uart_init();
	sys_irqctl(IRQ_ENABLE, IRQ_COM1);
	for (;;) {
		if (ipc_receive(ANY, &raw) < 0)
			continue;
		if (raw.type == MSG_NOTIFY) {
			if (raw.source == HARDWARE)
				uart_irq();
			else
				(void)driver_heartbeat(&raw);	/* RS's ping */
			continue;
		}
		if (chardev_accept(&mon, &raw, &m) < 0)
			continue;
		switch (m.type) {
		case CHARDEV_READ:
			r = do_read(&m.u.Read);
			break;
		case CHARDEV_WRITE:
			r = do_write(&m.u.Write);
			break;
		case CHARDEV_IOCTL:
			r = do_ioctl(&m.u.Ioctl);
			break;
		case CHARDEV_POLL:
			r = POLLOUT | POLLWRNORM | (readable() ? POLLIN | POLLRDNORM : 0);
			break;
		case CHARDEV_TAKESIGNAL:
			if (!nsigs) {
				r = -EAGAIN;
				break;
			}
			chardev_reply_Signal(&mon, m.peer, sigs[0].pgrp, sigs[0].signo);
			memmove(sigs, sigs + 1, sizeof(sigs[0]) * (size_t)--nsigs);
			continue;
		default:
			r = -ENOSYS;
		}
		if (r < 0)
			chardev_reply_Fail(&mon, m.peer, (int)r);
		else
			chardev_reply_Ok(&mon, m.peer, r);
	}
}
