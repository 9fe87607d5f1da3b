/* WireGuard's keys, made and checked with libcrypto's X25519 (no `wg`
 * process): a private key is 32 random bytes clamped by X25519 itself, the
 * public key is derived from it, a pre-shared key is 32 random bytes. */
#include "wgkeys.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pki.h"
#include "util.h"

#define WG_LEN 32

static void b64(const unsigned char raw[WG_LEN], char out[WG_B64_LEN + 1])
{
	EVP_EncodeBlock((unsigned char *)out, raw, WG_LEN);
	out[WG_B64_LEN] = '\0';
}

/* The 32 bytes of text (44 characters of base64), or -1. */
static int unb64(const char *text, unsigned char raw[WG_LEN])
{
	unsigned char out[WG_LEN + 3];

	if (strlen(text) != WG_B64_LEN || text[WG_B64_LEN - 1] != '=' || text[WG_B64_LEN - 2] == '=')
		return -1;
	if (EVP_DecodeBlock(out, (const unsigned char *)text, WG_B64_LEN) != WG_LEN + 1)
		return -1;
	memcpy(raw, out, WG_LEN);
	OPENSSL_cleanse(out, sizeof(out));
	/* Canonical only, as wg reads keys: the last character's unused
	 * bits zero, so that one key has one text (the duplicate check
	 * compares texts). */
	char again[WG_B64_LEN + 1];
	int same;

	b64(raw, again);
	same = !CRYPTO_memcmp(again, text, WG_B64_LEN);
	OPENSSL_cleanse(again, sizeof(again));
	if (!same)
		OPENSSL_cleanse(raw, WG_LEN);
	return same ? 0 : -1;
}

/* The public key of a private one, in base64; -1 when OpenSSL fails. */
static int public_of(const unsigned char priv[WG_LEN], char out[WG_B64_LEN + 1])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, WG_LEN);
	unsigned char pub[WG_LEN];
	size_t len = sizeof(pub);
	int ok = k && EVP_PKEY_get_raw_public_key(k, pub, &len) == 1 && len == WG_LEN;

	EVP_PKEY_free(k);
	if (!ok)
		return -1;
	b64(pub, out);
	return 0;
}

static char *path_of(const char *dir, const char *name, const char *ext)
{
	return xasprintf("%s/%s.%s", dir, name, ext);
}

static bool exists(const char *dir, const char *name, const char *ext)
{
	char *p = path_of(dir, name, ext);
	bool there = access(p, F_OK) == 0;

	free(p);
	return there;
}

/* Writes "TEXT\n" to dir/name.ext, new, with mode. */
static int put(const char *dir, const char *name, const char *ext, const char *text, unsigned mode, struct diag *d)
{
	char *p = path_of(dir, name, ext), *line = xasprintf("%s\n", text);
	int r = write_file_new(p, line, strlen(line), mode);

	if (r < 0)
		diag_error(d, p, 0, 0, "cannot write: %s", strerror(-r));
	OPENSSL_cleanse(line, strlen(line));
	free(line);
	free(p);
	return r < 0 ? -1 : 0;
}

static void drop(const char *dir, const char *name, const char *ext)
{
	char *p = path_of(dir, name, ext);

	unlink(p);
	free(p);
}

/* One peer's missing files; *made counts them. */
static int make_peer(const char *dir, const char *name, bool psk, struct diag *d, int *made)
{
	unsigned char raw[WG_LEN];
	char text[WG_B64_LEN + 1];
	int r = 0;

	if (!exists(dir, name, "key") && !exists(dir, name, "pub")) {
		char pub[WG_B64_LEN + 1];

		if (RAND_priv_bytes(raw, WG_LEN) != 1 || public_of(raw, pub) < 0) {
			diag_error(d, dir, 0, 0, "cannot make the WireGuard key of '%s': OpenSSL failed", name);
			return -1;
		}
		b64(raw, text);
		r = put(dir, name, "key", text, 0600, d);
		if (!r && (r = put(dir, name, "pub", pub, 0644, d)) < 0)
			drop(dir, name, "key");
		*made += !r;
	}
	if (!r && psk && !exists(dir, name, "psk")) {
		if (RAND_priv_bytes(raw, WG_LEN) != 1) {
			diag_error(d, dir, 0, 0, "cannot make the pre-shared key of '%s': OpenSSL failed", name);
			r = -1;
		} else {
			b64(raw, text);
			r = put(dir, name, "psk", text, 0600, d);
			*made += !r;
		}
	}
	OPENSSL_cleanse(raw, sizeof(raw));
	OPENSSL_cleanse(text, sizeof(text));
	return r;
}

int wg_keys_generate(const char *dir, const struct profile *p, struct diag *d)
{
	int made = 0, r = mkdir_p(dir, 0700);
	struct stat st;

	if (r < 0) {
		diag_error(d, dir, 0, 0, "cannot create the WireGuard keys directory: %s", strerror(-r));
		return -1;
	}
	/* Private keys are about to live here. */
	if (stat(dir, &st) == 0 && (st.st_mode & 077) && !exists(dir, "server", "key") && chmod(dir, 0700) < 0) {
		diag_error(d, dir, 0, 0, "cannot make the directory private (chmod 700): %s", strerror(errno));
		return -1;
	}
	r = make_peer(dir, "server", false, d, &made);
	if (!r)
		r = make_peer(dir, "expert", true, d, &made);
	for (size_t i = 0; !r && i < p->n_scouts; i++)
		r = make_peer(dir, p->scouts[i].name, true, d, &made);
	return r < 0 ? -1 : made > 0;
}

/* dir/name.ext's one line into out (44 characters of base64 for 32
 * bytes), raw into raw; errors counted, named by the file. */
static unsigned read_b64(const char *dir, const char *name, const char *ext, bool secret, struct diag *d,
			 char out[WG_B64_LEN + 1], unsigned char raw[WG_LEN])
{
	char *p = path_of(dir, name, ext), *text = NULL;
	size_t len = 0;
	int r = read_file(p, PKI_FILE_MAX, &text, &len);
	unsigned errors = 0;
	struct stat st;

	if (r < 0) {
		diag_error(d, p, 0, 0, r == -ENOENT ? "missing (the other files of '%s' are there)" : "cannot read: %s",
			   r == -ENOENT ? name : strerror(-r));
		errors = 1;
	} else {
		if (len && text[len - 1] == '\n')
			text[--len] = '\0';
		if (len != WG_B64_LEN || memchr(text, '\0', len) || unb64(text, raw) < 0) {
			diag_error(d, p, 0, 0, "not a WireGuard key: one line of 32 bytes in base64 (as `wg genkey` writes)");
			errors = 1;
		} else {
			memcpy(out, text, WG_B64_LEN + 1);
		}
		if (secret && !errors && stat(p, &st) == 0 && (st.st_mode & 077))
			diag_warning(d, p, 0, 0, "a private key others can read (mode %04o); chmod 600 %s",
				     (unsigned)(st.st_mode & 07777), p);
		OPENSSL_cleanse(text, len);
	}
	free(text);
	free(p);
	return errors;
}

unsigned wg_key_load(const char *dir, const char *name, bool psk, struct diag *d, struct wg_key *k)
{
	unsigned char raw[WG_LEN], pub[WG_LEN];
	unsigned errors = 0;

	*k = (struct wg_key){ 0 };
	if (!exists(dir, name, "key") && !exists(dir, name, "pub") && (!psk || !exists(dir, name, "psk")))
		return 0;
	errors += read_b64(dir, name, "pub", false, d, k->pub, pub);
	if (!read_b64(dir, name, "key", true, d, k->priv, raw)) {
		char derived[WG_B64_LEN + 1];

		if (public_of(raw, derived) < 0) {
			diag_error(d, dir, 0, 0, "cannot check the WireGuard key of '%s': OpenSSL failed", name);
			errors++;
		} else if (!errors && strcmp(derived, k->pub)) {
			char *p = path_of(dir, name, "pub");

			diag_error(d, p, 0, 0, "not the public key of %s.key", name);
			free(p);
			errors++;
		}
	} else {
		errors++;
	}
	if (psk)
		errors += read_b64(dir, name, "psk", true, d, k->psk, raw);
	OPENSSL_cleanse(raw, sizeof(raw));
	k->present = !errors;
	if (errors)
		OPENSSL_cleanse(k, sizeof(*k));
	return errors;
}

/* One peer's public key or pre-shared key may be no other's: two peers
 * with one public key are one peer to the server (the second takes the
 * first's address); a shared pre-shared key lets one peer's holder
 * weaken the other's tunnel. Compared in constant time, being secrets. */
unsigned wg_keys_distinct(const char *dir, const char *const names[], const struct wg_key *const keys[], size_t n,
			  struct diag *d)
{
	unsigned errors = 0;

	for (size_t j = 1; j < n; j++) {
		for (size_t i = 0; i < j; i++) {
			if (!keys[i]->present || !keys[j]->present)
				continue;
			const char *ext = NULL;

			if (!CRYPTO_memcmp(keys[i]->pub, keys[j]->pub, WG_B64_LEN))
				ext = "key";
			else if (keys[i]->psk[0] && keys[j]->psk[0] &&
				 !CRYPTO_memcmp(keys[i]->psk, keys[j]->psk, WG_B64_LEN))
				ext = "psk";
			if (!ext)
				continue;
			char *p = path_of(dir, names[j], ext);
			char *how = *ext == 'k' ? xasprintf("remove %s.key and %s.pub to make a new pair", names[j], names[j])
						: xasprintf("remove %s.psk to make a new one", names[j]);

			diag_error(d, p, 0, 0, "the same key as %s.%s: each peer needs its own (%s)", names[i], ext, how);
			free(how);
			free(p);
			errors++;
		}
	}
	return errors;
}
