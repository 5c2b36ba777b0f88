/*
 * contractc's library interface for other host tools (tools/mkimage's image
 * verifier): a contract file parsed and checked exactly as contractc does,
 * reduced to the facts about who speaks when. Link summary.c, parse.c and
 * check.c. This header deliberately does not include contractc.h, whose
 * `struct message` would clash with include/bulkhead/ipc.h's.
 */
#ifndef CONTRACTC_SUMMARY_H
#define CONTRACTC_SUMMARY_H

#define CONTRACT_SUMMARY_NAME_LEN 48	/* NAME_MAX_LEN in contractc.h */

struct contract_summary {
	char name[CONTRACT_SUMMARY_NAME_LEN];
	long id;		/* message types are (id << 8) + 1.. */
	int id_line;		/* where the id is written; 0: derived from the name */
	int nmsgs;
	int client_sends;	/* some state has `?M`: the client sends */
	int server_sends;	/* some state has `!M`: the server answers */
};

/*
 * Parses and checks the contract in `path`. 0 and *out filled in; -1 if the
 * file cannot be read (a message on stderr, *error_line 0) or is not a
 * valid contract (contractc's `path:line: error: ...` on stderr, the line
 * in *error_line).
 */
int contract_summarize(const char *path, struct contract_summary *out, int *error_line);

#endif
