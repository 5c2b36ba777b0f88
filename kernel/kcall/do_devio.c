/*
 * KC_DEVIO	rdi=DEVIO_* operation, rsi=port, rdx=value to write.
 *	Every byte the access touches must lie in one of the caller's
 *	manifest `ports` ranges (EPERM otherwise). Returns the value read,
 *	or 0 after a write.
 */
#include "../proc.h"

int64_t do_devio(struct proc *p)
{
	static const uint8_t width[] = { 0, 1, 2, 4, 1, 2, 4 };
	struct priv_spec *s = priv_of(p);
	uint64_t op = p->regs.rdi, port = p->regs.rsi;
	uint32_t v = (uint32_t)p->regs.rdx;
	int i, ok = 0;

	if (op < DEVIO_IN8 || op > DEVIO_OUT32 || port > 0xFFFF)
		return -EINVAL;
	for (i = 0; i < s->nports && i < PRIV_MAX_PORTS; i++)
		if (port >= s->ports[i].lo && port + width[op] - 1 <= s->ports[i].hi)
			ok = 1;
	if (!ok)
		return priv_refuse(p, "i/o port", (long)port);
	switch (op) {
	case DEVIO_IN8:		return inb((uint16_t)port);
	case DEVIO_IN16:	return inw((uint16_t)port);
	case DEVIO_IN32:	return inl((uint16_t)port);
	case DEVIO_OUT8:	outb((uint16_t)port, (uint8_t)v); break;
	case DEVIO_OUT16:	outw((uint16_t)port, (uint16_t)v); break;
	case DEVIO_OUT32:	outl((uint16_t)port, v); break;
	}
	return 0;
}
