/*
 * The legacy 8259 interrupt controllers (IRQs 0-15 at vectors 32-47) and
 * the PIT as the clock. Each line stays masked until a driver attaches to
 * it; the interrupt handler masks the line again until the driver says it
 * has handled the device (KC_IRQCTL IRQ_ENABLE).
 */
#include "kernel.h"

#define PIC1		0x20
#define PIC2		0xA0
#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_HZ		1193182

static uint16_t irq_mask = 0xFFFB;	/* all masked but the cascade */

static void write_mask(void)
{
	outb(PIC1 + 1, irq_mask & 0xFF);
	outb(PIC2 + 1, irq_mask >> 8);
}

void pic_init(void)
{
	outb(PIC1, 0x11);	/* ICW1: init, expect ICW4 */
	outb(PIC2, 0x11);
	outb(PIC1 + 1, 32);	/* ICW2: vector base */
	outb(PIC2 + 1, 40);
	outb(PIC1 + 1, 4);	/* ICW3: slave on line 2 */
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1);	/* ICW4: 8086 mode */
	outb(PIC2 + 1, 1);
	write_mask();
}

void pic_mask(int irq)
{
	irq_mask |= 1 << irq;
	write_mask();
}

void pic_unmask(int irq)
{
	irq_mask &= ~(1 << irq);
	write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
}

void pit_init(unsigned hz)
{
	unsigned div = PIT_HZ / hz;

	outb(PIT_CMD, 0x34);	/* channel 0, lo/hi, rate generator */
	outb(PIT_CH0, div & 0xFF);
	outb(PIT_CH0, div >> 8);
	pic_unmask(0);
}
