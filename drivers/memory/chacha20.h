/* ChaCha20 (RFC 8439) and the memory driver's generator built on it. */
#ifndef DRIVERS_MEMORY_CHACHA20_H
#define DRIVERS_MEMORY_CHACHA20_H

#include <stdint.h>
#include <stddef.h>

/* One 64-byte block of keystream: RFC 8439 section 2.3. */
void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3],
    uint8_t out[64]);

/*
 * The generator: a ChaCha20 key, re-keyed from its own keystream after
 * every request ("fast key erasure"), so earlier output cannot be
 * recomputed from the state. Entropy is mixed into the key.
 */
void csprng_mix(const void *data, size_t len);
void csprng_read(uint8_t *out, size_t len);

#endif
