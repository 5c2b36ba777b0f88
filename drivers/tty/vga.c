/*
 * The display console's screen: VGA text mode 3 (80x25 cells of
 * character and attribute at physical 0xb8000), the hardware cursor
 * through the CRT controller (ports 0x3d4/0x3d5). Output understands the
 * control characters and the subset of ANSI/VT100 escapes a shell's line
 * editor uses (cursor motion and position, erase in line and display,
 * colours, the cursor position report ESC[6n).
 *
 * A restarted driver finds the screen as its predecessor left it: it reads
 * the cursor back from the CRT controller instead of clearing.
 */
#include "tty.h"

#define VGA_TEXT	0xb8000ul
#define VGA_VA		0x300000000ul	/* where the text memory is mapped */
#define CRTC_INDEX	0x3d4
#define CRTC_DATA	0x3d5
#define CRTC_CURSOR_HI	0x0e
#define CRTC_CURSOR_LO	0x0f
#define ROWS		25
#define COLS		80
#define NPARAM		4

static volatile uint16_t *screen;
static int row, col, wrap_pending;
static uint8_t attr = 0x07;		/* light grey on black */
static int esc;				/* 0 none, 1 after ESC, 2 in ESC[ */
static int param[NPARAM], nparam;
static char report[16];			/* an answer waiting for the input side */

static void crtc_set(uint8_t reg, uint8_t v)
{
	sys_devio(DEVIO_OUT8, CRTC_INDEX, reg);
	sys_devio(DEVIO_OUT8, CRTC_DATA, v);
}

static uint8_t crtc_get(uint8_t reg)
{
	sys_devio(DEVIO_OUT8, CRTC_INDEX, reg);
	return (uint8_t)sys_devio(DEVIO_IN8, CRTC_DATA, 0);
}

static void cursor_update(void)
{
	unsigned pos = (unsigned)(row * COLS + col);

	crtc_set(CRTC_CURSOR_HI, (uint8_t)(pos >> 8));
	crtc_set(CRTC_CURSOR_LO, (uint8_t)pos);
}

static void clear_cells(int from, int to)
{
	int i;

	for (i = from; i < to; i++)
		screen[i] = (uint16_t)(attr << 8 | ' ');
}

static void scroll_up(void)
{
	int i;

	for (i = 0; i < (ROWS - 1) * COLS; i++)
		screen[i] = screen[i + COLS];
	clear_cells((ROWS - 1) * COLS, ROWS * COLS);
}

static void new_line(void)
{
	if (++row == ROWS) {
		scroll_up();
		row = ROWS - 1;
	}
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void set_colours(void)
{
	static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };
	int i;

	for (i = 0; i < (nparam ? nparam : 1); i++) {
		int p = nparam ? param[i] : 0;
		if (p == 0)
			attr = 0x07;
		else if (p == 1)
			attr |= 0x08;
		else if (p == 7)
			attr = (uint8_t)((attr & 0x0f) << 4 | attr >> 4);
		else if (p >= 30 && p <= 37)
			attr = (uint8_t)((attr & 0xf8) | ansi_to_vga[p - 30]);
		else if (p == 39)
			attr = (uint8_t)((attr & 0xf8) | 7);
		else if (p >= 40 && p <= 47)
			attr = (uint8_t)((attr & 0x8f) | ansi_to_vga[p - 40] << 4);
		else if (p == 49)
			attr &= 0x8f;
	}
}

/* The final byte of ESC [ params. */
static void escape_done(uint8_t c)
{
	int n = nparam && param[0] ? param[0] : 1;
	int here = row * COLS + col;

	wrap_pending = 0;
	switch (c) {
	case 'A':
		row = clamp(row - n, 0, ROWS - 1);
		break;
	case 'B':
		row = clamp(row + n, 0, ROWS - 1);
		break;
	case 'C':
		col = clamp(col + n, 0, COLS - 1);
		break;
	case 'D':
		col = clamp(col - n, 0, COLS - 1);
		break;
	case 'G':
		col = clamp(n - 1, 0, COLS - 1);
		break;
	case 'H':
	case 'f':
		row = clamp(n - 1, 0, ROWS - 1);
		col = clamp(nparam > 1 && param[1] ? param[1] - 1 : 0, 0, COLS - 1);
		break;
	case 'J':
		if (!nparam || param[0] == 0)
			clear_cells(here, ROWS * COLS);
		else if (param[0] == 1)
			clear_cells(0, here + 1);
		else
			clear_cells(0, ROWS * COLS);
		break;
	case 'K':
		if (!nparam || param[0] == 0)
			clear_cells(here, row * COLS + COLS);
		else if (param[0] == 1)
			clear_cells(row * COLS, here + 1);
		else
			clear_cells(row * COLS, row * COLS + COLS);
		break;
	case 'm':
		set_colours();
		break;
	case 'n':
		if (nparam && param[0] == 6)
			snprintf(report, sizeof(report), "\033[%d;%dR", row + 1, col + 1);
		break;
	}
}

static void put_printable(uint8_t c)
{
	if (wrap_pending) {
		wrap_pending = 0;
		col = 0;
		new_line();
	}
	screen[row * COLS + col] = (uint16_t)(attr << 8 | c);
	if (col == COLS - 1)
		wrap_pending = 1;	/* as a VT100: wrap when the next one comes */
	else
		col++;
}

void vga_put(uint8_t c)
{
	if (!screen)
		return;
	if (esc == 1) {
		esc = c == '[' ? 2 : 0;
		nparam = 0;
		param[0] = 0;
		return;
	}
	if (esc == 2) {
		if (c >= '0' && c <= '9') {
			if (!nparam)
				nparam = 1;
			param[nparam - 1] = param[nparam - 1] * 10 + (c - '0');
		} else if (c == ';') {
			if (!nparam)
				nparam = 1;
			if (nparam < NPARAM)
				param[nparam++] = 0;
		} else if (c != '?') {
			escape_done(c);
			esc = 0;
		}
		cursor_update();
		return;
	}
	switch (c) {
	case 033:
		esc = 1;
		return;
	case '\r':
		col = 0;
		wrap_pending = 0;
		break;
	case '\n':
		new_line();
		wrap_pending = 0;
		break;
	case '\b':
		if (col > 0)
			col--;
		wrap_pending = 0;
		break;
	case '\t':
		col = clamp((col + 8) & ~7, 0, COLS - 1);
		break;
	default:
		if (c < 32)
			return;		/* bell and the rest: nothing to show */
		put_printable(c);
	}
	cursor_update();
}

/* An answer the screen owes the input side (ESC[6n), once: 0 if none. */
size_t vga_take_report(char *buf, size_t len)
{
	size_t n = strlen(report);

	if (!n || n >= len)
		return 0;
	memcpy(buf, report, n + 1);
	report[0] = 0;
	return n;
}

/* 0 and the screen ready, or -ENODEV without a VGA device. */
int vga_start(int restarted)
{
	unsigned pos;
	long r;

	/* Without a VGA, nothing answers at the CRTC: its index reads 0xff. */
	sys_devio(DEVIO_OUT8, CRTC_INDEX, CRTC_CURSOR_LO);
	if (sys_devio(DEVIO_IN8, CRTC_INDEX, 0) != CRTC_CURSOR_LO)
		return -ENODEV;
	if ((r = sys_mapphys(VGA_VA, VGA_TEXT, 4096, PROT_R | PROT_W)) < 0) {
		printf("tty: cannot map the VGA text memory (%ld)\n", r);
		return (int)r;
	}
	screen = (volatile uint16_t *)VGA_VA;
	if (restarted) {
		pos = (unsigned)crtc_get(CRTC_CURSOR_HI) << 8 | crtc_get(CRTC_CURSOR_LO);
		row = clamp((int)(pos / COLS), 0, ROWS - 1);
		col = (int)(pos % COLS);
	} else {
		clear_cells(0, ROWS * COLS);
	}
	cursor_update();
	return 0;
}
