#include "sshkeys.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pki.h"
#include "profile.h"
#include "util.h"

#define SSH_FILE_MAX (64 * 1024)

const char *const ssh_key_names[SSH_KEY_COUNT] = {
	[SSH_EXPERT] = "expert",
	[SSH_HOST] = "scout_host_ed25519_key",
	[SSH_CONTAINER] = "container_host_ed25519_key",
};

static const char *const comments[SSH_KEY_COUNT] = {
	[SSH_EXPERT] = "expert@scout", [SSH_HOST] = "scout host", [SSH_CONTAINER] = "scout container",
};

static char *key_path(const char *dir, enum ssh_key k, bool pub)
{
	return xasprintf("%s/%s%s", dir, ssh_key_names[k], pub ? ".pub" : "");
}

/* Whether any of the keys from first on is in dir. */
static bool any_from(const char *dir, enum ssh_key first)
{
	bool there = false;

	for (int k = first; k < SSH_KEY_COUNT && !there; k++)
		for (int pub = 0; pub < 2 && !there; pub++) {
			char *p = key_path(dir, (enum ssh_key)k, pub);

			there = access(p, F_OK) == 0;
			free(p);
		}
	return there;
}

/* ssh-keygen with an argv; 0 when it made the pair. */
static int keygen(const char *path, const char *comment)
{
	char *argv[] = { "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", (char *)comment, "-f",
			 (char *)path, NULL };
	int status = run_program(argv);

	if (status > 0)
		errno = 0;
	return status == 0 ? 0 : -1;
}

static bool any_present(const char *dir)
{
	return any_from(dir, SSH_EXPERT);
}

static bool any_host_key(const char *dir)
{
	return any_from(dir, SSH_HOST);
}

char *ssh_scout_dir(const char *dir, const char *name)
{
	if (!strcmp(name, SCOUT_DEFAULT_NAME))
		return xstrdup(dir);
	return xasprintf("%s/%s/%s", dir, SSH_SCOUTS_DIR, name);
}

/* The keys from first on, in dir (prepared); none left after a failure. */
static int generate_from(const char *dir, enum ssh_key first, struct diag *d)
{
	int made = first;

	for (; made < SSH_KEY_COUNT; made++) {
		char *p = key_path(dir, (enum ssh_key)made, false);
		int r = keygen(p, comments[made]);

		if (r < 0)
			diag_error(d, p, 0, 0, "ssh-keygen could not make it%s%s", errno ? ": " : "",
				   errno ? strerror(errno) : "");
		free(p);
		if (r < 0)
			break;
	}
	if (made == SSH_KEY_COUNT)
		return 1;
	for (int k = first; k <= made && k < SSH_KEY_COUNT; k++)
		for (int pub = 0; pub < 2; pub++) {
			char *p = key_path(dir, (enum ssh_key)k, pub);

			unlink(p);
			free(p);
		}
	return -1;
}

int ssh_keys_generate(const char *dir, struct diag *d)
{
	int r = keys_dir_prepare(dir, "SSH keys", any_present, d);

	return r <= 0 ? r : generate_from(dir, SSH_EXPERT, d);
}

int ssh_scout_keys_generate(const char *dir, const char *name, struct diag *d)
{
	char *sub;
	int r;

	if (!strcmp(name, SCOUT_DEFAULT_NAME) || access(dir, F_OK) < 0)
		return 0;
	sub = ssh_scout_dir(dir, name);
	r = keys_dir_prepare(sub, "SSH keys", any_host_key, d);
	if (r > 0)
		r = generate_from(sub, SSH_HOST, d);
	free(sub);
	return r;
}

/* ---- reading them ---- */

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* One SSH wire-format string at *p (of end), advancing *p. */
static bool get_string(const unsigned char **p, const unsigned char *end, const unsigned char **ret,
		       uint32_t *ret_len)
{
	uint32_t n;

	if (end - *p < 4)
		return false;
	n = get32(*p);
	if ((size_t)(end - *p - 4) < n)
		return false;
	*ret = *p + 4;
	*ret_len = n;
	*p += 4 + n;
	return true;
}

/* Base64 of at most max encoded bytes; NULL when it is not base64. */
static unsigned char *unbase64(const char *s, size_t n, size_t *ret_len)
{
	unsigned char *out;
	int len;

	if (!n || n % 4 || n > SSH_FILE_MAX)
		return NULL;
	out = xmalloc(n / 4 * 3 + 1);
	len = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
	if (len < 0) {
		free(out);
		return NULL;
	}
	len -= (s[n - 1] == '=') + (s[n - 2] == '=');
	*ret_len = (size_t)len;
	return out;
}

/* The public key blob inside an OpenSSH private key file (openssh-key-v1:
 * cipher, kdf, kdf options, key count, then the public keys in clear).
 * Returns NULL and a reason when it is not one, or is encrypted. */
static unsigned char *private_pubkey(const char *text, size_t *ret_len, const char **why)
{
	static const char begin[] = "-----BEGIN OPENSSH PRIVATE KEY-----\n", end[] = "-----END OPENSSH PRIVATE KEY-----";
	static const char magic[] = "openssh-key-v1";
	const char *b = strstr(text, begin), *e = b ? strstr(b, end) : NULL;
	struct buf b64 = { 0 };
	unsigned char *blob = NULL, *pub = NULL;
	const unsigned char *p, *stop, *s;
	size_t len = 0;
	uint32_t n;

	*why = "not an OpenSSH private key (ssh-keygen makes them)";
	if (!e)
		return NULL;
	for (const char *c = b + sizeof(begin) - 1; c < e; c++)
		if (*c != '\n' && *c != '\r')
			buf_append(&b64, c, 1);
	blob = b64.len ? unbase64(b64.data, b64.len, &len) : NULL;
	buf_free(&b64);
	if (!blob || len < sizeof(magic) || memcmp(blob, magic, sizeof(magic)))
		goto cleanup;
	p = blob + sizeof(magic);
	stop = blob + len;
	if (!get_string(&p, stop, &s, &n))
		goto cleanup;
	if (n != 4 || memcmp(s, "none", 4)) {
		*why = "encrypted with a passphrase; the scout's sshd cannot ask for it";
		goto cleanup;
	}
	if (!get_string(&p, stop, &s, &n) || !get_string(&p, stop, &s, &n) || stop - p < 4 || get32(p) != 1)
		goto cleanup;
	p += 4;
	if (!get_string(&p, stop, &s, &n))
		goto cleanup;
	pub = xmalloc(n ? n : 1);
	memcpy(pub, s, n);
	*ret_len = n;
	*why = NULL;
cleanup:
	free(blob);
	return pub;
}

/* "TYPE BASE64 [comment]\n": the first two fields, and the decoded blob. */
static char *public_key(const char *text, unsigned char **ret_blob, size_t *ret_len)
{
	size_t type = strcspn(text, " \t\n"), data;
	const char *d = text + type;

	if (!type || *d != ' ')
		return NULL;
	d += strspn(d, " ");
	data = strcspn(d, " \t\r\n");
	*ret_blob = unbase64(d, data, ret_len);
	if (!*ret_blob)
		return NULL;
	return xasprintf("%.*s %.*s", (int)type, text, (int)data, d);
}

static unsigned check_pair(const char *dir, enum ssh_key k, struct diag *d, struct ssh_keys *ret)
{
	char *priv = key_path(dir, k, false), *pub = key_path(dir, k, true), *text = NULL;
	unsigned char *want = NULL, *have = NULL;
	size_t want_len = 0, have_len = 0, len = 0;
	const char *why = NULL;
	unsigned errors = 0;
	int r = read_file(priv, SSH_FILE_MAX, &ret->priv[k], &ret->priv_len[k]);

	if (r < 0) {
		diag_error(d, priv, 0, 0, "cannot read: %s", r == -ENOENT ? "missing" : strerror(-r));
		errors++;
	} else if (!(want = private_pubkey(ret->priv[k], &want_len, &why)) && (k != SSH_EXPERT || !strstr(why, "encrypted"))) {
		diag_error(d, priv, 0, 0, "%s", why);
		errors++;
	}
	r = read_file(pub, SSH_FILE_MAX, &text, &len);
	if (r < 0) {
		diag_error(d, pub, 0, 0, "cannot read: %s", r == -ENOENT ? "missing" : strerror(-r));
		errors++;
	} else if (!(ret->pub[k] = public_key(text, &have, &have_len))) {
		diag_error(d, pub, 0, 0, "not an OpenSSH public key (TYPE BASE64 COMMENT)");
		errors++;
	} else if (want && (want_len != have_len || memcmp(want, have, want_len))) {
		diag_error(d, pub, 0, 0, "is not the public key of %s", priv);
		errors++;
	}
	free(want);
	free(have);
	free(text);
	free(priv);
	free(pub);
	return errors;
}

unsigned ssh_keys_load(const char *dir, const char *name, struct diag *d, struct ssh_keys *ret)
{
	char *sub = ssh_scout_dir(dir, name);
	struct ssh_keys k = { 0 };
	unsigned errors = 0;

	if (!any_present(dir) && !any_host_key(sub)) {
		free(sub);
		*ret = k;
		return 0;
	}
	/* The expert's key is one for the fleet; the host keys each scout's. */
	errors += check_pair(dir, SSH_EXPERT, d, &k);
	for (int i = SSH_HOST; i < SSH_KEY_COUNT; i++)
		errors += check_pair(sub, (enum ssh_key)i, d, &k);
	free(sub);
	k.present = !errors;
	if (errors)
		ssh_keys_free(&k);
	*ret = k;
	return errors;
}

void ssh_keys_free(struct ssh_keys *k)
{
	for (int i = 0; i < SSH_KEY_COUNT; i++) {
		if (k->priv[i])
			OPENSSL_cleanse(k->priv[i], k->priv_len[i]);
		free(k->priv[i]);
		free(k->pub[i]);
	}
	*k = (struct ssh_keys){ 0 };
}
