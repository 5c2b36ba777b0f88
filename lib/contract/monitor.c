/*
 * The protocol monitor: one conversation per peer in a fixed table, checked
 * against the contract's state machine and `requires` predicates on every
 * message in both directions. See contract.h for the rules.
 */
#include "contract.h"

void (*contract_log_hook)(const char *line);

#define REJECT_MAGIC	0x52454a43u	/* "REJC": marks a rejection notice */
#define ERRNO_MAX	4095

/* A log line is built in a fixed buffer: no libc, no heap. */
struct line {
	char buf[200];
	size_t len;
};

static void
put_str(struct line *l, const char *s)
{
	if (s == NULL)
		s = "(null)";
	while (*s != '\0' && l->len < sizeof l->buf - 1)
		l->buf[l->len++] = *s++;
	l->buf[l->len] = '\0';
}

static void
put_int(struct line *l, int64_t v)
{
	char digits[24];
	int n = 0;
	uint64_t u;

	/* Negate in unsigned arithmetic so INT64_MIN does not overflow. */
	u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		digits[n++] = '-';
	while (n > 0 && l->len < sizeof l->buf - 1)
		l->buf[l->len++] = digits[--n];
	l->buf[l->len] = '\0';
}

/* "contract c1: peer 7: received Reply in state Start: " */
static void
start_line(struct line *l, const struct contract_monitor *mon,
    endpoint_t peer, enum contract_dir dir, int msg, int state)
{
	const struct contract_spec *spec = mon->spec;

	l->len = 0;
	put_str(l, "contract ");
	put_str(l, spec->name);
	put_str(l, ": peer ");
	put_int(l, peer);
	put_str(l, dir == CONTRACT_IN ? ": received " : ": sent ");
	if (msg >= 0) {
		put_str(l, spec->msg_names[msg]);
		put_str(l, state >= 0 ? " in state " : "");
		if (state >= 0)
			put_str(l, spec->state_names[state]);
	}
}

static int
refuse(struct contract_monitor *mon, struct line *l, int err)
{
	mon->rejected++;
	if (contract_log_hook != NULL)
		contract_log_hook(l->buf);
	return -err;
}

void
contract_copy(void *dst, const void *src, size_t n)
{
	/* volatile keeps the compiler from turning this into a memcpy call. */
	volatile uint8_t *d = dst;
	const uint8_t *s = src;

	while (n-- > 0)
		*d++ = *s++;
}

void
contract_zero(void *dst, size_t n)
{
	volatile uint8_t *d = dst;

	while (n-- > 0)
		*d++ = 0;
}

void
contract_monitor_init(struct contract_monitor *mon,
    const struct contract_spec *spec, enum contract_role role)
{
	contract_zero(mon, sizeof *mon);
	mon->spec = spec;
	mon->role = role;
}

static struct contract_conv *
find_conv(const struct contract_monitor *mon, endpoint_t peer)
{
	int i;

	for (i = 0; i < CONTRACT_MAX_CONVS; i++)
		if (mon->conv[i].used && mon->conv[i].peer == peer)
			return (struct contract_conv *)&mon->conv[i];
	return NULL;
}

static struct contract_conv *
free_conv(const struct contract_monitor *mon)
{
	int i;

	for (i = 0; i < CONTRACT_MAX_CONVS; i++)
		if (!mon->conv[i].used)
			return (struct contract_conv *)&mon->conv[i];
	return NULL;
}

int
contract_state(const struct contract_monitor *mon, endpoint_t peer)
{
	const struct contract_conv *c = find_conv(mon, peer);

	return c != NULL ? c->state : 0;
}

void
contract_forget(struct contract_monitor *mon, endpoint_t peer)
{
	struct contract_conv *c = find_conv(mon, peer);

	if (c != NULL)
		c->used = false;
}

/* The transition arrow this side's dir corresponds to, server's view. */
static uint8_t
arrow_of(const struct contract_monitor *mon, enum contract_dir dir)
{
	if (mon->role == CONTRACT_SERVER)
		return dir == CONTRACT_IN ? '?' : '!';
	return dir == CONTRACT_IN ? '!' : '?';
}

int
contract_check(struct contract_monitor *mon, endpoint_t peer,
    enum contract_dir dir, const message_t *m, int *next)
{
	const struct contract_spec *spec = mon->spec;
	const struct contract_conv *c;
	struct line l;
	int64_t idx;
	int state, i, terminal;
	uint8_t arrow = arrow_of(mon, dir);

	idx = (int64_t)m->type - spec->base;
	if (idx < 1 || idx > spec->nmsgs) {
		start_line(&l, mon, peer, dir, -1, -1);
		put_str(&l, "unknown message type ");
		put_int(&l, m->type);
		return refuse(mon, &l, CONTRACT_EPROTO);
	}
	c = find_conv(mon, peer);
	state = c != NULL ? c->state : 0;
	start_line(&l, mon, peer, dir, (int)idx, state);
	terminal = 1;
	for (i = 0; i < spec->ntrans; i++) {
		const struct contract_trans *t = &spec->trans[i];

		if (t->from != state)
			continue;
		terminal = 0;
		if (t->dir == arrow && t->msg == idx)
			break;
	}
	if (i == spec->ntrans) {
		put_str(&l, terminal ? ": the conversation has ended" :
		    ": not allowed by the protocol");
		return refuse(mon, &l, CONTRACT_EPROTO);
	}
	if (!spec->requires((int)idx, m)) {
		put_str(&l, ": requires ");
		put_str(&l, spec->requires_text[idx]);
		put_str(&l, " is false");
		return refuse(mon, &l, CONTRACT_EPROTO);
	}
	/* Refuse now rather than lose track after the message has gone. */
	if (c == NULL && spec->trans[i].to != 0 && free_conv(mon) == NULL) {
		put_str(&l, ": conversation table full (");
		put_int(&l, CONTRACT_MAX_CONVS);
		put_str(&l, " peers)");
		return refuse(mon, &l, CONTRACT_ENOSPC);
	}
	*next = spec->trans[i].to;
	return 0;
}

void
contract_commit(struct contract_monitor *mon, endpoint_t peer, int next)
{
	struct contract_conv *c = find_conv(mon, peer);

	/* The initial state is what a peer without an entry is in. */
	if (next == 0) {
		if (c != NULL)
			c->used = false;
		return;
	}
	if (c == NULL && (c = free_conv(mon)) == NULL)
		return;		/* contract_check saw to it that this cannot be */
	c->used = true;
	c->peer = peer;
	c->state = (uint8_t)next;
}

int
contract_rejection_error(const struct contract_spec *spec, const message_t *m)
{
	int32_t err;

	if (m->type != spec->base)
		return 1;
	err = (int32_t)m->u.w[1];
	if (m->u.w[0] != REJECT_MAGIC || err >= 0 || err < -ERRNO_MAX)
		return -CONTRACT_EPROTO;
	return err;
}

/* Tells a refused client why, so one blocked in SENDREC is let go. */
static void
send_rejection(const struct contract_monitor *mon, endpoint_t dst, int err,
    int32_t bad_type)
{
	message_t r;

	contract_zero(&r, sizeof r);
	r.type = mon->spec->base;
	r.u.w[0] = REJECT_MAGIC;
	r.u.w[1] = (uint32_t)err;
	r.u.w[2] = (uint32_t)bad_type;
	/* Non-blocking: a client that is not waiting loses nothing but this. */
	(void)ipc_sendnb(dst, &r);
}

static int
accept_from(struct contract_monitor *mon, endpoint_t peer, const message_t *m)
{
	struct line l;
	int next, r;

	if (mon->role == CONTRACT_CLIENT &&
	    (r = contract_rejection_error(mon->spec, m)) != 1) {
		start_line(&l, mon, peer, CONTRACT_IN, 0, -1);
		put_str(&l, ": our last message was refused with error ");
		put_int(&l, r);
		if (contract_log_hook != NULL)
			contract_log_hook(l.buf);
		return r;
	}
	if ((r = contract_check(mon, peer, CONTRACT_IN, m, &next)) != 0) {
		if (mon->role == CONTRACT_SERVER && peer >= 0)
			send_rejection(mon, peer, r, m->type);
		return r;
	}
	contract_commit(mon, peer, next);
	return 0;
}

int
contract_accept(struct contract_monitor *mon, const message_t *m)
{
	return accept_from(mon, m->source, m);
}

int
contract_send(struct contract_monitor *mon, endpoint_t dst, message_t *m,
    int (*ipc)(endpoint_t, message_t *))
{
	int next, r;

	if (ipc == NULL)
		return -CONTRACT_EINVAL;
	if ((r = contract_check(mon, dst, CONTRACT_OUT, m, &next)) != 0)
		return r;
	if ((r = ipc(dst, m)) != 0)
		return r;
	contract_commit(mon, dst, next);
	return 0;
}

int
contract_call(struct contract_monitor *mon, endpoint_t dst, message_t *m)
{
	int next, r;

	if ((r = contract_check(mon, dst, CONTRACT_OUT, m, &next)) != 0)
		return r;
	if ((r = ipc_sendrec(dst, m)) != 0)
		return r;
	/* A refused request leaves the server where it was: so do we. */
	if ((r = contract_rejection_error(mon->spec, m)) != 1)
		return accept_from(mon, dst, m);
	contract_commit(mon, dst, next);
	/* The reply is checked as coming from dst, whom we called. */
	return accept_from(mon, dst, m);
}
