/*
 * WP harness: the I/O port check of KC_DEVIO (kernel/kcall/do_devio.c) and
 * the physical memory checks of KC_MAPPHYS (kernel/kcall/do_vm.c). The
 * checking expressions are the kernel's, verbatim (`mirror:` lines,
 * compared by tests/unit/verify/check-mirror.sh); the loops around them
 * are the kernel's loops with the privilege table passed as a pointer.
 */
#include <stdint.h>

#define PRIV_MAX_PORTS	8
#define PRIV_MAX_MEM	4
#define PAGE_SIZE	4096ul
#define DEVIO_IN8	1
#define DEVIO_OUT32	6

struct priv_spec {
	uint8_t nports, nmem;
	struct { uint16_t lo, hi; } ports[PRIV_MAX_PORTS];
	struct { uint64_t base, size; } mem[PRIV_MAX_MEM];
};

static const uint8_t width[] = { 0, 1, 2, 4, 1, 2, 4 };

/*@ predicate port_ok(struct priv_spec *s, integer port, integer w, integer i) =
        s->ports[i].lo <= port && port + w - 1 <= s->ports[i].hi;
 */

/*
 * 1 when every byte of the access [port, port + width[op]) lies in one of
 * the manifest's ranges; then no byte is past 0xFFFF either.
 */
/*@ requires \valid_read(s);
    requires DEVIO_IN8 <= op <= DEVIO_OUT32 && port <= 0xFFFF;
    assigns \nothing;
    ensures \result == 1 <==> \exists integer i; 0 <= i < s->nports && i < PRIV_MAX_PORTS &&
                                   port_ok(s, port, width[op], i);
    ensures \result == 1 ==> port + width[op] - 1 <= 0xFFFF;
 */
int devio_allowed(struct priv_spec *s, uint64_t op, uint64_t port)
{
	int i, ok = 0;
	/*@ ghost int w = -1; */	/* the range that allowed it */

	/*@ assert 1 <= width[op] <= 4; */
	/*@ loop invariant 0 <= i <= PRIV_MAX_PORTS && i <= s->nports;
	    loop invariant found: ok == 1 ==> 0 <= w < i && port_ok(s, port, width[op], w);
	    loop invariant none: ok == 0 ==> \forall integer j; 0 <= j < i ==> !port_ok(s, port, width[op], j);
	    loop invariant ok == 0 || ok == 1;
	    loop assigns i, ok, w;
	    loop variant PRIV_MAX_PORTS - i;
	 */
	/* mirror: kernel/kcall/do_devio.c: for (i = 0; i < s->nports && i < PRIV_MAX_PORTS; i++) */
	for (i = 0; i < s->nports && i < PRIV_MAX_PORTS; i++) {
		/*@ assert hint: (uint64_t)(port + width[op] - 1) == port + width[op] - 1; */
		/* mirror: kernel/kcall/do_devio.c: if (port >= s->ports[i].lo && port + width[op] - 1 <= s->ports[i].hi) */
		if (port >= s->ports[i].lo && port + width[op] - 1 <= s->ports[i].hi) {
			ok = 1;
			/*@ ghost w = i; */
		}
	}
	return ok;
}

/*@ predicate mem_ok(struct priv_spec *s, integer pa, integer len, integer i) =
        s->mem[i].base <= pa && pa + len <= s->mem[i].base + s->mem[i].size;
 */

/*
 * The manifest ranges: 1 exactly when [pa, pa + len) lies inside one of
 * them (as integers: nothing wraps).
 */
/*@ requires \valid_read(s);
    assigns \nothing;
    ensures inside: \result == 1 ==> \exists integer i; 0 <= i < s->nmem && i < PRIV_MAX_MEM &&
                                   mem_ok(s, pa, len, i);
    ensures complete: (\exists integer i; 0 <= i < s->nmem && i < PRIV_MAX_MEM &&
                       mem_ok(s, pa, len, i)) ==> \result == 1;
    ensures \result == 0 || \result == 1;
 */
int mapphys_allowed(struct priv_spec *s, uint64_t pa, uint64_t len)
{
	int i;

	/*@ loop invariant 0 <= i <= PRIV_MAX_MEM && i <= s->nmem;
	    loop invariant \forall integer j; 0 <= j < i ==> !mem_ok(s, pa, len, j);
	    loop assigns i;
	    loop variant PRIV_MAX_MEM - i;
	 */
	/* mirror: kernel/kcall/do_vm.c: for (i = 0; i < s->nmem && i < PRIV_MAX_MEM; i++) */
	for (i = 0; i < s->nmem && i < PRIV_MAX_MEM; i++) {
		/*@ assert hint: pa >= s->mem[i].base ==> (uint64_t)(pa - s->mem[i].base) == pa - s->mem[i].base; */
		/*@ assert hint2: len <= s->mem[i].size ==> (uint64_t)(s->mem[i].size - len) == s->mem[i].size - len; */
		/* mirror: kernel/kcall/do_vm.c: if (pa >= s->mem[i].base && len <= s->mem[i].size && */
		if (pa >= s->mem[i].base && len <= s->mem[i].size &&
		    /* mirror: kernel/kcall/do_vm.c: pa - s->mem[i].base <= s->mem[i].size - len) */
		    pa - s->mem[i].base <= s->mem[i].size - len)
			return 1;
	}
	return 0;
}
