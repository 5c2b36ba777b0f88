/*
 * Semantic checks: resolve names, lay out each message's payload, and make
 * sure the state machine is one the monitor and the model can follow.
 * Every error names the line of the declaration at fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contractc.h"

unsigned
ftype_size(enum ftype t)
{
	switch (t) {
	case T_U8: case T_I8:
		return 1;
	case T_U16: case T_I16:
		return 2;
	case T_U32: case T_I32: case T_ENDPOINT: case T_GRANT:
		return 4;
	case T_U64: case T_I64:
		return 8;
	}
	return 0;
}

const char *
ftype_ctype(enum ftype t)
{
	static const char *const names[] = {
		"uint8_t", "uint16_t", "uint32_t", "uint64_t",
		"int8_t", "int16_t", "int32_t", "int64_t",
		"endpoint_t", "contract_grant_t",
	};
	return names[t];
}

const char *
ftype_name(enum ftype t)
{
	static const char *const names[] = {
		"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64",
		"endpoint", "grant",
	};
	return names[t];
}

void
free_contract(struct contract *c)
{
	int i;

	for (i = 0; i < c->nmsgs; i++) {
		free_expr(c->msgs[i].requires);
		free(c->msgs[i].requires_text);
	}
}

/* Lays fields out in declaration order with natural alignment, as C does. */
static int
layout_message(const struct contract *c, struct message *m)
{
	unsigned off = 0, size, align;
	int i;

	m->align = 1;
	for (i = 0; i < m->nfields; i++) {
		struct field *f = &m->fields[i];

		align = ftype_size(f->type);
		size = align * (f->count ? f->count : 1);
		off = (off + align - 1) / align * align;
		f->offset = off;
		off += size;
		if (align > m->align)
			m->align = align;
	}
	m->size = (off + m->align - 1) / m->align * m->align;
	if (m->size > PAYLOAD_SIZE)
		return errorf(c->path, m->line, "message %s needs %u bytes, "
		    "more than the %d-byte payload", m->name, m->size,
		    PAYLOAD_SIZE);
	return 0;
}

static int
resolve_expr(const struct contract *c, const struct message *m, struct expr *e)
{
	int i;

	if (e == NULL)
		return 0;
	if (e->kind == E_FIELD) {
		for (i = 0; i < m->nfields; i++)
			if (strcmp(m->fields[i].name, e->name) == 0)
				break;
		if (i == m->nfields)
			return errorf(c->path, e->line, "requires of message %s "
			    "names '%s', which is not one of its fields",
			    m->name, e->name);
		if (m->fields[i].count != 0)
			return errorf(c->path, e->line, "requires of message %s: "
			    "field '%s' is an array and cannot be used in an "
			    "expression", m->name, e->name);
		e->field = i;
		return 0;
	}
	if (resolve_expr(c, m, e->lhs) == -1)
		return -1;
	return resolve_expr(c, m, e->rhs);
}

static int
check_messages(struct contract *c)
{
	int i, j, k;

	for (i = 0; i < c->nmsgs; i++) {
		struct message *m = &c->msgs[i];

		/* Names are upper-cased for type constants: compare that way. */
		for (j = 0; j < i; j++)
			if (strcasecmp(c->msgs[j].name, m->name) == 0)
				return errorf(c->path, m->line, "message %s is "
				    "already declared on line %d", m->name,
				    c->msgs[j].line);
		if (strcasecmp(m->name, "rejected") == 0)
			return errorf(c->path, m->line, "message name %s is "
			    "reserved for the monitor's rejection notice",
			    m->name);
		for (j = 0; j < m->nfields; j++)
			for (k = 0; k < j; k++)
				if (strcmp(m->fields[j].name,
				    m->fields[k].name) == 0)
					return errorf(c->path, m->fields[j].line,
					    "message %s has two fields named "
					    "'%s'", m->name, m->fields[j].name);
		if (layout_message(c, m) == -1 ||
		    resolve_expr(c, m, m->requires) == -1)
			return -1;
	}
	return 0;
}

static int
find_state(const struct contract *c, const char *name)
{
	int i;

	for (i = 0; i < c->nstates; i++)
		if (strcmp(c->states[i].name, name) == 0)
			return i;
	return -1;
}

static int
find_message(const struct contract *c, const char *name)
{
	int i;

	for (i = 0; i < c->nmsgs; i++)
		if (strcmp(c->msgs[i].name, name) == 0)
			return i;
	return -1;
}

static int
check_states(struct contract *c)
{
	int i, j, changed;

	if (c->nmsgs == 0)
		return errorf(c->path, 1, "contract %s declares no messages",
		    c->name);
	if (c->nstates == 0)
		return errorf(c->path, 1, "contract %s declares no states",
		    c->name);
	for (i = 0; i < c->nstates; i++)
		for (j = 0; j < i; j++)
			if (strcasecmp(c->states[i].name, c->states[j].name) == 0)
				return errorf(c->path, c->states[i].line,
				    "state %s is already declared on line %d",
				    c->states[i].name, c->states[j].line);
	for (i = 0; i < c->ntrans; i++) {
		struct trans *t = &c->trans[i];

		if ((t->msg = find_message(c, t->msg_name)) == -1)
			return errorf(c->path, t->line, "unknown message '%s' "
			    "in state %s", t->msg_name, c->states[t->from].name);
		if ((t->to = find_state(c, t->to_name)) == -1)
			return errorf(c->path, t->line, "unknown state '%s' "
			    "after '%c%s ->'", t->to_name, t->dir, t->msg_name);
		/* The monitor picks the next state from (state, dir, msg). */
		for (j = 0; j < i; j++)
			if (c->trans[j].from == t->from &&
			    c->trans[j].dir == t->dir && c->trans[j].msg == t->msg)
				return errorf(c->path, t->line, "state %s has "
				    "two transitions on %c%s", c->states[t->from].name,
				    t->dir, t->msg_name);
		if (t->dir == '?')
			c->msgs[t->msg].used_in = 1;
		else
			c->msgs[t->msg].used_out = 1;
	}
	for (i = 0; i < c->nmsgs; i++)
		if (!c->msgs[i].used_in && !c->msgs[i].used_out)
			return errorf(c->path, c->msgs[i].line, "message %s is "
			    "declared but no state sends or receives it",
			    c->msgs[i].name);
	/* The first state is the initial one; every other must be reachable. */
	c->states[0].reachable = 1;
	do {
		changed = 0;
		for (i = 0; i < c->ntrans; i++)
			if (c->states[c->trans[i].from].reachable &&
			    !c->states[c->trans[i].to].reachable) {
				c->states[c->trans[i].to].reachable = 1;
				changed = 1;
			}
	} while (changed);
	for (i = 0; i < c->nstates; i++)
		if (!c->states[i].reachable)
			return errorf(c->path, c->states[i].line, "state %s cannot "
			    "be reached from the initial state %s",
			    c->states[i].name, c->states[0].name);
	return 0;
}

/* FNV-1a of the name, folded into 1..MAX_CONTRACT_ID: stable across builds. */
static long
derive_id(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name != '\0'; name++) {
		h ^= (unsigned char)*name;
		h *= 16777619u;
	}
	return (long)(h % MAX_CONTRACT_ID) + 1;
}

int
check_contract(struct contract *c)
{
	if (c->id == -1)
		c->id = derive_id(c->name);
	if (check_messages(c) == -1)
		return -1;
	return check_states(c);
}
