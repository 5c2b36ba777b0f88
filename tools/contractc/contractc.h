/*
 * contractc: the channel contract compiler (host tool).
 *
 * A contract file is parsed into the structures below (parse.c), checked
 * (check.c), then written out as C (gen_c.c) or Promela (gen_promela.c).
 * Everything is small and bounded: the limits are those of a 56-byte message
 * payload and of a one-byte message index, so plain arrays suffice.
 */
#ifndef CONTRACTC_H
#define CONTRACTC_H

#include <stdint.h>
#include <stdio.h>

#define NAME_MAX_LEN	48
#define MAX_FIELDS	56	/* one byte each fills the payload */
#define MAX_MESSAGES	254	/* index 0 is REJECTED, 255 kept spare */
#define MAX_STATES	64
#define MAX_TRANS	256
#define PAYLOAD_SIZE	56	/* MSG_PAYLOAD in include/bulkhead/ipc.h */
#define MAX_CONTRACT_ID	0x7eff	/* (id << 8) must stay below MSG_KERNEL_BASE */

enum ftype {
	T_U8, T_U16, T_U32, T_U64,
	T_I8, T_I16, T_I32, T_I64,
	T_ENDPOINT, T_GRANT,
};

struct field {
	char name[NAME_MAX_LEN];
	enum ftype type;
	unsigned count;		/* 0: a scalar; n: a fixed array of n */
	unsigned offset;	/* in the payload, natural alignment */
	int line;
};

enum ekind {
	E_NUM, E_FIELD, E_UNARY, E_BINARY,
};

/* Operators: the token text is the operator, e.g. "&&", "<=", "!". */
struct expr {
	enum ekind kind;
	char op[3];
	int64_t num;			/* E_NUM (a literal fits in 63 bits) */
	char name[NAME_MAX_LEN];	/* E_FIELD as written */
	int field;			/* E_FIELD: index, set by the checker */
	struct expr *lhs, *rhs;		/* E_UNARY uses lhs only */
	int line;
};

struct message {
	char name[NAME_MAX_LEN];
	struct field fields[MAX_FIELDS];
	int nfields;
	unsigned size;		/* payload bytes with tail padding, like sizeof */
	unsigned align;
	struct expr *requires;	/* NULL: always true */
	char *requires_text;	/* the predicate as written, for log lines */
	int used_in, used_out;	/* appears as ?Msg / !Msg somewhere */
	int line;
};

/* A transition from the server's point of view: '?' it receives, '!' it sends. */
struct trans {
	int from;
	char dir;
	int msg;
	int to;
	int line;
	/* Names as written, resolved by the checker. */
	char msg_name[NAME_MAX_LEN];
	char to_name[NAME_MAX_LEN];
};

struct state {
	char name[NAME_MAX_LEN];
	int line;
	int ntrans;		/* 0: terminal */
	int reachable;
};

struct contract {
	const char *path;
	char name[NAME_MAX_LEN];
	long id;		/* -1 until set (explicitly or from the name) */
	int id_line;
	struct message msgs[MAX_MESSAGES];
	int nmsgs;
	struct state states[MAX_STATES];
	int nstates;
	struct trans trans[MAX_TRANS];
	int ntrans;
};

/* summary.c: the whole file, NUL-terminated (free it); NULL after a message. */
char *read_contract_file(const char *path);
/* parse.c: 0 on success; on error prints "path:line: error: ..." and returns -1. */
int parse_contract(const char *path, const char *text, struct contract *c);
/* check.c: resolve names, lay out payloads, check the state machine. */
int check_contract(struct contract *c);
void free_contract(struct contract *c);
void free_expr(struct expr *e);
unsigned ftype_size(enum ftype t);
const char *ftype_ctype(enum ftype t);
const char *ftype_name(enum ftype t);

/* gen_c.c / gen_promela.c: 0 on success, -1 on an output error. */
int gen_header(const struct contract *c, FILE *out);
int gen_source(const struct contract *c, const char *header_name, FILE *out);
int gen_promela(const struct contract *c, FILE *out);

/* Diagnostics: "path:line: error: fmt". Always returns -1. The line of
 * the last one is kept in contract_error_line. */
extern int contract_error_line;
int errorf(const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
