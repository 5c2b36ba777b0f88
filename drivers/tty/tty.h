/*
 * The terminal driver's pieces: one line discipline (ldisc.c) shared by
 * every terminal, and the devices under it: the 16550 UART (uart.c, the
 * serial console) and the PS/2 keyboard with the VGA text screen (kbd.c,
 * vga.c, the display console). main.c routes VFS's requests by minor
 * (Linux numbering of major 4; VFS maps /dev/console and /dev/tty to the
 * serial line, minor 64).
 */
#ifndef TTY_H
#define TTY_H

#include "../../lib/driver/chardriver.h"

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

/* Input: the line being edited, then the cooked queue readers take from.
 * An EOF mark (^D) is a queue slot with value EOF_MARK. */
#define TTY_QSIZE	4096
#define EOF_MARK	0x100

struct tty {
	const char *name;	/* DS keys of its saved settings start with it */
	void (*emit)(uint8_t c);	/* one byte to the device, as is */
	struct termios tio;
	struct winsize ws;
	int32_t fg_pgrp;	/* foreground process group (TIOCSPGRP) */
	uint8_t line[TTY_QSIZE];
	size_t line_len;
	uint16_t q[TTY_QSIZE];
	size_t q_head, q_len, q_lines;	/* q_lines: complete lines or EOF marks */
};

/* ldisc.c */
void tty_init(struct tty *t, const char *name, void (*emit)(uint8_t), uint16_t rows,
    uint16_t cols);
void tty_input(struct tty *t, uint8_t c);
void tty_output(struct tty *t, uint8_t c);
int tty_readable(const struct tty *t);
int tty_input_deferrable(const struct tty *t);
int64_t tty_read(struct tty *t, const struct chardriver_req *r);
int64_t tty_write(struct tty *t, const struct chardriver_req *r);
int64_t tty_ioctl(struct tty *t, const struct chardriver_req *r);
int tty_take_signal(int32_t *pgrp, int32_t *signo);
int tty_signals_pending(void);
void tty_restore_settings(struct tty *t);

/* uart.c */
extern struct tty serial_tty;
void uart_start(void);
int uart_intr(void);		/* 1 if input arrived */
void uart_ready_for(size_t len);
int uart_holding(void);

/* vga.c: the screen */
int vga_start(int restarted);
void vga_put(uint8_t c);
size_t vga_take_report(char *buf, size_t len);

/* kbd.c */
extern struct tty vga_tty;
int kbd_start(void);
int kbd_intr(void);		/* 1 if input arrived */

#define IRQ_KBD		1
#define IRQ_COM1	4

#endif
