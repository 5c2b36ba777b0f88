/*
 * The line discipline, one for every terminal (struct tty): termios
 * canonical editing, echo, erase/kill, ^D, ^C/^\/^Z as signals to the
 * foreground process group, raw mode. Terminal signals wait in one queue
 * that VFS drains with TakeSignal and hands on to PM.
 *
 * Settings outlive the driver: every TCSETS* keeps the termios in DS
 * (5 keys of 8 bytes, "<name>.tio0".."tio4"), and a restarted driver
 * takes them back (tty_restore_settings), so raw mode, echo and the speed
 * bits survive a restart (docs/recovery.md, "Terminal").
 */
#include "tty.h"
#include "../../servers/ds/dsc.h"

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

#define SIGINT	2
#define SIGQUIT	3
#define SIGTSTP	20

#define TIO_KEYS	5	/* 5 x 8 bytes hold the 36 of a termios */

static struct { int32_t pgrp, signo; } sigs[16];
static int nsigs;

static const struct termios default_tio = {
	.c_iflag = ICRNL,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = 0000277 | 0010000,	/* B38400-ish, CS8, CREAD, HUPCL */
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL,
	.c_cc = { [VINTR] = 3, [VQUIT] = 0x1c, [VERASE] = 0x7f, [VKILL] = 0x15,
		  [VEOF] = 4, [VTIME] = 0, [VMIN] = 1, [VSUSP] = 0x1a },
};

void tty_init(struct tty *t, const char *name, void (*emit)(uint8_t), uint16_t rows,
    uint16_t cols)
{
	t->name = name;
	t->emit = emit;
	t->tio = default_tio;
	t->ws.ws_row = rows;
	t->ws.ws_col = cols;
}

static void tio_key(char *key, const struct tty *t, int i)
{
	snprintf(key, 32, "%s.tio%d", t->name, i);
}

/* Keep t's termios in DS; a driver without DS (a test image) keeps none. */
static void save_settings(const struct tty *t)
{
	uint64_t v[TIO_KEYS] = { 0 };
	char key[32];
	int i, r;

	memcpy(v, &t->tio, sizeof(t->tio));
	for (i = 0; i < TIO_KEYS; i++) {
		tio_key(key, t, i);
		if ((r = dsc_store(key, v[i])) < 0) {
			if (r != -EDEADSRCDST && dsc_server() >= 0)
				printf("tty: cannot keep %s in DS (%d)\n", key, r);
			return;
		}
	}
}

/* Take back the termios a predecessor kept in DS, if it kept one. */
void tty_restore_settings(struct tty *t)
{
	uint64_t v[TIO_KEYS];
	char key[32];
	int i;

	if (dsc_server() < 0)
		return;
	for (i = 0; i < TIO_KEYS; i++) {
		tio_key(key, t, i);
		if (dsc_lookup(key, &v[i], NULL) < 0)
			return;		/* first start: the defaults stay */
	}
	memcpy(&t->tio, v, sizeof(t->tio));
	printf("tty: %s settings restored (lflag %x)\n", t->name, t->tio.c_lflag);
}

/* One byte out, with output processing (OPOST, ONLCR). */
void tty_output(struct tty *t, uint8_t c)
{
	if ((t->tio.c_oflag & OPOST) && (t->tio.c_oflag & ONLCR) && c == '\n')
		t->emit('\r');
	t->emit(c);
}

static void echo_char(struct tty *t, uint8_t c)
{
	if (!(t->tio.c_lflag & ECHO)) {
		if (c == '\n' && (t->tio.c_lflag & ECHONL) && (t->tio.c_lflag & ICANON))
			tty_output(t, c);
		return;
	}
	if ((t->tio.c_lflag & ECHOCTL) && c < 32 && c != '\n' && c != '\t') {
		tty_output(t, '^');
		tty_output(t, (uint8_t)(c + '@'));
		return;
	}
	tty_output(t, c);
}

static void rub_out(struct tty *t)
{
	tty_output(t, '\b');
	tty_output(t, ' ');
	tty_output(t, '\b');
}

static void flush_input(struct tty *t)
{
	t->line_len = 0;
	t->q_len = t->q_head = t->q_lines = 0;
}

static void q_push(struct tty *t, uint16_t c)
{
	if (t->q_len == TTY_QSIZE)
		return;		/* full: drop, as a UART overrun would */
	t->q[(t->q_head + t->q_len) % TTY_QSIZE] = c;
	t->q_len++;
	if (c == '\n' || c == EOF_MARK || c == t->tio.c_cc[VEOL])
		t->q_lines++;
}

/* The edited line becomes readable. */
static void line_done(struct tty *t)
{
	size_t i;

	for (i = 0; i < t->line_len; i++)
		q_push(t, t->line[i]);
	t->line_len = 0;
}

static void raise_signal(struct tty *t, int signo)
{
	if (nsigs < 16 && t->fg_pgrp > 0) {
		sigs[nsigs].pgrp = t->fg_pgrp;
		sigs[nsigs].signo = signo;
		nsigs++;
	}
	flush_input(t);		/* a signal flushes pending input */
}

/* One received byte through the line discipline. */
void tty_input(struct tty *t, uint8_t c)
{
	const struct termios *tio = &t->tio;

	if (c == '\r' && (tio->c_iflag & IGNCR))
		return;
	if (c == '\r' && (tio->c_iflag & ICRNL))
		c = '\n';
	else if (c == '\n' && (tio->c_iflag & INLCR))
		c = '\r';
	if (tio->c_lflag & ISIG) {
		int sig = c == tio->c_cc[VINTR] ? SIGINT : c == tio->c_cc[VQUIT] ? SIGQUIT :
		    c == tio->c_cc[VSUSP] ? SIGTSTP : 0;
		if (sig) {
			echo_char(t, c);
			if (tio->c_lflag & ECHO)
				tty_output(t, '\n');
			raise_signal(t, sig);
			return;
		}
	}
	if (!(tio->c_lflag & ICANON)) {
		q_push(t, c);
		echo_char(t, c);
		return;
	}
	if (c == tio->c_cc[VERASE] || c == '\b') {
		if (t->line_len) {
			t->line_len--;
			if ((tio->c_lflag & ECHO) && (tio->c_lflag & ECHOE))
				rub_out(t);
		}
		return;
	}
	if (c == tio->c_cc[VKILL]) {
		while (t->line_len) {
			t->line_len--;
			if ((tio->c_lflag & ECHO) && (tio->c_lflag & ECHOK))
				rub_out(t);
		}
		return;
	}
	if (c == tio->c_cc[VEOF]) {
		if (t->line_len == 0)
			q_push(t, EOF_MARK);
		else
			t->q_lines++;	/* the partial line is complete */
		line_done(t);
		return;
	}
	if (t->line_len < sizeof(t->line) - 1)
		t->line[t->line_len++] = c;
	echo_char(t, c);
	if (c == '\n' || (tio->c_cc[VEOL] && c == tio->c_cc[VEOL]))
		line_done(t);
}

/* 1 if a byte's arrival needs no action (no editing, echo or signal):
 * the device may then keep input until a reader takes it. */
int tty_input_deferrable(const struct tty *t)
{
	return !(t->tio.c_lflag & (ICANON | ECHO | ISIG));
}

int tty_readable(const struct tty *t)
{
	return (t->tio.c_lflag & ICANON) ? t->q_lines > 0 : t->q_len > 0;
}

/* Take up to r->len bytes for a reader (one line at most when canonical).
 * Bytes leave the queue only once copied to the reader: a failed copy
 * leaves them for the next read, and none is ever handed out twice. */
int64_t tty_read(struct tty *t, const struct chardriver_req *r)
{
	uint8_t buf[256];
	size_t n = 0, total = 0, taken = 0;
	int line_end = 0;

	if (!tty_readable(t))
		return -EAGAIN;
	if (t->q[t->q_head] == EOF_MARK) {
		t->q_head = (t->q_head + 1) % TTY_QSIZE;
		t->q_len--;
		t->q_lines--;
		return 0;
	}
	while (total < r->len && !line_end) {
		/* gather a chunk without taking it yet */
		for (n = 0, taken = 0; n < sizeof(buf) && total + n < r->len && taken < t->q_len;) {
			uint16_t c = t->q[(t->q_head + taken) % TTY_QSIZE];
			if (c == EOF_MARK)
				break;
			buf[n++] = (uint8_t)c;
			taken++;
			if ((t->tio.c_lflag & ICANON) &&
			    (c == '\n' || (t->tio.c_cc[VEOL] && c == t->tio.c_cc[VEOL]))) {
				line_end = 1;
				break;
			}
		}
		if (!n)
			break;
		if (chardriver_copy(r, 1, total, buf, n) < 0)
			return total ? (int64_t)total : -EFAULT;
		t->q_head = (t->q_head + taken) % TTY_QSIZE;
		t->q_len -= taken;
		if (line_end)
			t->q_lines--;
		total += n;
		if (n < sizeof(buf))
			break;
	}
	return (int64_t)total;
}

int64_t tty_write(struct tty *t, const struct chardriver_req *r)
{
	uint8_t buf[256];
	size_t done = 0;

	while (done < r->len) {
		size_t n = r->len - done > sizeof(buf) ? sizeof(buf) : r->len - done;
		size_t i;
		if (chardriver_copy(r, 0, done, buf, n) < 0)
			return done ? (int64_t)done : -EFAULT;
		for (i = 0; i < n; i++)
			tty_output(t, buf[i]);
		done += n;
	}
	return (int64_t)done;
}

static int64_t copy_out(const struct chardriver_req *r, const void *p, size_t n)
{
	return chardriver_copy(r, 1, 0, (void *)p, n) < 0 ? -EFAULT : 0;
}

static int64_t copy_in(const struct chardriver_req *r, void *p, size_t n)
{
	return chardriver_copy(r, 0, 0, p, n) < 0 ? -EFAULT : 0;
}

int64_t tty_ioctl(struct tty *t, const struct chardriver_req *r)
{
	struct termios tio;
	int32_t v;
	int64_t e;

	switch (r->request) {
	case TCGETS:
		return copy_out(r, &t->tio, sizeof(t->tio));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if ((e = copy_in(r, &tio, sizeof(tio))) < 0)
			return e;
		if (r->request == TCSETSF)
			flush_input(t);
		/* leaving canonical mode hands the half-edited line to readers */
		if ((t->tio.c_lflag & ICANON) && !(tio.c_lflag & ICANON))
			line_done(t);
		if (memcmp(&t->tio, &tio, sizeof(tio))) {
			t->tio = tio;
			save_settings(t);
		}
		return 0;
	case TIOCGWINSZ:
		return copy_out(r, &t->ws, sizeof(t->ws));
	case TIOCSWINSZ:
		return copy_in(r, &t->ws, sizeof(t->ws));
	case TIOCGPGRP:
	case TIOCGSID:
		v = t->fg_pgrp;
		return copy_out(r, &v, sizeof(v));
	case TIOCSPGRP:
		if ((e = copy_in(r, &v, sizeof(v))) < 0)
			return e;
		if (v <= 0)
			return -EINVAL;
		t->fg_pgrp = v;
		return 0;
	case TIOCSCTTY:
		if (r->pgrp > 0 && !t->fg_pgrp)
			t->fg_pgrp = r->pgrp;
		return 0;
	case TIOCNOTTY:
	case TCSBRK:
	case TCXONC:
		return 0;
	case TCFLSH:
		if (r->addr == 0 || r->addr == 2)
			flush_input(t);
		return 0;
	case FIONREAD:
		v = (int32_t)t->q_len;
		return copy_out(r, &v, sizeof(v));
	}
	return -ENOTTY;
}

int tty_take_signal(int32_t *pgrp, int32_t *signo)
{
	if (!nsigs)
		return -EAGAIN;
	*pgrp = sigs[0].pgrp;
	*signo = sigs[0].signo;
	memmove(sigs, sigs + 1, sizeof(sigs[0]) * (size_t)--nsigs);
	return 0;
}

int tty_signals_pending(void)
{
	return nsigs;
}
