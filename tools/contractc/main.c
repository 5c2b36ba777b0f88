/*
 * contractc: compile channel contracts to C and Promela.
 *
 *	contractc [-o dir] file.contract...		<name>.h and <name>.c
 *	contractc --promela [-o dir] file.contract...	<name>.pml
 *	contractc --check file.contract...		check only
 *
 * Given several files it also checks that no two contracts share a name or
 * an id, since message types must be unique across the whole system.
 * Exit status: 0 on success, 1 on a contract error, 2 on a usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contractc.h"

enum mode {
	MODE_C, MODE_PROMELA, MODE_CHECK,
};

static void
usage(void)
{
	fprintf(stderr, "usage: contractc [--promela | --check] [-o dir] "
	    "file.contract...\n");
	exit(2);
}

/* Opens dir/name.ext for writing; NULL (after a message) on failure. */
static FILE *
open_output(const char *dir, const char *name, const char *ext, char *path,
    size_t size)
{
	FILE *f;

	if ((size_t)snprintf(path, size, "%s/%s.%s", dir, name, ext) >= size) {
		fprintf(stderr, "contractc: output path too long\n");
		return NULL;
	}
	if ((f = fopen(path, "w")) == NULL)
		fprintf(stderr, "contractc: %s: %s\n", path, strerror(errno));
	return f;
}

static int
close_output(FILE *f, const char *path, int failed)
{
	if (fclose(f) != 0 || failed) {
		fprintf(stderr, "contractc: %s: write error\n", path);
		remove(path);
		return -1;
	}
	return 0;
}

static int
write_outputs(const struct contract *c, enum mode mode, const char *dir)
{
	char hpath[4096], cpath[4096], hname[NAME_MAX_LEN + 4];
	FILE *f;

	if (mode == MODE_PROMELA) {
		if ((f = open_output(dir, c->name, "pml", cpath,
		    sizeof cpath)) == NULL)
			return -1;
		return close_output(f, cpath, gen_promela(c, f));
	}
	if ((f = open_output(dir, c->name, "h", hpath, sizeof hpath)) == NULL)
		return -1;
	if (close_output(f, hpath, gen_header(c, f)) == -1)
		return -1;
	snprintf(hname, sizeof hname, "%s.h", c->name);
	if ((f = open_output(dir, c->name, "c", cpath, sizeof cpath)) == NULL)
		return -1;
	return close_output(f, cpath, gen_source(c, hname, f));
}

/* Message types are (id << 8) + index: two contracts must not share an id. */
static int
check_unique(struct contract **cs, int n)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++) {
			if (strcmp(cs[i]->name, cs[j]->name) == 0)
				return errorf(cs[i]->path, 1, "contract %s is "
				    "also defined in %s", cs[i]->name,
				    cs[j]->path);
			if (cs[i]->id == cs[j]->id)
				return errorf(cs[i]->path,
				    cs[i]->id_line ? cs[i]->id_line : 1,
				    "contract id 0x%lx of %s is also the id of "
				    "%s (%s); give one an explicit 'id'",
				    cs[i]->id, cs[i]->name, cs[j]->name,
				    cs[j]->path);
		}
	return 0;
}

int
main(int argc, char **argv)
{
	enum mode mode = MODE_C;
	const char *dir = ".";
	struct contract **cs;
	char *text;
	int i, n = 0, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--promela") == 0)
			mode = MODE_PROMELA;
		else if (strcmp(argv[i], "--check") == 0)
			mode = MODE_CHECK;
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			dir = argv[++i];
		else
			usage();
	}
	if (i == argc)
		usage();
	if ((cs = calloc((size_t)(argc - i), sizeof *cs)) == NULL) {
		perror("contractc");
		return 2;
	}
	for (; i < argc; i++) {
		if ((text = read_contract_file(argv[i])) == NULL)
			return 2;
		/* A contract is large (fixed arrays): keep it off the stack. */
		if ((cs[n] = calloc(1, sizeof *cs[n])) == NULL) {
			perror("contractc");
			return 2;
		}
		if (parse_contract(argv[i], text, cs[n]) == -1 ||
		    check_contract(cs[n]) == -1)
			return 1;
		free(text);
		n++;
	}
	if (check_unique(cs, n) == -1)
		return 1;
	for (i = 0; i < n; i++) {
		if (mode != MODE_CHECK && write_outputs(cs[i], mode, dir) == -1)
			status = 2;
		free_contract(cs[i]);
		free(cs[i]);
	}
	free(cs);
	return status;
}
