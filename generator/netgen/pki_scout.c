/* The fleet's client certificates: one per scout, its common name the
 * scout's name, signed by the CA of the key directory. The scout named
 * SCOUT_DEFAULT_NAME keeps the single scout's client.crt, so a profile
 * that grows into a fleet keeps its first scout's keys. */
#include <errno.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pki.h"
#include "pki_make.h"
#include "profile.h"
#include "util.h"

char *pki_scout_path(const char *dir, const char *name, bool key)
{
	if (!strcmp(name, SCOUT_DEFAULT_NAME))
		return xasprintf("%s/%s", dir, pki_names[key ? PKI_CLIENT_KEY : PKI_CLIENT_CRT]);
	return xasprintf("%s/%s/%s.%s", dir, PKI_SCOUTS_DIR, name, key ? "key" : "crt");
}

X509 *pki_load_ca(const char *dir, const char *name, bool revoking, EVP_PKEY **ret_key, struct diag *d)
{
	char *crt = xasprintf("%s/%s", dir, pki_names[PKI_CA_CRT]), *key = xasprintf("%s/%s", dir, pki_names[PKI_CA_KEY]);
	char *text = NULL, *ktext = NULL;
	size_t len = 0, klen = 0;
	X509 *x = NULL;
	BIO *bio;

	*ret_key = NULL;
	if (read_file(crt, PKI_FILE_MAX, &text, &len) < 0 || read_file(key, PKI_FILE_MAX, &ktext, &klen) < 0) {
		if (revoking)
			diag_error(d, key, 0, 0, "cannot read it to revoke the certificate of scout '%s'", name);
		else
			diag_error(d, key, 0, 0, "cannot read it to sign the certificate of scout '%s'; "
				   "without the CA's key, put that scout's certificate and key in %s/%s/", name, dir,
				   PKI_SCOUTS_DIR);
		goto cleanup;
	}
	bio = BIO_new_mem_buf(text, (int)len);
	x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	bio = BIO_new_mem_buf(ktext, (int)klen);
	*ret_key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (!x || !*ret_key) {
		diag_error(d, x ? key : crt, 0, 0, "cannot %s the certificate of scout '%s' with it: not PEM",
			   revoking ? "revoke" : "sign", name);
		X509_free(x);
		EVP_PKEY_free(*ret_key);
		x = NULL;
		*ret_key = NULL;
	}
cleanup:
	if (ktext)
		OPENSSL_cleanse(ktext, klen);
	free(ktext);
	free(text);
	free(key);
	free(crt);
	return x;
}

/* The key first, then the certificate: a scout with a key and no
 * certificate is never left, for a failure removes the key again. */
static int write_pair(const char *crt, const char *key, const char *crt_pem, size_t crt_len, const char *key_pem,
		      size_t key_len, struct diag *d)
{
	int r = write_file_new(key, key_pem, key_len, 0600);

	if (r < 0) {
		diag_error(d, key, 0, 0, "cannot write: %s", strerror(-r));
		return -1;
	}
	r = write_file_new(crt, crt_pem, crt_len, 0644);
	if (r < 0) {
		diag_error(d, crt, 0, 0, "cannot write: %s", strerror(-r));
		unlink(key);
		return -1;
	}
	return 1;
}

int pki_scout_generate(const char *dir, const char *name, struct diag *d)
{
	char *crt = pki_scout_path(dir, name, false), *key = pki_scout_path(dir, name, true);
	char *crt_pem = NULL, *key_pem = NULL, *sub = xasprintf("%s/%s", dir, PKI_SCOUTS_DIR);
	size_t crt_len = 0, key_len = 0;
	EVP_PKEY *ca_key = NULL, *k = NULL;
	X509 *ca = NULL, *x = NULL;
	int ret = 0, r;

	/* Either file there: the builder's, checked later, never replaced. */
	if (access(crt, F_OK) == 0 || access(key, F_OK) == 0 || access(dir, F_OK) < 0)
		goto cleanup;
	ret = -1;
	r = strcmp(name, SCOUT_DEFAULT_NAME) ? mkdir_p(sub, 0700) : 0;
	if (r < 0) {
		diag_error(d, sub, 0, 0, "cannot create the directory: %s", strerror(-r));
		goto cleanup;
	}
	if (!(ca = pki_load_ca(dir, name, false, &ca_key, d)))
		goto cleanup;
	k = EVP_EC_gen("P-256");
	x = k ? pki_make_cert(k, name, ROLE_CLIENT, ca, ca_key) : NULL;
	crt_pem = x ? pki_pem(x, NULL, &crt_len) : NULL;
	key_pem = x ? pki_pem(NULL, k, &key_len) : NULL;
	if (!crt_pem || !key_pem) {
		diag_error(d, crt, 0, 0, "cannot make it: OpenSSL failed");
		goto cleanup;
	}
	ret = write_pair(crt, key, crt_pem, crt_len, key_pem, key_len, d);
cleanup:
	if (key_pem)
		OPENSSL_cleanse(key_pem, key_len);
	free(key_pem);
	free(crt_pem);
	X509_free(x);
	X509_free(ca);
	EVP_PKEY_free(k);
	EVP_PKEY_free(ca_key);
	free(sub);
	free(key);
	free(crt);
	return ret;
}
