/*
 * The display console's keyboard: PS/2 through the i8042 controller
 * (data 0x60, status and command 0x64, IRQ 1). The controller translates
 * the keyboard's codes to scan code set 1, which this file turns into
 * characters: shift, ctrl, alt (ESC prefix) and caps lock; the arrows and
 * editing keys become the VT100 sequences a shell's line editor reads.
 * Together with the VGA screen (vga.c) this is the terminal vga_tty,
 * /dev/tty1, with the same line discipline as the serial line.
 */
#include "tty.h"

#define KBD_DATA	0x60
#define KBD_STATUS	0x64	/* read: status; write: command */
#define ST_OUT_FULL	0x01
#define ST_IN_FULL	0x02
#define ST_AUX		0x20	/* the byte is the mouse's */
#define CMD_READ_CFG	0x20
#define CMD_WRITE_CFG	0x60
#define CFG_KBD_IRQ	0x01
#define CFG_KBD_OFF	0x10
#define CFG_TRANSLATE	0x40

#define SC_LCTRL	0x1d
#define SC_LSHIFT	0x2a
#define SC_RSHIFT	0x36
#define SC_LALT		0x38
#define SC_CAPS		0x3a
#define SC_RELEASE	0x80

struct tty vga_tty;

static const char plain[0x54] =
	"\0\0331234567890-=\177\tqwertyuiop[]\r\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 "
	"\0\0\0\0\0\0\0\0\0\0\0\0\0" "789-456+1230.";
static const char shifted[0x54] =
	"\0\033!@#$%^&*()_+\177\tQWERTYUIOP{}\r\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 "
	"\0\0\0\0\0\0\0\0\0\0\0\0\0" "789-456+1230.";

static int shift, ctrl, alt, caps, prefix;

static void key_chars(const char *s)
{
	while (*s)
		tty_input(&vga_tty, (uint8_t)*s++);
}

/* A key after the 0xe0 prefix: the grey keys. */
static void extended_key(uint8_t code)
{
	switch (code) {
	case 0x48: key_chars("\033[A"); break;	/* up */
	case 0x50: key_chars("\033[B"); break;	/* down */
	case 0x4d: key_chars("\033[C"); break;	/* right */
	case 0x4b: key_chars("\033[D"); break;	/* left */
	case 0x47: key_chars("\033[H"); break;	/* home */
	case 0x4f: key_chars("\033[F"); break;	/* end */
	case 0x52: key_chars("\033[2~"); break;	/* insert */
	case 0x53: key_chars("\033[3~"); break;	/* delete */
	case 0x49: key_chars("\033[5~"); break;	/* page up */
	case 0x51: key_chars("\033[6~"); break;	/* page down */
	case 0x1c: key_chars("\r"); break;	/* keypad enter */
	case 0x35: key_chars("/"); break;	/* keypad slash */
	}
}

static void scan_code(uint8_t b)
{
	uint8_t code = b & 0x7f;
	int down = !(b & SC_RELEASE);
	char c;

	if (b == 0xe0 || b == 0xe1) {
		prefix = b;
		return;
	}
	if (prefix) {
		int was = prefix;
		prefix = 0;
		if (code == SC_LCTRL && was == 0xe0)
			ctrl = down;		/* right ctrl */
		else if (code == SC_LALT && was == 0xe0)
			alt = down;		/* right alt */
		else if (down && was == 0xe0 && code != SC_LSHIFT)
			extended_key(code);	/* (0xe0 0x2a: fake shift, ignored) */
		return;
	}
	switch (code) {
	case SC_LSHIFT:
	case SC_RSHIFT:
		shift = down;
		return;
	case SC_LCTRL:
		ctrl = down;
		return;
	case SC_LALT:
		alt = down;
		return;
	case SC_CAPS:
		if (down)
			caps = !caps;
		return;
	}
	if (!down || code >= sizeof(plain) || !(c = (shift ? shifted : plain)[code]))
		return;
	if (caps && c >= 'a' && c <= 'z' && !shift)
		c = (char)(c - 'a' + 'A');
	else if (caps && c >= 'A' && c <= 'Z' && shift)
		c = (char)(c - 'A' + 'a');
	if (ctrl && ((c >= '@' && c <= '_') || (c >= 'a' && c <= 'z')))
		c = (char)(c & 0x1f);
	if (alt)
		tty_input(&vga_tty, 033);
	tty_input(&vga_tty, (uint8_t)c);
}

/* Take every byte the controller holds; the caller re-enables the line. */
int kbd_intr(void)
{
	int got = 0, n = 0;
	long st;

	while (((st = sys_devio(DEVIO_IN8, KBD_STATUS, 0)) & ST_OUT_FULL) && n++ < 64) {
		uint8_t b = (uint8_t)sys_devio(DEVIO_IN8, KBD_DATA, 0);
		if (st & ST_AUX)
			continue;
		scan_code(b);
		got = 1;
	}
	return got;
}

static int wait_status(uint8_t bit, int set)
{
	int spin = 100000;

	while (!!(sys_devio(DEVIO_IN8, KBD_STATUS, 0) & bit) != set)
		if (!--spin)
			return -EIO;
	return 0;
}

/* The controller interrupts on keys and translates to set 1. A restarted
 * driver first takes the keys that waited for it. */
int kbd_start(void)
{
	long r;
	uint8_t cfg;

	if ((r = sys_irqctl(IRQ_ATTACH, IRQ_KBD)) < 0) {
		printf("tty: cannot attach IRQ %d (%ld)\n", IRQ_KBD, r);
		return (int)r;
	}
	kbd_intr();
	if (wait_status(ST_IN_FULL, 0) < 0)
		return -EIO;
	sys_devio(DEVIO_OUT8, KBD_STATUS, CMD_READ_CFG);
	if (wait_status(ST_OUT_FULL, 1) < 0)
		return -EIO;
	cfg = (uint8_t)sys_devio(DEVIO_IN8, KBD_DATA, 0);
	cfg = (uint8_t)((cfg | CFG_KBD_IRQ | CFG_TRANSLATE) & ~CFG_KBD_OFF);
	if (wait_status(ST_IN_FULL, 0) < 0)
		return -EIO;
	sys_devio(DEVIO_OUT8, KBD_STATUS, CMD_WRITE_CFG);
	if (wait_status(ST_IN_FULL, 0) < 0)
		return -EIO;
	sys_devio(DEVIO_OUT8, KBD_DATA, cfg);
	return 0;
}
