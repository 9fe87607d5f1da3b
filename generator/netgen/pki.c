#include "pki.h"
#include "emit.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"
#include "pki_make.h"
#include "util.h"

#define CA_DAYS 3650
#define CERT_DAYS 1825

const char *const pki_names[PKI_FILE_COUNT] = {
	[PKI_CA_CRT] = "ca.crt", [PKI_CA_KEY] = "ca.key",
	[PKI_SERVER_CRT] = "server.crt", [PKI_SERVER_KEY] = "server.key",
	[PKI_CLIENT_CRT] = "client.crt", [PKI_CLIENT_KEY] = "client.key",
	[PKI_EXPERT_CRT] = "expert.crt", [PKI_EXPERT_KEY] = "expert.key",
	[PKI_TA_KEY] = "ta.key",
};

/* ---- making them ---- */

static int add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	int ok = ext && X509_add_ext(x, ext, -1);

	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

X509 *pki_make_cert(EVP_PKEY *key, const char *cn, enum role role, X509 *ca, EVP_PKEY *ca_key)
{
	unsigned char serial[16];
	BIGNUM *bn = NULL;
	X509 *x = X509_new();
	X509V3_CTX ctx;
	X509_NAME *name;
	int ok;

	if (!x || RAND_bytes(serial, sizeof(serial)) != 1)
		goto fail;
	serial[0] &= 0x7f; /* a positive serial number */
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	name = X509_get_subject_name(x);
	ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) && X509_set_version(x, 2) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
	     X509_gmtime_adj(X509_getm_notAfter(x), (long)(role == ROLE_CA ? CA_DAYS : CERT_DAYS) * 86400) &&
	     X509_set_pubkey(x, key) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) &&
	     X509_set_issuer_name(x, ca ? X509_get_subject_name(ca) : name);
	if (!ok)
		goto fail;
	X509V3_set_ctx(&ctx, ca ? ca : x, x, NULL, NULL, 0);
	if (role == ROLE_CA)
		ok = !add_ext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE") &&
		     !add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign") &&
		     !add_ext(x, &ctx, NID_subject_key_identifier, "hash");
	else
		ok = !add_ext(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
		     !add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature") &&
		     !add_ext(x, &ctx, NID_ext_key_usage, role == ROLE_SERVER ? "serverAuth" : "clientAuth") &&
		     !add_ext(x, &ctx, NID_subject_key_identifier, "hash") &&
		     !add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always");
	if (ok && X509_sign(x, ca_key ? ca_key : key, EVP_sha256()) > 0) {
		BN_free(bn);
		return x;
	}
fail:
	BN_free(bn);
	X509_free(x);
	return NULL;
}

char *pki_pem(X509 *x, EVP_PKEY *key, size_t *ret_len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data = NULL, *p;

	if (bio && (x ? PEM_write_bio_X509(bio, x) : PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL))) {
		long len = BIO_get_mem_data(bio, &p);

		data = xstrndup(p, (size_t)len);
		*ret_len = (size_t)len;
	}
	BIO_free(bio);
	return data;
}

/* OpenVPN's static key file: 2048 random bits in hex, 16 bytes a line. */
static char *static_key(size_t *ret_len)
{
	unsigned char key[256];
	struct buf b = { 0 };

	if (RAND_bytes(key, sizeof(key)) != 1)
		return NULL;
	buf_puts(&b, "#\n# 2048 bit OpenVPN static key (tls-crypt), made by scout-netgen\n#\n"
		     "-----BEGIN OpenVPN Static key V1-----\n");
	for (size_t i = 0; i < sizeof(key); i++)
		buf_printf(&b, "%02x%s", key[i], i % 16 == 15 ? "\n" : "");
	buf_puts(&b, "-----END OpenVPN Static key V1-----\n");
	OPENSSL_cleanse(key, sizeof(key));
	return buf_steal(&b, ret_len);
}

int keys_dir_prepare(const char *dir, const char *what, bool (*any_present)(const char *dir), struct diag *d)
{
	int r = mkdir_p(dir, 0700);

	if (r < 0) {
		diag_error(d, dir, 0, 0, "cannot create the %s directory: %s", what, strerror(-r));
		return -1;
	}
	if (any_present(dir))
		return 0;
	/* Private keys are about to live here: whoever made the directory,
	 * and with whatever umask, nobody else may list or read it. */
	if (chmod(dir, 0700) < 0) {
		diag_error(d, dir, 0, 0, "cannot make the %s directory private (chmod 700): %s", what, strerror(errno));
		return -1;
	}
	return 1;
}

static bool any_present(const char *dir)
{
	for (int i = 0; i < PKI_FILE_COUNT; i++) {
		char *path = xasprintf("%s/%s", dir, pki_names[i]);
		bool there = access(path, F_OK) == 0;

		free(path);
		if (there)
			return true;
	}
	return false;
}

/* Every certificate and key in memory (PEM in data[], its length in
 * len[]): a failure leaves no file behind. Returns 0 or -1 (reported). */
static int make_all(const char *dir, char *data[PKI_FILE_COUNT], size_t len[PKI_FILE_COUNT], struct diag *d)
{
	static const struct {
		const char *cn;
		enum role role;
		enum pki_file crt, key;
	} certs[] = {
		{ "scout-netgen CA", ROLE_CA, PKI_CA_CRT, PKI_CA_KEY },
		{ "server", ROLE_SERVER, PKI_SERVER_CRT, PKI_SERVER_KEY },
		{ "scout", ROLE_CLIENT, PKI_CLIENT_CRT, PKI_CLIENT_KEY },
		{ "expert", ROLE_CLIENT, PKI_EXPERT_CRT, PKI_EXPERT_KEY },
	};
	X509 *ca = NULL;
	EVP_PKEY *ca_key = NULL;
	int ret = -1;

	for (size_t i = 0; i < ARRAY_SIZE(certs); i++) {
		EVP_PKEY *key = EVP_EC_gen("P-256");
		X509 *x = key ? pki_make_cert(key, certs[i].cn, certs[i].role, ca, ca_key) : NULL;

		if (x) {
			data[certs[i].crt] = pki_pem(x, NULL, &len[certs[i].crt]);
			data[certs[i].key] = pki_pem(NULL, key, &len[certs[i].key]);
		}
		if (certs[i].role == ROLE_CA) {
			ca = x;
			ca_key = key;
		} else {
			X509_free(x);
			EVP_PKEY_free(key);
		}
		if (!x || !data[certs[i].crt] || !data[certs[i].key]) {
			diag_error(d, dir, 0, 0, "cannot make %s: OpenSSL failed", pki_names[certs[i].crt]);
			goto cleanup;
		}
	}
	data[PKI_TA_KEY] = static_key(&len[PKI_TA_KEY]);
	if (!data[PKI_TA_KEY]) {
		diag_error(d, dir, 0, 0, "cannot make ta.key: no random bytes");
		goto cleanup;
	}
	ret = 0;
cleanup:
	X509_free(ca);
	EVP_PKEY_free(ca_key);
	return ret;
}

/* Writes every file, private keys 0600; after a failure the ones written
 * before it are removed. Returns 1 or -1 (reported). */
static int write_all(const char *dir, char *const data[PKI_FILE_COUNT], const size_t len[PKI_FILE_COUNT],
		     struct diag *d)
{
	int made = 0;

	for (; made < PKI_FILE_COUNT; made++) {
		char *path = xasprintf("%s/%s", dir, pki_names[made]);
		bool secret = strstr(pki_names[made], ".key") != NULL;
		int r = write_file_new(path, data[made], len[made], secret ? 0600 : 0644);
		if (r < 0)
			diag_error(d, path, 0, 0, "cannot write: %s", strerror(-r));
		free(path);
		if (r < 0)
			break;
	}
	if (made == PKI_FILE_COUNT)
		return 1;
	while (made--) {
		char *path = xasprintf("%s/%s", dir, pki_names[made]);

		unlink(path);
		free(path);
	}
	return -1;
}

int pki_generate(const char *dir, struct diag *d)
{
	char *data[PKI_FILE_COUNT] = { 0 };
	size_t len[PKI_FILE_COUNT] = { 0 };
	int r = keys_dir_prepare(dir, "keys", any_present, d);

	if (r <= 0)
		return r;
	r = make_all(dir, data, len, d) < 0 ? -1 : write_all(dir, data, len, d);
	for (int i = 0; i < PKI_FILE_COUNT; i++) {
		if (data[i])
			OPENSSL_cleanse(data[i], len[i]);
		free(data[i]);
	}
	return r;
}

void keys_print_made(const struct emit_opts *e, int made, int ssh_made)
{
	const char *keys = e->keys, *ssh_keys = e->ssh_keys;

	if (made & KEYS_MADE_WG)
		printf("wireguard  made in %s: the server's, the expert's and each scout's keys, and pre-shared keys\n",
		       e->wg_keys);
	if (made & KEYS_MADE_ALL)
		printf("keys       made in %s (a CA, the server, the scout, the expert, tls-crypt); back up %s/ca.key\n",
		       keys, keys);
	else if (made & KEYS_MADE_SCOUT)
		printf("keys       made in %s: the certificate of each scout that had none, signed by its CA\n", keys);
	if (ssh_made & KEYS_MADE_ALL)
		printf("ssh keys   made in %s (the expert's, the scout's and the container's host keys)\n", ssh_keys);
	else if (ssh_made)
		printf("ssh keys   made in %s: the host keys of each scout that had none\n", ssh_keys);
}
