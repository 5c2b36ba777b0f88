/*
 * Lexer and recursive-descent parser for contract files.
 *
 *	contract  = "contract" name [ "id" number ] ";" { message | state }
 *	message   = "message" Name "(" [ field { "," field } ] ")"
 *		    [ "requires" expr ] ";"
 *	field     = type name [ "[" number "]" ]
 *	state     = "state" Name [ ":" trans { "|" trans } ] ";"
 *	trans     = ( "?" | "!" ) Message "->" State
 *
 * Expression precedence, loosest first (bitwise operators bind tighter than
 * comparisons, unlike C, so "flags & 1 == 0" means what it says):
 *	||   &&   == != < <= > >=   |   ^   &   << >>   + -   * / %   unary ! - ~
 *
 * Names are resolved later (check.c) so that states may be used before they
 * are declared. The first error stops the parse: it is printed with its line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contractc.h"

enum tok {
	TK_EOF, TK_IDENT, TK_NUM, TK_PUNCT,
};

struct lexer {
	const char *path;
	const char *src;
	const char *p;
	int line;
	/* The current token. */
	enum tok tok;
	char text[NAME_MAX_LEN + 16];
	int64_t num;
	int tline;
	const char *tstart;	/* where the token starts in src */
	const char *tend;
};

static const char *const c_keywords[] = {
	"auto", "break", "case", "char", "const", "continue", "default", "do",
	"double", "else", "enum", "extern", "float", "for", "goto", "if",
	"inline", "int", "long", "register", "restrict", "return", "short",
	"signed", "sizeof", "static", "struct", "switch", "typedef", "union",
	"unsigned", "void", "volatile", "while", "_Bool", "_Static_assert",
	"bool", "true", "false", NULL,
};

/* Two-character operators first so that "<=" is not read as "<". */
static const char *const puncts[] = {
	"->", "<<", ">>", "==", "!=", "<=", ">=", "&&", "||",
	";", "(", ")", ",", "[", "]", ":", "|", "?", "!", "+", "-", "*", "/",
	"%", "&", "^", "~", "<", ">", NULL,
};

int contract_error_line;

int
errorf(const char *path, int line, const char *fmt, ...)
{
	va_list ap;

	contract_error_line = line;
	fprintf(stderr, "%s:%d: error: ", path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

static void
skip_space_and_comments(struct lexer *lx)
{
	for (;;) {
		if (*lx->p == '\n') {
			lx->line++;
			lx->p++;
		} else if (isspace((unsigned char)*lx->p)) {
			lx->p++;
		} else if (*lx->p == '#' || (lx->p[0] == '/' && lx->p[1] == '/')) {
			while (*lx->p != '\0' && *lx->p != '\n')
				lx->p++;
		} else {
			return;
		}
	}
}

static int
lex_number(struct lexer *lx)
{
	const char *start = lx->p;
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(lx->p, &end, 0);
	if (isalnum((unsigned char)*end) || *end == '_')
		return errorf(lx->path, lx->line, "malformed number '%.*s'",
		    (int)(strspn(start, "0123456789abcdefABCDEFxX_")), start);
	if (errno == ERANGE || v > INT64_MAX)
		return errorf(lx->path, lx->line,
		    "number '%.*s' is too large (the limit is 2^63-1)",
		    (int)(end - start), start);
	lx->tok = TK_NUM;
	lx->num = (int64_t)v;
	snprintf(lx->text, sizeof lx->text, "%.*s", (int)(end - start), start);
	lx->p = end;
	return 0;
}

/* Reads the next token into lx; -1 (after printing) on a lexical error. */
static int
next(struct lexer *lx)
{
	int i;
	size_t n;

	skip_space_and_comments(lx);
	lx->tline = lx->line;
	lx->tstart = lx->p;
	if (*lx->p == '\0') {
		lx->tok = TK_EOF;
		strcpy(lx->text, "end of file");
		lx->tend = lx->p;
		return 0;
	}
	if (isalpha((unsigned char)*lx->p) || *lx->p == '_') {
		n = 0;
		while (isalnum((unsigned char)lx->p[n]) || lx->p[n] == '_')
			n++;
		if (n >= NAME_MAX_LEN)
			return errorf(lx->path, lx->line,
			    "name '%.20s...' is too long (at most %d characters)",
			    lx->p, NAME_MAX_LEN - 1);
		memcpy(lx->text, lx->p, n);
		lx->text[n] = '\0';
		lx->tok = TK_IDENT;
		lx->p += n;
		lx->tend = lx->p;
		return 0;
	}
	if (isdigit((unsigned char)*lx->p)) {
		if (lex_number(lx) == -1)
			return -1;
		lx->tend = lx->p;
		return 0;
	}
	for (i = 0; puncts[i] != NULL; i++) {
		n = strlen(puncts[i]);
		if (strncmp(lx->p, puncts[i], n) == 0) {
			strcpy(lx->text, puncts[i]);
			lx->tok = TK_PUNCT;
			lx->p += n;
			lx->tend = lx->p;
			return 0;
		}
	}
	if (isprint((unsigned char)*lx->p))
		return errorf(lx->path, lx->line, "unexpected character '%c'",
		    *lx->p);
	return errorf(lx->path, lx->line, "unexpected byte 0x%02x",
	    (unsigned char)*lx->p);
}

static int
is_punct(const struct lexer *lx, const char *s)
{
	return lx->tok == TK_PUNCT && strcmp(lx->text, s) == 0;
}

static int
is_word(const struct lexer *lx, const char *s)
{
	return lx->tok == TK_IDENT && strcmp(lx->text, s) == 0;
}

static int
expect_punct(struct lexer *lx, const char *s, const char *where)
{
	if (!is_punct(lx, s))
		return errorf(lx->path, lx->tline, "expected '%s' %s, found '%s'",
		    s, where, lx->text);
	return next(lx);
}

/* Copies an identifier token into name after checking it is usable in C. */
static int
take_name(struct lexer *lx, char *name, const char *what)
{
	int i;

	if (lx->tok != TK_IDENT)
		return errorf(lx->path, lx->tline, "expected %s name, found '%s'",
		    what, lx->text);
	if (strncmp(lx->text, "ct_", 3) == 0)
		return errorf(lx->path, lx->tline,
		    "%s name '%s': the prefix ct_ is reserved for generated code",
		    what, lx->text);
	for (i = 0; c_keywords[i] != NULL; i++)
		if (strcmp(lx->text, c_keywords[i]) == 0)
			return errorf(lx->path, lx->tline,
			    "%s name '%s' is a C keyword", what, lx->text);
	strcpy(name, lx->text);
	return next(lx);
}

static int
parse_type(struct lexer *lx, enum ftype *t)
{
	static const struct {
		const char *name;
		enum ftype type;
	} types[] = {
		{ "u8", T_U8 }, { "u16", T_U16 }, { "u32", T_U32 },
		{ "u64", T_U64 }, { "i8", T_I8 }, { "i16", T_I16 },
		{ "i32", T_I32 }, { "i64", T_I64 }, { "int", T_I32 },
		{ "endpoint", T_ENDPOINT }, { "grant", T_GRANT },
	};
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (is_word(lx, types[i].name)) {
			*t = types[i].type;
			return next(lx);
		}
	return errorf(lx->path, lx->tline,
	    "unknown field type '%s' (expected u8..u64, i8..i64, int, "
	    "endpoint or grant)", lx->text);
}

/* Expressions ---------------------------------------------------------- */

static struct expr *
new_expr(enum ekind kind, const char *op, int line)
{
	struct expr *e;

	e = calloc(1, sizeof *e);
	if (e == NULL) {
		perror("contractc");
		exit(2);
	}
	e->kind = kind;
	/* Operators are at most two characters (see puncts). */
	memcpy(e->op, op, strnlen(op, sizeof e->op - 1));
	e->field = -1;
	e->line = line;
	return e;
}

void
free_expr(struct expr *e)
{
	if (e == NULL)
		return;
	free_expr(e->lhs);
	free_expr(e->rhs);
	free(e);
}

/* Binary levels, loosest first; each entry lists the operators of a level. */
static const char *const levels[][7] = {
	{ "||", NULL },
	{ "&&", NULL },
	{ "==", "!=", "<", "<=", ">", ">=", NULL },
	{ "|", NULL },
	{ "^", NULL },
	{ "&", NULL },
	{ "<<", ">>", NULL },
	{ "+", "-", NULL },
	{ "*", "/", "%", NULL },
};
#define NLEVELS	((int)(sizeof levels / sizeof levels[0]))
#define MAX_DEPTH 64

static struct expr *parse_level(struct lexer *, int, int);

static struct expr *
parse_unary(struct lexer *lx, int depth)
{
	struct expr *e, *sub;
	int line = lx->tline;

	if (depth > MAX_DEPTH) {
		errorf(lx->path, line, "expression nested too deeply");
		return NULL;
	}
	if (is_punct(lx, "!") || is_punct(lx, "-") || is_punct(lx, "~")) {
		e = new_expr(E_UNARY, lx->text, line);
		if (next(lx) == -1 || (sub = parse_unary(lx, depth + 1)) == NULL) {
			free_expr(e);
			return NULL;
		}
		e->lhs = sub;
		return e;
	}
	if (is_punct(lx, "(")) {
		if (next(lx) == -1)
			return NULL;
		if ((e = parse_level(lx, 0, depth + 1)) == NULL)
			return NULL;
		if (expect_punct(lx, ")", "to close the parenthesis") == -1) {
			free_expr(e);
			return NULL;
		}
		return e;
	}
	if (lx->tok == TK_NUM) {
		e = new_expr(E_NUM, "", line);
		e->num = lx->num;
		if (next(lx) == -1) {
			free_expr(e);
			return NULL;
		}
		return e;
	}
	if (lx->tok == TK_IDENT) {
		/* Field names are resolved by the checker; keep the text. */
		e = new_expr(E_FIELD, "", line);
		strcpy(e->name, lx->text);
		if (next(lx) == -1) {
			free_expr(e);
			return NULL;
		}
		return e;
	}
	errorf(lx->path, line, "expected a field, number or '(' in expression, "
	    "found '%s'", lx->text);
	return NULL;
}

static int
match_level(const struct lexer *lx, int level)
{
	int i;

	for (i = 0; levels[level][i] != NULL; i++)
		if (is_punct(lx, levels[level][i]))
			return 1;
	return 0;
}

static struct expr *
parse_level(struct lexer *lx, int level, int depth)
{
	struct expr *lhs, *rhs, *e;

	if (level == NLEVELS)
		return parse_unary(lx, depth);
	if ((lhs = parse_level(lx, level + 1, depth)) == NULL)
		return NULL;
	while (match_level(lx, level)) {
		e = new_expr(E_BINARY, lx->text, lx->tline);
		e->lhs = lhs;
		if (next(lx) == -1 ||
		    (rhs = parse_level(lx, level + 1, depth)) == NULL) {
			free_expr(e);
			return NULL;
		}
		e->rhs = rhs;
		lhs = e;
		/* Chained comparisons (a < b < c) mean something else in C. */
		if (level == 2 && match_level(lx, level)) {
			errorf(lx->path, lx->tline, "comparisons cannot be "
			    "chained; use && between them");
			free_expr(lhs);
			return NULL;
		}
	}
	return lhs;
}

/* Copies source text [start, end) with runs of white space made one space. */
static char *
squeeze_text(const char *start, const char *end)
{
	char *s, *d;
	int space = 0;

	s = malloc((size_t)(end - start) + 1);
	if (s == NULL) {
		perror("contractc");
		exit(2);
	}
	for (d = s; start < end; start++) {
		if (isspace((unsigned char)*start)) {
			space = 1;
			continue;
		}
		if (space && d != s)
			*d++ = ' ';
		space = 0;
		/* The text lands in a C string literal: keep it plain. */
		*d++ = (*start == '"' || *start == '\\') ? '?' : *start;
	}
	*d = '\0';
	return s;
}

/* Declarations ---------------------------------------------------------- */

static int
parse_field(struct lexer *lx, struct message *m)
{
	struct field *f;

	if (m->nfields == MAX_FIELDS)
		return errorf(lx->path, lx->tline, "message %s has too many "
		    "fields (at most %d)", m->name, MAX_FIELDS);
	f = &m->fields[m->nfields];
	f->line = lx->tline;
	if (parse_type(lx, &f->type) == -1 ||
	    take_name(lx, f->name, "field") == -1)
		return -1;
	if (is_punct(lx, "[")) {
		if (next(lx) == -1)
			return -1;
		if (lx->tok != TK_NUM || lx->num < 1 || lx->num > PAYLOAD_SIZE)
			return errorf(lx->path, lx->tline, "array size of field "
			    "'%s' must be a number from 1 to %d, found '%s'",
			    f->name, PAYLOAD_SIZE, lx->text);
		f->count = (unsigned)lx->num;
		if (next(lx) == -1 ||
		    expect_punct(lx, "]", "after the array size") == -1)
			return -1;
	}
	m->nfields++;
	return 0;
}

static int
parse_message(struct lexer *lx, struct contract *c)
{
	struct message *m;
	const char *start;
	const char *end;

	if (c->nmsgs == MAX_MESSAGES)
		return errorf(lx->path, lx->tline, "too many messages (at most %d)",
		    MAX_MESSAGES);
	m = &c->msgs[c->nmsgs++];
	m->line = lx->tline;
	if (next(lx) == -1 || take_name(lx, m->name, "message") == -1)
		return -1;
	if (expect_punct(lx, "(", "after the message name") == -1)
		return -1;
	if (!is_punct(lx, ")")) {
		for (;;) {
			if (parse_field(lx, m) == -1)
				return -1;
			if (!is_punct(lx, ","))
				break;
			if (next(lx) == -1)
				return -1;
		}
	}
	if (expect_punct(lx, ")", "after the fields") == -1)
		return -1;
	if (is_word(lx, "requires")) {
		if (next(lx) == -1)
			return -1;
		start = lx->tstart;
		if ((m->requires = parse_level(lx, 0, 0)) == NULL)
			return -1;
		end = lx->tstart;
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
		m->requires_text = squeeze_text(start, end);
	}
	return expect_punct(lx, ";", "at the end of the message");
}

static int
parse_trans(struct lexer *lx, struct contract *c, int from)
{
	struct trans *t;

	if (c->ntrans == MAX_TRANS)
		return errorf(lx->path, lx->tline,
		    "too many transitions (at most %d)", MAX_TRANS);
	t = &c->trans[c->ntrans++];
	t->from = from;
	t->line = lx->tline;
	if (!is_punct(lx, "?") && !is_punct(lx, "!"))
		return errorf(lx->path, lx->tline, "expected '?Message' (receive) "
		    "or '!Message' (send), found '%s'", lx->text);
	t->dir = lx->text[0];
	if (next(lx) == -1)
		return -1;
	if (lx->tok != TK_IDENT)
		return errorf(lx->path, lx->tline, "expected a message name "
		    "after '%c', found '%s'", t->dir, lx->text);
	strcpy(t->msg_name, lx->text);
	if (next(lx) == -1 ||
	    expect_punct(lx, "->", "between the message and the next state") == -1)
		return -1;
	if (lx->tok != TK_IDENT)
		return errorf(lx->path, lx->tline, "expected a state name after "
		    "'->', found '%s'", lx->text);
	strcpy(t->to_name, lx->text);
	c->states[from].ntrans++;
	return next(lx);
}

static int
parse_state(struct lexer *lx, struct contract *c)
{
	struct state *s;
	int idx;

	if (c->nstates == MAX_STATES)
		return errorf(lx->path, lx->tline, "too many states (at most %d)",
		    MAX_STATES);
	idx = c->nstates++;
	s = &c->states[idx];
	s->line = lx->tline;
	if (next(lx) == -1 || take_name(lx, s->name, "state") == -1)
		return -1;
	if (is_punct(lx, ":")) {
		if (next(lx) == -1)
			return -1;
		for (;;) {
			if (parse_trans(lx, c, idx) == -1)
				return -1;
			if (!is_punct(lx, "|"))
				break;
			if (next(lx) == -1)
				return -1;
		}
	}
	return expect_punct(lx, ";", "at the end of the state (transitions "
	    "are separated by '|')");
}

static int
parse_header(struct lexer *lx, struct contract *c)
{
	const char *p;

	if (!is_word(lx, "contract"))
		return errorf(lx->path, lx->tline, "a contract file starts with "
		    "'contract <name>;', found '%s'", lx->text);
	if (next(lx) == -1 || take_name(lx, c->name, "contract") == -1)
		return -1;
	for (p = c->name; *p != '\0'; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '_')
			return errorf(lx->path, lx->tline, "contract name '%s' "
			    "must be lower case (it prefixes C names)", c->name);
	if (is_word(lx, "id")) {
		c->id_line = lx->tline;
		if (next(lx) == -1)
			return -1;
		if (lx->tok != TK_NUM || lx->num < 1 || lx->num > MAX_CONTRACT_ID)
			return errorf(lx->path, lx->tline, "contract id must be "
			    "a number from 1 to 0x%x, found '%s'",
			    MAX_CONTRACT_ID, lx->text);
		c->id = (long)lx->num;
		if (next(lx) == -1)
			return -1;
	}
	return expect_punct(lx, ";", "after the contract name");
}

int
parse_contract(const char *path, const char *text, struct contract *c)
{
	struct lexer lx;

	memset(&lx, 0, sizeof lx);
	lx.path = path;
	lx.src = text;
	lx.p = text;
	lx.line = 1;
	c->path = path;
	c->id = -1;
	if (next(&lx) == -1 || parse_header(&lx, c) == -1)
		return -1;
	while (lx.tok != TK_EOF) {
		if (is_word(&lx, "message")) {
			if (parse_message(&lx, c) == -1)
				return -1;
		} else if (is_word(&lx, "state")) {
			if (parse_state(&lx, c) == -1)
				return -1;
		} else {
			return errorf(path, lx.tline, "expected 'message' or "
			    "'state', found '%s'", lx.text);
		}
	}
	return 0;
}
