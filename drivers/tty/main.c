/*
 * tty: the terminals. The serial console on the 16550 UART COM1 (uart.c,
 * minor 64, /dev/ttyS0; VFS also sends /dev/console and /dev/tty here)
 * and, when the machine has a VGA, the display console: PS/2 keyboard and
 * VGA text screen (kbd.c, vga.c; minors 0 and 1, /dev/tty0 and /dev/tty1).
 * Both run the one line discipline in ldisc.c.
 *
 * It serves VFS through lib/driver's character framework
 * (contracts/chardev.contract): it never blocks VFS (a read with nothing
 * ready fails with EAGAIN) and NOTIFYs VFS when input or a terminal
 * signal arrives; terminal signals wait until VFS takes them.
 *
 * Restart (issue 5): the termios of each terminal is kept in DS and taken
 * back by a restarted driver; the UART FIFO and the keyboard controller
 * are drained, not reset, at start; the screen is left as it was. The new
 * driver NOTIFYs VFS at once, so a read that waited on the old one is
 * asked again of the new one.
 */
#include "tty.h"
#include "../../servers/ds/dsc.h"

#define MINOR_SERIAL	64
#define STARTED_KEY	"tty.started"

static endpoint_t vfs_ep;
static int have_vga;

static struct tty *tty_of(uint32_t minor)
{
	if (minor == MINOR_SERIAL)
		return &serial_tty;
	if ((minor == 0 || minor == 1) && have_vga)
		return &vga_tty;
	return NULL;
}

static void wake_vfs(void)
{
	if (vfs_ep > 0)
		chardriver_wake(vfs_ep);
}

/* Replies the screen owes the keyboard side (the cursor position report). */
static void feed_screen_reports(void)
{
	char buf[16];
	size_t i, n = vga_take_report(buf, sizeof(buf));

	for (i = 0; i < n; i++)
		tty_input(&vga_tty, (uint8_t)buf[i]);
	if (n)
		wake_vfs();
}

static int64_t tty_do_read(const struct chardriver_req *r)
{
	struct tty *t = tty_of(r->minor);

	if (t == &serial_tty)
		uart_ready_for(r->len);
	return t ? tty_read(t, r) : -ENXIO;
}

static int64_t tty_do_write(const struct chardriver_req *r)
{
	struct tty *t = tty_of(r->minor);
	int64_t n;

	if (!t)
		return -ENXIO;
	n = tty_write(t, r);
	if (t == &vga_tty)
		feed_screen_reports();
	return n;
}

static int64_t tty_do_ioctl(const struct chardriver_req *r)
{
	struct tty *t = tty_of(r->minor);
	int64_t v;

	if (!t)
		return -ENXIO;
	v = tty_ioctl(t, r);
	if (t == &serial_tty)
		uart_ready_for(0);	/* the mode may have changed */
	return v;
}

#define POLLIN		0x001
#define POLLOUT		0x004
#define POLLRDNORM	0x040
#define POLLWRNORM	0x100

static int64_t tty_do_poll(uint32_t minor, uint32_t events)
{
	struct tty *t = tty_of(minor);

	(void)events;
	if (!t)
		return -ENXIO;
	return POLLOUT | POLLWRNORM | (tty_readable(t) || (t == &serial_tty && uart_holding()) ?
	    POLLIN | POLLRDNORM : 0);
}

static void tty_intr(uint64_t mask)
{
	int got = 0;

	if (mask & (1u << IRQ_COM1)) {
		got |= uart_intr();
		sys_irqctl(IRQ_ENABLE, IRQ_COM1);
	}
	if ((mask & (1u << IRQ_KBD)) && have_vga) {
		got |= kbd_intr();
		sys_irqctl(IRQ_ENABLE, IRQ_KBD);
	}
	if (got || tty_signals_pending())
		wake_vfs();
}

static void vga_emit(uint8_t c)
{
	vga_put(c);
}

static const struct chardriver tty_driver = {
	.read = tty_do_read,
	.write = tty_do_write,
	.ioctl = tty_do_ioctl,
	.poll = tty_do_poll,
	.take_signal = tty_take_signal,
	.intr = tty_intr,
};

int main(void)
{
	uint64_t v;
	int restarted = 0, r;

	vfs_ep = lookup_endpoint("vfs");
	if (dsc_server() >= 0) {
		restarted = dsc_lookup(STARTED_KEY, &v, NULL) == 0;
		if (!restarted && (r = dsc_store(STARTED_KEY, 1)) < 0)
			printf("tty: cannot record the start in DS (%d)\n", r);
	}
	uart_start();
	tty_init(&vga_tty, "tty1", vga_emit, 25, 80);
	if (vga_start(restarted) == 0 && kbd_start() == 0) {
		have_vga = 1;
		printf("tty: display console (VGA text, PS/2 keyboard) on tty1\n");
	}
	if (restarted) {
		tty_restore_settings(&serial_tty);
		tty_restore_settings(&vga_tty);
	}
	/* Input that waited while no driver was there: its interrupt was
	 * raised with nobody attached, so look now. */
	tty_intr(1u << IRQ_COM1 | 1u << IRQ_KBD);
	if (restarted)
		wake_vfs();
	chardriver_task(&tty_driver);
}
