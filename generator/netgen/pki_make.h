/* Making certificates (pki.c), for pki.c and pki_scout.c only. */
#ifndef SCOUT_PKI_MAKE_H
#define SCOUT_PKI_MAKE_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

enum role { ROLE_CA, ROLE_SERVER, ROLE_CLIENT };

/* A certificate for key with common name cn, signed by ca_key (self-signed
 * when ca is NULL), SHA-256, with the extensions role needs; NULL when
 * OpenSSL fails. */
X509 *pki_make_cert(EVP_PKEY *key, const char *cn, enum role role, X509 *ca, EVP_PKEY *ca_key);
/* PEM of x, or of the private key when x is NULL; NULL on failure. */
char *pki_pem(X509 *x, EVP_PKEY *key, size_t *ret_len);

#endif
