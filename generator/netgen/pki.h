/* The VPN's keys: made when the builder has none, checked before every
 * build. Certificates and keys live in one directory (config/openvpn). */
#ifndef SCOUT_PKI_H
#define SCOUT_PKI_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define PKI_CN_MAX 64
/* A certificate this close to its end is worth a warning. */
#define PKI_WARN_DAYS 30
#define PKI_FILE_MAX (64 * 1024) /* no key or certificate is larger */
/* Where the fleet's scouts but SCOUT_DEFAULT_NAME keep their certificates
 * and keys, in the key directory: NAME.crt and NAME.key. */
#define PKI_SCOUTS_DIR "scouts"
/* The revocation list, in the key directory (keys --revoke). */
#define PKI_CRL_FILE "crl.pem"

/* Every file the build knows, in the keys directory. ca.key is made here
 * and never leaves it. */
enum pki_file {
	PKI_CA_CRT, PKI_CA_KEY, PKI_SERVER_CRT, PKI_SERVER_KEY, PKI_CLIENT_CRT, PKI_CLIENT_KEY,
	PKI_EXPERT_CRT, PKI_EXPERT_KEY, PKI_TA_KEY, PKI_FILE_COUNT
};

extern const char *const pki_names[PKI_FILE_COUNT];

/* When dir holds none of the files, makes them all: an EC P-256 CA, a
 * server certificate (serverAuth), the scout's and the expert's client
 * certificates (clientAuth), all SHA-256, and a tls-crypt key. Private keys
 * are 0600, the directory 0700. Never replaces an existing file. Returns
 * 1 when it made them, 0 when there were keys already, -1 on error
 * (reported through d, and nothing left half made). */
int pki_generate(const char *dir, struct diag *d);
/* What keys_make made, as bits: everything (pki_generate's or
 * ssh_keys_generate's 1), or only some scouts' own keys. */
#define KEYS_MADE_ALL 1
#define KEYS_MADE_SCOUT 2
#define KEYS_MADE_WG 4 /* WireGuard's (vpn.type: wireguard) */
/* The summary's lines for the keys made (KEYS_MADE_* bits, nothing for 0). */
struct emit_opts;
void keys_print_made(const struct emit_opts *e, int made, int ssh_made);

/* Before keys are made in dir: makes it (with its parents) when missing.
 * Returns 0 when any_present(dir) finds keys there, 1 when it has none and
 * is now 0700, -1 on error (reported through d, naming the "what
 * directory"). */
int keys_dir_prepare(const char *dir, const char *what, bool (*any_present)(const char *dir), struct diag *d);

/* What the build may use, after checking it. */
struct pki_status {
	bool server;  /* ca.crt, server.crt, server.key, ta.key */
	bool expert;  /* ca.crt, expert.crt, expert.key, ta.key */
	char expert_cn[PKI_CN_MAX + 1];
	bool ca_reported, ta_reported; /* bad or missing, and said so */
	bool crl;     /* crl.pem, signed by ca.crt: the server's export gets it */
};

/* Checks every file present but the scouts': each certificate parses, is
 * in its validity period, is signed by ca.crt, has the purpose its role
 * needs and matches its key; ta.key is an OpenVPN static key. Returns the
 * number of errors, each naming its file. A role whose files are all
 * absent is not an error: its flag stays false. */
unsigned pki_check(const char *dir, struct diag *d, struct pki_status *ret);

/* A scout's client certificate, after checking it. */
struct pki_scout {
	bool present;                /* certificate, key, ca.crt and ta.key, checked */
	char cn[PKI_CN_MAX + 1];
	long long not_after;         /* Unix time */
};

/* The file of scout name's certificate (key false) or key, in dir. */
char *pki_scout_path(const char *dir, const char *name, bool key);
/* When scout name has neither certificate nor key, makes both, signed by
 * dir's CA (ca.key must be there). Returns 1 when made, 0 when there was
 * one (or dir does not exist), -1 on error (reported; nothing left). */
int pki_scout_generate(const char *dir, const char *name, struct diag *d);
/* Checks scout name's certificate and key as pki_check checks the others,
 * with what pki_check found (st) about ca.crt and ta.key; what it says
 * about them is added to st, so that a fleet hears it once. */
unsigned pki_check_scout(const char *dir, const char *name, struct pki_status *st, struct diag *d,
			 struct pki_scout *ret);

/* dir/crl.pem (to free). */
char *pki_crl_path(const char *dir);
/* Revokes scout name's certificate: adds it to dir/crl.pem (made when
 * missing), signed by dir's CA. Returns 1 when revoked now, 0 when it was
 * already, -1 on error (reported; crl.pem as it was). */
int pki_revoke(const char *dir, const char *name, struct diag *d);

#endif
