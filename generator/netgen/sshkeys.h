/* The SSH keys of a scout: the expert's key pair (authorized for root in
 * the container and on the host) and the host keys of the scout and of its
 * container (pinned in the expert's known_hosts). They live in one
 * directory (config/ssh); ssh-keygen makes them, as Debian's tool for
 * OpenSSH's key formats. */
#ifndef SCOUT_SSHKEYS_H
#define SCOUT_SSHKEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum ssh_key { SSH_EXPERT, SSH_HOST, SSH_CONTAINER, SSH_KEY_COUNT };

/* File names: the private key; the public one adds ".pub". */
extern const char *const ssh_key_names[SSH_KEY_COUNT];

struct ssh_keys {
	bool present;                     /* all of them, checked */
	char *priv[SSH_KEY_COUNT];        /* OpenSSH private key files */
	size_t priv_len[SSH_KEY_COUNT];
	char *pub[SSH_KEY_COUNT];         /* "TYPE BASE64" without comment or newline */
};

/* Where the fleet's scouts but SCOUT_DEFAULT_NAME keep their host keys:
 * DIR/scouts/NAME/, with the same file names. */
#define SSH_SCOUTS_DIR "scouts"

/* When dir holds none of the files, makes them all (ed25519, no
 * passphrase; private keys 0600, the directory 0700). Never replaces a
 * file; a failure leaves none of them. Returns 1 when made, 0 when there
 * were keys, -1 on error (reported through d). */
int ssh_keys_generate(const char *dir, struct diag *d);
/* The same for scout name's host keys (SSH_HOST, SSH_CONTAINER) in its own
 * directory; nothing for SCOUT_DEFAULT_NAME, whose are dir's, or when dir
 * does not exist. */
int ssh_scout_keys_generate(const char *dir, const char *name, struct diag *d);
/* The directory of scout name's host keys (dir itself for SCOUT_DEFAULT_NAME). */
char *ssh_scout_dir(const char *dir, const char *name);

/* Reads and checks the expert's key in dir and scout name's host keys:
 * every private key is an unencrypted OpenSSH key and its .pub is its
 * public key. None at all is not an error (present stays false); some
 * but not all is. Returns the number of errors. */
unsigned ssh_keys_load(const char *dir, const char *name, struct diag *d, struct ssh_keys *ret);
void ssh_keys_free(struct ssh_keys *k);

#endif
