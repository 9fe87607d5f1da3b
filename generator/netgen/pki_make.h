/* Making certificates (pki.c), for pki.c, pki_scout.c and pki_crl.c only. */
#ifndef SCOUT_PKI_MAKE_H
#define SCOUT_PKI_MAKE_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum role { ROLE_CA, ROLE_SERVER, ROLE_CLIENT };

/* A certificate for key with common name cn, signed by ca_key (self-signed
 * when ca is NULL), SHA-256, with the extensions role needs; NULL when
 * OpenSSL fails. */
X509 *pki_make_cert(EVP_PKEY *key, const char *cn, enum role role, X509 *ca, EVP_PKEY *ca_key);
/* dir's CA certificate and key, to sign with for scout name (to revoke
 * its certificate when revoking); NULL after reporting. */
X509 *pki_load_ca(const char *dir, const char *name, bool revoking, EVP_PKEY **ret_key, struct diag *d);
/* dir/crl.pem in *ret: 1 when there (and signed by ca, when ca), 0 when
 * there is none, -1 after reporting what is wrong. */
int pki_crl_load(const char *dir, X509 *ca, struct diag *d, X509_CRL **ret);
/* Whether crl lists x. */
bool pki_crl_revoked(X509_CRL *crl, X509 *x);
/* PEM of x, or of the private key when x is NULL; NULL on failure. */
char *pki_pem(X509 *x, EVP_PKEY *key, size_t *ret_len);

#endif
