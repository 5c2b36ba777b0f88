/*
 * contract_summarize (summary.h): the parser and checker of contractc, for
 * tools that need to know a contract's shape rather than its generated code.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contractc.h"
#include "summary.h"

_Static_assert(CONTRACT_SUMMARY_NAME_LEN == NAME_MAX_LEN, "name lengths differ");

#define MAX_FILE	(1 << 20)

/* Reads a whole file, NUL-terminated; NULL (after a message) on failure. */
char *
read_contract_file(const char *path)
{
	FILE *f;
	char *buf;
	size_t n;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "contractc: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(MAX_FILE + 1)) == NULL) {
		perror("contractc");
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, MAX_FILE + 1, f);
	if (ferror(f) || n > MAX_FILE) {
		fprintf(stderr, "contractc: %s: %s\n", path,
		    ferror(f) ? "read error" : "file too large");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	if (memchr(buf, '\0', n) != NULL) {
		fprintf(stderr, "contractc: %s: contains a NUL byte\n", path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

int
contract_summarize(const char *path, struct contract_summary *out, int *error_line)
{
	struct contract *c;
	char *text;
	int i, r = -1;

	contract_error_line = 0;
	*error_line = 0;
	if ((text = read_contract_file(path)) == NULL)
		return -1;
	/* A contract is large (fixed arrays): keep it off the stack. */
	if ((c = calloc(1, sizeof *c)) == NULL) {
		free(text);
		return errorf(path, 0, "out of memory");
	}
	if (parse_contract(path, text, c) == 0 && check_contract(c) == 0) {
		memset(out, 0, sizeof *out);
		memcpy(out->name, c->name, sizeof out->name);
		out->id = c->id;
		out->id_line = c->id_line;
		out->nmsgs = c->nmsgs;
		for (i = 0; i < c->ntrans; i++) {
			out->client_sends |= c->trans[i].dir == '?';
			out->server_sends |= c->trans[i].dir == '!';
		}
		r = 0;
	}
	if (r < 0)
		*error_line = contract_error_line;
	free_contract(c);
	free(c);
	free(text);
	return r;
}
