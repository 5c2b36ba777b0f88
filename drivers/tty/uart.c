/*
 * The serial console: the 16550 UART COM1 (ports 0x3f8-0x3ff, IRQ 4).
 * Interrupt-driven input, polled output. The kernel also writes its log
 * to COM1 (polled): lines may interleave.
 *
 * A restarted driver must lose no typed byte: bytes that arrived while no
 * driver was there wait in the receive FIFO (and QEMU holds more back
 * while it is full), so start-up never clears a FIFO that is already on,
 * and drains it at once (its interrupt was raised with nobody attached).
 *
 * While the line is raw and silent (no ICANON, ECHO or ISIG: nothing to do
 * on a byte's arrival) bytes stay in the UART until a reader asks: the
 * interrupt only tells VFS that input is there (and is switched off until
 * the next read), and a read takes from the FIFO no more than it hands
 * over at once. So a driver that dies, wherever it is, has taken no byte
 * a reader did not get, and the next driver finds the rest in the FIFO.
 */
#include "tty.h"

#define COM1		0x3f8
#define UART_RBR	0	/* receive buffer (read) / transmit (write) */
#define UART_IER	1
#define UART_FCR	2	/* write: FIFO control */
#define UART_IIR	2	/* read: bits 6-7 set while the FIFOs are on */
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define IIR_FIFO_ON	0xc0

struct tty serial_tty;

static void uart_emit(uint8_t c)
{
	int spin = 100000;

	while (!(sys_devio(DEVIO_IN8, COM1 + UART_LSR, 0) & LSR_THRE) && --spin)
		;
	sys_devio(DEVIO_OUT8, COM1 + UART_RBR, c);
}

void uart_start(void)
{
	long r;

	tty_init(&serial_tty, "ttyS0", uart_emit, 24, 80);
	if ((r = sys_irqctl(IRQ_ATTACH, IRQ_COM1)) < 0)
		printf("tty: cannot attach IRQ %d (%ld)\n", IRQ_COM1, r);
	/* Turning the FIFO on clears it: only the first driver does that. */
	if ((sys_devio(DEVIO_IN8, COM1 + UART_IIR, 0) & IIR_FIFO_ON) != IIR_FIFO_ON)
		sys_devio(DEVIO_OUT8, COM1 + UART_FCR, 0x07);	/* on, cleared */
	sys_devio(DEVIO_OUT8, COM1 + UART_MCR, 0x0b);	/* DTR, RTS, OUT2 (IRQ gate) */
	sys_devio(DEVIO_OUT8, COM1 + UART_IER, 0x01);	/* interrupt on received data */
}

static int uart_has_data(void)
{
	return sys_devio(DEVIO_IN8, COM1 + UART_LSR, 0) & LSR_DR;
}

/* Move up to max bytes from the UART through the line discipline. */
static int uart_take(size_t max)
{
	size_t n = 0;

	while (n < max && uart_has_data()) {
		tty_input(&serial_tty, (uint8_t)sys_devio(DEVIO_IN8, COM1 + UART_RBR, 0));
		n++;
	}
	return n > 0;
}

/* The receive interrupt; the caller re-enables the line. 1 if a reader
 * has something to take. */
int uart_intr(void)
{
	if (tty_input_deferrable(&serial_tty)) {
		if (!uart_has_data())
			return 0;
		/* leave the bytes where they are until a read; quiet till then */
		sys_devio(DEVIO_OUT8, COM1 + UART_IER, 0x00);
		return 1;
	}
	return uart_take(256);
}

/* Before a read (len bytes wanted) and after the settings changed: when
 * raw and silent, take what the read can hand over now; in every mode, the
 * receive interrupt is on again (it fires at once if bytes remain). */
void uart_ready_for(size_t len)
{
	if (tty_input_deferrable(&serial_tty) && len && !tty_readable(&serial_tty))
		uart_take(len < 256 ? len : 256);
	sys_devio(DEVIO_OUT8, COM1 + UART_IER, 0x01);
}

/* Bytes held in the UART for a reader (raw and silent mode). */
int uart_holding(void)
{
	return tty_input_deferrable(&serial_tty) && uart_has_data();
}
