#include "digest.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

/* libcrypto fails only when it cannot allocate. */
static void failed(void)
{
	fprintf(stderr, "%s: SHA-256 failed\n", program_invocation_short_name);
	abort();
}

void sha256_hex(const void *data, size_t len, char out[static 65])
{
	struct sha256 *s = sha256_new();

	sha256_update(s, data, len);
	sha256_final_hex(s, out);
}

struct sha256 *sha256_new(void)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL))
		failed();
	return (struct sha256 *)c;
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
	if (!EVP_DigestUpdate((EVP_MD_CTX *)s, data, len))
		failed();
}

void sha256_final_hex(struct sha256 *s, char out[static 65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_DigestFinal_ex((EVP_MD_CTX *)s, md, &mdlen) || mdlen != 32)
		failed();
	EVP_MD_CTX_free((EVP_MD_CTX *)s);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}
