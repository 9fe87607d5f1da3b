/* WireGuard's keys (vpn.type: wireguard), in one directory
 * (config/wireguard): X25519 key pairs NAME.key and NAME.pub for the
 * server, the expert and each scout, and a pre-shared key NAME.psk for the
 * expert and each scout (shared with the server). Each file is one line,
 * the 32 bytes in base64, as `wg genkey` writes them. */
#ifndef SCOUT_WGKEYS_H
#define SCOUT_WGKEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "profile.h"

#define WG_B64_LEN 44 /* 32 bytes in base64 */

struct wg_key {
	bool present;                   /* key, pub (and psk when asked), checked */
	char priv[WG_B64_LEN + 1];
	char pub[WG_B64_LEN + 1];
	char psk[WG_B64_LEN + 1];       /* "" when not asked for */
};

/* Makes in dir (0700, made when missing) every key of p's WireGuard
 * peers that has none: a pair when neither NAME.key nor NAME.pub is
 * there, a pre-shared key when NAME.psk is not. Never replaces a file.
 * Returns 1 when it made any, 0 when none was missing, -1 on error
 * (reported; what this call made is removed again). */
int wg_keys_generate(const char *dir, const struct profile *p, struct diag *d);
/* Reads and checks NAME's files in dir (with psk, NAME.psk too): each one
 * line of 32 bytes in base64, the public key that of the private one.
 * Returns the number of errors; k->present when all are there and good.
 * A peer with none of its files is no error (k->present false). */
unsigned wg_key_load(const char *dir, const char *name, bool psk, struct diag *d, struct wg_key *k);
/* Checks that no two of the n loaded keys (named names[i]) share a
 * public key or a pre-shared key; each one that does is an error naming
 * both files. Returns the number of errors. */
unsigned wg_keys_distinct(const char *dir, const char *const names[], const struct wg_key *const keys[], size_t n,
			  struct diag *d);

#endif
