/* Common names are taken whole: a client certificate whose CN is longer
 * than a client-config-dir file name may be is an error naming the length,
 * never a name cut to fit. The openssl command line keeps to X.509's
 * 64-byte bound, so the certificates are made here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pki.h"
#include "util.h"

static char dir[] = "/tmp/test_pki.XXXXXX";

static void *load(const char *name, int key)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	void *x;

	assert_non_null(f);
	x = key ? (void *)PEM_read_PrivateKey(f, NULL, NULL, NULL) : (void *)PEM_read_X509(f, NULL, NULL, NULL);
	assert_non_null(x);
	fclose(f);
	free(path);
	return x;
}

/* Replaces client.crt with one for client.key, signed by the CA, with a
 * common name of n bytes set as a UTF8String as it is (no length bound). */
static void client_cert_with_cn(size_t n)
{
	X509 *ca = load("ca.crt", 0), *x = X509_new();
	EVP_PKEY *ca_key = load("ca.key", 1), *key = load("client.key", 1);
	char *cn = xmalloc(n + 1), *path = xasprintf("%s/client.crt", dir);
	X509V3_CTX ctx;
	X509_EXTENSION *eku;
	FILE *f;

	memset(cn, 'c', n);
	cn[n] = '\0';
	assert_true(X509_set_version(x, 2));
	assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), 7));
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), -60));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 400L * 86400));
	assert_true(X509_set_pubkey(x, key));
	assert_true(X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", V_ASN1_UTF8STRING,
					       (const unsigned char *)cn, (int)n, -1, 0));
	assert_true(X509_set_issuer_name(x, X509_get_subject_name(ca)));
	X509V3_set_ctx(&ctx, ca, x, NULL, NULL, 0);
	eku = X509V3_EXT_conf_nid(NULL, &ctx, NID_ext_key_usage, "clientAuth");
	assert_non_null(eku);
	assert_true(X509_add_ext(x, eku, -1));
	assert_true(X509_sign(x, ca_key, EVP_sha256()) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(PEM_write_X509(f, x));
	fclose(f);
	X509_EXTENSION_free(eku);
	X509_free(x);
	X509_free(ca);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(key);
	free(cn);
	free(path);
}

/* pki_check's and pki_check_scout's messages, and the scout's common name it read. */
static char *check(struct pki_scout *st)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct diag d = { .stream = f };

	struct pki_status base;

	pki_check(dir, &d, &base);
	pki_check_scout(dir, "scout", &base, &d, st);
	diag_flush(&d);
	fclose(f);
	return text;
}

static void test_long_common_name(void **state)
{
	struct pki_scout st;
	char *text, *want;

	(void)state;
	client_cert_with_cn(64);
	text = check(&st);
	assert_string_equal(text, "");
	assert_true(st.present);
	assert_int_equal(strlen(st.cn), 64);
	free(text);

	client_cert_with_cn(200);
	text = check(&st);
	want = xasprintf("%s/client.crt: error: its common name is 200 bytes long; the server's client-config-dir file name takes at most 64\n",
			 dir);
	assert_string_equal(text, want);
	assert_false(st.present);
	free(want);
	free(text);
}

static int setup(void **state)
{
	struct diag d = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	return pki_generate(dir, &d) == 1 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	remove_tree(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_common_name),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
