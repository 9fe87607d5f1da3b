#include "digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

void sha256_hex(const void *data, size_t len, char out[static 65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	/* Fails only when libcrypto cannot allocate. */
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
		fputs("scout-netgen: SHA-256 failed\n", stderr);
		abort();
	}
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}
