/* Checks the keys before anything is built from them, so that a broken,
 * expired or foreign certificate is an error naming its file, not a VPN
 * that silently never comes up. */
#include <errno.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "parse.h"
#include "pki.h"
#include "pki_make.h"
#include "util.h"

struct checker {
	const char *dir;
	struct diag *d;
	char *path[PKI_FILE_COUNT];
	char *text[PKI_FILE_COUNT]; /* NULL: absent */
	size_t len[PKI_FILE_COUNT];
	bool bad[PKI_FILE_COUNT];   /* present but unreadable or reported */
	X509 *ca;
};

static void report(struct checker *c, enum pki_file f, const char *what)
{
	diag_error(c->d, c->path[f], 0, 0, "%s", what);
	c->bad[f] = true;
}

static X509 *load_cert(struct checker *c, enum pki_file f)
{
	BIO *bio = BIO_new_mem_buf(c->text[f], (int)c->len[f]);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	if (!x)
		report(c, f, "not a PEM certificate");
	return x;
}

static char *time_text(const ASN1_TIME *t)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p, *s = NULL;

	if (bio && ASN1_TIME_print(bio, t)) {
		long len = BIO_get_mem_data(bio, &p);

		s = xstrndup(p, (size_t)len);
	}
	BIO_free(bio);
	return s ? s : xstrdup("?");
}

static bool expires_soon(const X509 *x)
{
	time_t soon = time(NULL) + (time_t)PKI_WARN_DAYS * 86400;

	return X509_cmp_time(X509_get0_notAfter(x), &soon) < 0;
}

/* Validity period, issuer and purpose. */
static void check_cert(struct checker *c, enum pki_file f, X509 *x, int purpose, const char *purpose_name)
{
	char *t;

	if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0) {
		t = time_text(X509_get0_notAfter(x));
		diag_error(c->d, c->path[f], 0, 0, "expired on %s", t);
		c->bad[f] = true;
		free(t);
	} else if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0) {
		t = time_text(X509_get0_notBefore(x));
		diag_error(c->d, c->path[f], 0, 0, "not valid before %s", t);
		c->bad[f] = true;
		free(t);
	} else if (expires_soon(x)) {
		t = time_text(X509_get0_notAfter(x));
		diag_warning(c->d, c->path[f], 0, 0, "expires on %s, in less than %d days; then the VPN refuses it", t,
			     PKI_WARN_DAYS);
		free(t);
	}
	if (f != PKI_CA_CRT && c->ca && X509_verify(x, X509_get0_pubkey(c->ca)) != 1) {
		diag_error(c->d, c->path[f], 0, 0, "not signed by %s", c->path[PKI_CA_CRT]);
		c->bad[f] = true;
	}
	if (purpose >= 0 && X509_check_purpose(x, purpose, 0) != 1) {
		diag_error(c->d, c->path[f], 0, 0, "not a %s certificate (keyUsage/extendedKeyUsage)", purpose_name);
		c->bad[f] = true;
	}
}

static void check_key(struct checker *c, enum pki_file f, X509 *x, enum pki_file crt)
{
	BIO *bio = BIO_new_mem_buf(c->text[f], (int)c->len[f]);
	EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;

	if (!key)
		report(c, f, "not an unencrypted PEM private key");
	else if (x && X509_check_private_key(x, key) != 1) {
		diag_error(c->d, c->path[f], 0, 0, "does not belong to %s", c->path[crt]);
		c->bad[f] = true;
	}
	EVP_PKEY_free(key);
	BIO_free(bio);
}

/* "-----BEGIN OpenVPN Static key V1-----", 256 bytes in hex, the END line. */
static void check_static_key(struct checker *c)
{
	static const char begin[] = "-----BEGIN OpenVPN Static key V1-----";
	static const char end[] = "-----END OpenVPN Static key V1-----";
	const char *p = strstr(c->text[PKI_TA_KEY], begin), *q;
	size_t hex = 0;

	q = p ? strstr(p, end) : NULL;
	for (const char *s = p ? p + sizeof(begin) - 1 : NULL; s && s < q; s++)
		if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F'))
			hex++;
		else if (*s != '\n' && *s != '\r')
			break;
	if (!q || hex != 512)
		report(c, PKI_TA_KEY, "not an OpenVPN static key (openvpn --genkey tls-crypt)");
}

/* The common name names the client-config-dir file on the server, so it is
 * taken whole: one CN, at most PKI_CN_MAX bytes, a plain file name. */
static void common_name(struct checker *c, enum pki_file f, X509 *x, char out[PKI_CN_MAX + 1])
{
	const X509_NAME *name = X509_get_subject_name(x);
	int at = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
	const ASN1_STRING *cn = at >= 0 ? X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at)) : NULL;
	int n = cn ? ASN1_STRING_length(cn) : 0;
	const char *what;

	if (!cn || n <= 0) {
		report(c, f, "has no common name; the server names its client-config-dir file by it");
		return;
	}
	if (X509_NAME_get_index_by_NID(name, NID_commonName, at) >= 0) {
		report(c, f, "has more than one common name; the server would name its client-config-dir file by the last");
		return;
	}
	if (n > PKI_CN_MAX) {
		char *why = xasprintf("its common name is %d bytes long; the server's client-config-dir file name takes at most %d",
				n, PKI_CN_MAX);
		report(c, f, why);
		free(why);
		return;
	}
	memcpy(out, ASN1_STRING_get0_data(cn), (size_t)n);
	out[n] = '\0';
	if (memchr(out, '\0', (size_t)n) || find_unsafe_char(out, (size_t)n, &what) >= 0 || strchr(out, '/') ||
	    strchr(out, ' ') || !strcmp(out, ".") || !strcmp(out, ".."))
		report(c, f, "its common name cannot name a client-config-dir file (no '/', space, quote or control character)");
}

static void check_private_key(struct checker *c, enum pki_file f)
{
	struct stat st;

	if (stat(c->path[f], &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077))
		diag_warning(c->d, c->path[f], 0, 0, "a private key others can read (mode %04o); chmod 600 %s",
			     (unsigned)(st.st_mode & 07777), c->path[f]);
}

/* Keys others can read are worth a warning, not a refusal: the build's
 * outputs set their own modes, but the CA's key may be what leaks. */
static void check_private(struct checker *c)
{
	struct stat st;

	if (stat(c->dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 077))
		diag_warning(c->d, c->dir, 0, 0, "the keys directory is open to others (mode %04o); chmod 700 %s",
			     (unsigned)(st.st_mode & 07777), c->dir);
	for (int f = 0; f < PKI_FILE_COUNT; f++)
		if (strstr(pki_names[f], ".key") && f != PKI_CLIENT_KEY)
			check_private_key(c, (enum pki_file)f);
}

/* Reads the files a check uses: all but the scouts' (scout NULL), or
 * scout's certificate and key in the client's slots, with ca.crt and
 * ta.key. ca.key is never one: a build never signs, and the CA may well
 * be kept offline. */
static void load(struct checker *c, const char *scout)
{
	for (int f = 0; f < PKI_FILE_COUNT; f++) {
		bool client = f == PKI_CLIENT_CRT || f == PKI_CLIENT_KEY;
		int r;

		if (client && scout)
			c->path[f] = pki_scout_path(c->dir, scout, f == PKI_CLIENT_KEY);
		else
			c->path[f] = xasprintf("%s/%s", c->dir, pki_names[f]);
		if (f == PKI_CA_KEY || (client && !scout) ||
		    (scout && !client && f != PKI_CA_CRT && f != PKI_TA_KEY))
			continue;
		r = read_file(c->path[f], PKI_FILE_MAX, &c->text[f], &c->len[f]);
		/* A scout's check says nothing of the files pki_check read. */
		if (r < 0 && r != -ENOENT && (!scout || client)) {
			diag_error(c->d, c->path[f], 0, 0, "cannot read: %s",
				   r == -EFBIG ? "larger than 64 KiB" : strerror(-r));
			c->bad[f] = true;
		}
	}
}

static void checker_free(struct checker *c)
{
	X509_free(c->ca);
	for (int f = 0; f < PKI_FILE_COUNT; f++) {
		if (c->text[f])
			OPENSSL_cleanse(c->text[f], c->len[f]);
		free(c->text[f]);
		free(c->path[f]);
	}
}

/* A role is there when its certificate or key is; then it needs both, and
 * ca.crt and ta.key. */
static bool role_present(struct checker *c, enum pki_file crt, enum pki_file key)
{
	const enum pki_file need[] = { crt, key, PKI_CA_CRT, PKI_TA_KEY };

	if (!c->text[crt] && !c->text[key] && !c->bad[crt] && !c->bad[key])
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(need); i++)
		if (!c->text[need[i]] && !c->bad[need[i]]) {
			diag_error(c->d, c->path[need[i]], 0, 0, "missing; %s needs it",
				   c->path[c->text[crt] ? crt : key] + strlen(c->dir) + 1);
			c->bad[need[i]] = true;
		}
	return true;
}

static bool role_ok(struct checker *c, enum pki_file crt, enum pki_file key)
{
	return !c->bad[crt] && !c->bad[key] && !c->bad[PKI_CA_CRT] && !c->bad[PKI_TA_KEY];
}

unsigned pki_check(const char *dir, struct diag *d, struct pki_status *ret)
{
	static const struct {
		enum pki_file crt, key;
		int purpose;
		const char *name;
	} roles[] = {
		{ PKI_SERVER_CRT, PKI_SERVER_KEY, X509_PURPOSE_SSL_SERVER, "TLS server" },
		{ PKI_EXPERT_CRT, PKI_EXPERT_KEY, X509_PURPOSE_SSL_CLIENT, "TLS client" },
	};
	struct checker c = { .dir = dir, .d = d };
	struct pki_status st = { 0 };
	bool present[ARRAY_SIZE(roles)];
	unsigned before = d->errors;

	load(&c, NULL);
	check_private(&c);
	for (size_t i = 0; i < ARRAY_SIZE(roles); i++)
		present[i] = role_present(&c, roles[i].crt, roles[i].key);
	if (c.text[PKI_CA_CRT] && (c.ca = load_cert(&c, PKI_CA_CRT))) {
		check_cert(&c, PKI_CA_CRT, c.ca, -1, NULL);
		if (X509_check_ca(c.ca) < 1)
			report(&c, PKI_CA_CRT, "not a CA certificate");
	}
	if (c.text[PKI_TA_KEY])
		check_static_key(&c);
	for (size_t i = 0; i < ARRAY_SIZE(roles); i++) {
		X509 *x = c.text[roles[i].crt] ? load_cert(&c, roles[i].crt) : NULL;

		if (x)
			check_cert(&c, roles[i].crt, x, roles[i].purpose, roles[i].name);
		if (c.text[roles[i].key])
			check_key(&c, roles[i].key, x, roles[i].crt);
		if (x && roles[i].crt == PKI_EXPERT_CRT)
			common_name(&c, roles[i].crt, x, st.expert_cn);
		X509_free(x);
	}
	{
		X509_CRL *crl = NULL;

		st.crl = pki_crl_load(dir, c.ca, d, &crl) > 0;
		X509_CRL_free(crl);
	}
	st.server = present[0] && role_ok(&c, PKI_SERVER_CRT, PKI_SERVER_KEY);
	st.expert = present[1] && role_ok(&c, PKI_EXPERT_CRT, PKI_EXPERT_KEY);
	st.ca_reported = c.bad[PKI_CA_CRT];
	st.ta_reported = c.bad[PKI_TA_KEY];
	checker_free(&c);
	*ret = st;
	return d->errors - before;
}

static long long unix_time(const ASN1_TIME *t)
{
	struct tm tm;

	return ASN1_TIME_to_tm(t, &tm) == 1 ? (long long)timegm(&tm) : 0;
}

unsigned pki_check_scout(const char *dir, const char *name, struct pki_status *st, struct diag *d,
			 struct pki_scout *ret)
{
	struct checker c = { .dir = dir, .d = d };
	struct pki_scout sc = { 0 };
	unsigned before = d->errors;
	bool present;
	X509 *x;

	load(&c, name);
	/* What pki_check said about ca.crt and ta.key is not said again. */
	c.bad[PKI_CA_CRT] = st->ca_reported;
	c.bad[PKI_TA_KEY] = st->ta_reported;
	check_private_key(&c, PKI_CLIENT_KEY);
	present = role_present(&c, PKI_CLIENT_CRT, PKI_CLIENT_KEY);
	if (present && c.text[PKI_CA_CRT]) {
		BIO *bio = BIO_new_mem_buf(c.text[PKI_CA_CRT], (int)c.len[PKI_CA_CRT]);

		c.ca = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
	}
	x = c.text[PKI_CLIENT_CRT] ? load_cert(&c, PKI_CLIENT_CRT) : NULL;
	if (x && st->crl) {
		struct diag quiet = { 0 }; /* pki_check said what is wrong with crl.pem */
		X509_CRL *crl = NULL;

		if (pki_crl_load(dir, NULL, &quiet, &crl) > 0 && pki_crl_revoked(crl, x)) {
			char *why = xasprintf("revoked (it is in " PKI_CRL_FILE "): take scout '%s' out of scouts:, "
					      "or delete its certificate and key to make new ones", name);

			report(&c, PKI_CLIENT_CRT, why);
			free(why);
		}
		X509_CRL_free(crl);
	}
	if (x) {
		check_cert(&c, PKI_CLIENT_CRT, x, X509_PURPOSE_SSL_CLIENT, "TLS client");
		common_name(&c, PKI_CLIENT_CRT, x, sc.cn);
		sc.not_after = unix_time(X509_get0_notAfter(x));
	}
	if (c.text[PKI_CLIENT_KEY])
		check_key(&c, PKI_CLIENT_KEY, x, PKI_CLIENT_CRT);
	X509_free(x);
	sc.present = present && role_ok(&c, PKI_CLIENT_CRT, PKI_CLIENT_KEY);
	/* Said once for the fleet, not once per scout. */
	st->ca_reported |= c.bad[PKI_CA_CRT];
	st->ta_reported |= c.bad[PKI_TA_KEY];
	checker_free(&c);
	*ret = sc;
	return d->errors - before;
}
