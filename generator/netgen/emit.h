/* Emit stage (emit.c): renders the templates, copies keys and resources,
 * and lays out the overlay. Reads files; writes none. */
#ifndef SCOUT_EMIT_H
#define SCOUT_EMIT_H

#include "diag.h"
#include "overlay.h"
#include "profile.h"
#include "pki.h"
#include "resources.h"
#include "sshkeys.h"
#include "template.h"
#include "wgkeys.h"

#define KEYS_DIR "/etc/openvpn/client/scout"
#define SERVER_KEYS_DIR "/etc/openvpn/server/scout"
#define EXPERT_KEYS_DIR "/etc/openvpn/client/expert"
#define EXPERT_SSH_DIR "etc/scout"
/* With more than one scout, each one's outputs are in OUT/scouts/NAME/. */
#define BUILD_SCOUTS_DIR "scouts"
/* The host's id for root in the container (private users, 65536 ids). */
#define CONTAINER_UID_BASE 1879048192u /* 0x70000000 */
#define TEMPLATE_MAX_BYTES (1024 * 1024)

/* Where the firewall program goes: /sbin is a link to usr/sbin on the
 * merged-/usr systems the overlay is for, so /sbin/host-iptables works. */
#define HOST_IPTABLES_PATH "usr/sbin/host-iptables"
/* The owner's console, and the profile it reads. */
#define CONSOLE_PATH "usr/sbin/scout-console"
#define CONSOLE_PROFILE_PATH "etc/scout/network.yaml"

struct emit_opts {
	const char *templates;  /* directory */
	const char *resources;  /* directory; missing means none */
	const char *keys;       /* directory; missing means no keys */
	const char *ssh_keys;   /* directory; missing means no SSH keys */
	const char *wg_keys;    /* directory of WireGuard's keys (vpn.type: wireguard) */
	struct extra *extras;
	size_t n_extras;
	bool console;           /* usr/sbin/scout-console is in the overlay: it
				   takes tty1 and the serial consoles */
};

/* What a build writes. An export with no entries is not written: its keys
 * are not there. */
struct outputs {
	struct overlay *overlays; /* each scout's root filesystem overlay, in p->scouts' order */
	size_t n_overlays;
	struct overlay server;    /* exports/server: serves every scout */
	struct overlay expert;    /* exports/expert: reaches every scout */
	long long *cert_end;      /* emit_all: each scout's certificate's end (Unix time), 0: none */
	bool *wg_key;             /* emit_all: each scout has its WireGuard keys (vpn.type: wireguard) */
};

/* A build's keys, checked: the server's and the expert's, and each
 * scout's certificate and host keys. */
struct emit_scout_keys {
	struct pki_scout pki;
	struct ssh_keys ssh;
	struct wg_key wg;         /* vpn.type: wireguard */
};
struct emit_ctx {
	struct profile *p;
	const char *keys, *ssh_keys, *templates;
	struct diag *d;
	struct pki_status st;
	struct emit_scout_keys *scouts; /* p->n_scouts of them */
	struct wg_key wg_server, wg_expert; /* vpn.type: wireguard */
};

/* Checks every key the profile's scouts and exports use (pki_check,
 * pki_check_scout, ssh_keys_load). Returns the number of errors; *ret is
 * set either way, for emit_end. */
unsigned emit_begin(struct profile *p, const struct emit_opts *opts, struct diag *d, struct emit_ctx *ret);
/* Scout i's overlay (selects it in the profile), finished and guarded.
 * Returns the number of errors. */
unsigned emit_overlay(struct emit_ctx *c, size_t i, const struct emit_opts *opts, struct overlay *ret);
/* The exports for the expert's server and the expert, finished; then the
 * warnings about missing keys. Returns the number of errors. */
unsigned emit_exports(struct emit_ctx *c, struct outputs *out);
/* The warnings of a build that succeeded: keys that are not there. */
void emit_warnings(const struct emit_ctx *c, const struct emit_opts *opts);
void emit_end(struct emit_ctx *c);

/* All of it with the same opts for every scout: what `check` and the
 * tests use. Returns the number of errors; on 0, *ret holds them. */
unsigned emit_all(struct profile *p, const struct emit_opts *opts, struct diag *d, struct outputs *ret);
void outputs_free(struct outputs *o);

#endif
