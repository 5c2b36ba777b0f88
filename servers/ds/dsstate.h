/*
 * DS's whole state, as one block that outlives DS: RS keeps a copy of it
 * (servers/rs/dsmirror.c) in a buffer of its own that it grants to the
 * current DS process, read and write (grant DS_MIRROR_GRANT of RS's
 * table). DS writes the block there after every change, before it
 * answers the request that made it, and reads it back when it starts: a
 * restarted DS knows every name, value and subscription its predecessor
 * had answered for (docs/recovery.md). RS never reads the block; it only
 * keeps the bytes.
 */
#ifndef DS_STATE_H
#define DS_STATE_H

#include <stdint.h>

#define DS_MIRROR_GRANT	0		/* in RS's grant table */
#define DS_STATE_MAGIC	0x31534453u	/* "DSS1": layout version 1 */
#define NR_ENTRIES	64
#define NR_SUBS		64
#define KEY_LEN		32

struct ds_entry {
	uint8_t key[KEY_LEN];
	uint64_t value;
	int32_t owner;		/* kind 1: the endpoint; kind 2: the publisher */
	uint32_t kind;		/* 0: free */
	uint32_t priv_id;	/* who may change it */
};

struct ds_sub {
	uint8_t key[KEY_LEN];
	int32_t ep;		/* 0: free */
};

struct ds_state {
	uint32_t magic;		/* DS_STATE_MAGIC once DS has saved it */
	uint32_t saves;		/* how many times DS saved it */
	struct ds_entry entries[NR_ENTRIES];
	struct ds_sub subs[NR_SUBS];
};

#endif
