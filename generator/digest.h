#ifndef SCOUT_DIGEST_H
#define SCOUT_DIGEST_H

#include <stddef.h>

/* Lowercase hex SHA-256 of data into out (65 bytes). */
void sha256_hex(const void *data, size_t len, char out[static 65]);

#endif
