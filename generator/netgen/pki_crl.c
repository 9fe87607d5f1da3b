/* Revocation: config/openvpn/crl.pem, a CRL signed by the CA, made and
 * grown by `scout-netgen keys --revoke NAME` with libcrypto, checked before
 * every build and shipped to the server with crl-verify when it is there. */
#include <errno.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pki.h"
#include "pki_make.h"
#include "util.h"
#include "validate_scouts.h"

/* A CRL that never runs out: OpenSSL refuses every client once a CRL's
 * nextUpdate has passed, and nobody re-signs this one on a schedule. */
#define CRL_DAYS (100 * 365)

char *pki_crl_path(const char *dir)
{
	return xasprintf("%s/%s", dir, PKI_CRL_FILE);
}

static X509 *read_cert(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	X509 *x = NULL;
	BIO *bio;

	if (read_file(path, PKI_FILE_MAX, &text, &len) < 0)
		return NULL;
	bio = BIO_new_mem_buf(text, (int)len);
	x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	free(text);
	return x;
}

int pki_crl_load(const char *dir, X509 *ca, struct diag *d, X509_CRL **ret)
{
	char *path = pki_crl_path(dir), *text = NULL;
	size_t len = 0;
	int r = read_file(path, PKI_FILE_MAX, &text, &len);
	EVP_PKEY *pub;
	X509_CRL *crl;
	BIO *bio;

	*ret = NULL;
	if (r == -ENOENT) {
		free(path);
		return 0;
	}
	if (r < 0) {
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(-r));
		free(path);
		return -1;
	}
	bio = BIO_new_mem_buf(text, (int)len);
	crl = bio ? PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	free(text);
	pub = ca ? X509_get0_pubkey(ca) : NULL;
	if (!crl || (pub && X509_CRL_verify(crl, pub) != 1)) {
		diag_error(d, path, 0, 0, crl ? "not signed by ca.crt" : "not a PEM certificate revocation list");
		X509_CRL_free(crl);
		free(path);
		return -1;
	}
	free(path);
	*ret = crl;
	return 1;
}

bool pki_crl_revoked(X509_CRL *crl, X509 *x)
{
	X509_REVOKED *rev;

	return crl && x && X509_CRL_get0_by_cert(crl, &rev, x) == 1;
}

/* A new, empty CRL of the CA. */
static X509_CRL *crl_new(X509 *ca)
{
	X509_CRL *crl = X509_CRL_new();

	if (crl && X509_CRL_set_version(crl, 1) && X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca)))
		return crl;
	X509_CRL_free(crl);
	return NULL;
}

/* x added to crl as revoked now, the CRL's times renewed, signed. */
static bool crl_add(X509_CRL *crl, X509 *x, EVP_PKEY *ca_key)
{
	time_t now = time(NULL);
	ASN1_TIME *t = ASN1_TIME_set(NULL, now), *next = X509_time_adj_ex(NULL, CRL_DAYS, 0, &now);
	X509_REVOKED *rev = X509_REVOKED_new();
	bool ok = t && next && rev && X509_REVOKED_set_serialNumber(rev, X509_get_serialNumber(x)) &&
		  X509_REVOKED_set_revocationDate(rev, t) && X509_CRL_add0_revoked(crl, rev);

	if (!ok)
		X509_REVOKED_free(rev);
	ok = ok && X509_CRL_set1_lastUpdate(crl, t) && X509_CRL_set1_nextUpdate(crl, next) && X509_CRL_sort(crl) &&
	     X509_CRL_sign(crl, ca_key, EVP_sha256()) > 0;
	ASN1_TIME_free(t);
	ASN1_TIME_free(next);
	return ok;
}

static int write_crl(const char *dir, X509_CRL *crl, struct diag *d)
{
	char *path = pki_crl_path(dir), *pem;
	BIO *bio = BIO_new(BIO_s_mem());
	long len;
	int r = -ENOMEM;

	if (bio && PEM_write_bio_X509_CRL(bio, crl) && (len = BIO_get_mem_data(bio, &pem)) > 0)
		r = write_file_atomic(path, pem, (size_t)len, 0644);
	if (r < 0)
		diag_error(d, path, 0, 0, "cannot write: %s", strerror(-r));
	BIO_free(bio);
	free(path);
	return r < 0 ? -1 : 0;
}

int pki_revoke(const char *dir, const char *name, struct diag *d)
{
	const char *why = scout_name_problem(name, strlen(name));
	char *crt = NULL;
	EVP_PKEY *ca_key = NULL;
	X509 *ca = NULL, *x = NULL;
	X509_CRL *crl = NULL;
	int ret = -1;

	if (why) {
		char *e = escape_text(name, strlen(name));

		diag_error(d, "--revoke", 0, 0, "'%s' %s", e, why);
		free(e);
		return -1;
	}
	crt = pki_scout_path(dir, name, false);
	if (!(x = read_cert(crt))) {
		diag_error(d, crt, 0, 0, "no certificate of scout '%s' to revoke", name);
		goto cleanup;
	}
	if (!(ca = pki_load_ca(dir, name, true, &ca_key, d)))
		goto cleanup;
	if (X509_verify(x, X509_get0_pubkey(ca)) != 1) {
		diag_error(d, crt, 0, 0, "not signed by %s/ca.crt: that CA cannot revoke it", dir);
		goto cleanup;
	}
	if (pki_crl_load(dir, ca, d, &crl) < 0)
		goto cleanup;
	if (pki_crl_revoked(crl, x)) {
		ret = 0;
		goto cleanup;
	}
	if (!crl && !(crl = crl_new(ca))) {
		diag_error(d, dir, 0, 0, "cannot make a revocation list: OpenSSL failed");
		goto cleanup;
	}
	if (!crl_add(crl, x, ca_key)) {
		diag_error(d, crt, 0, 0, "cannot revoke it: OpenSSL failed");
		goto cleanup;
	}
	ret = write_crl(dir, crl, d) < 0 ? -1 : 1;
cleanup:
	X509_CRL_free(crl);
	X509_free(x);
	X509_free(ca);
	EVP_PKEY_free(ca_key);
	free(crt);
	return ret;
}
