#ifndef SCOUT_DIGEST_H
#define SCOUT_DIGEST_H

#include <stddef.h>

/* Lowercase hex SHA-256 of data into out (65 bytes). */
void sha256_hex(const void *data, size_t len, char out[static 65]);

/* The same over data given in pieces: new, update for each, then final,
 * which writes the hex and frees it. */
struct sha256;
struct sha256 *sha256_new(void);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final_hex(struct sha256 *s, char out[static 65]);

#endif
