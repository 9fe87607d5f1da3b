/* Emit stage: renders the templates, copies keys and resources, and lays
 * out the overlay. Reads files; writes none. */
#ifndef SCOUT_EMIT_H
#define SCOUT_EMIT_H

#include "diag.h"
#include "overlay.h"
#include "pki.h"
#include "profile.h"
#include "sshkeys.h"
#include "template.h"

#define KEYS_DIR "/etc/openvpn/client/scout"
#define SERVER_KEYS_DIR "/etc/openvpn/server/scout"
#define EXPERT_KEYS_DIR "/etc/openvpn/client/expert"
#define EXPERT_SSH_DIR "etc/scout"
/* The host's id for root in the container (private users, 65536 ids). */
#define CONTAINER_UID_BASE 1879048192u /* 0x70000000 */
#define TEMPLATE_MAX_BYTES (1024 * 1024)

/* A file added to the overlay as it is: path in the overlay, file on disk. */
struct extra {
	char *path;
	char *file;
	const char *origin; /* names it in messages; NULL: the file */
};

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
	struct extra *extras;
	size_t n_extras;
	bool console;           /* usr/sbin/scout-console is in the overlay: it
				   takes tty1 and the serial consoles */
};

/* The variables templates can use, from the profile (vars.c). */
void vars_from_profile(const struct profile *p, struct tvars *ret);

/* What a build writes. An export with no entries is not written: its keys
 * are not there. */
struct outputs {
	struct overlay overlay; /* the scout's root filesystem overlay */
	struct overlay server;  /* exports/server */
	struct overlay expert;  /* exports/expert */
};

/* Checks the keys (pki_check), renders every template, lays out the
 * overlay and the exports. Returns the number of errors; on 0, *ret holds
 * them, finished. */
unsigned emit_all(const struct profile *p, const struct emit_opts *opts, struct diag *d,
		  struct outputs *ret);
void outputs_free(struct outputs *o);

/* resources.c: adds every file under dir at its relative path. */
unsigned resources_add(const char *dir, struct overlay *o, struct diag *d);
/* resources.c: adds the extra files (--add). */
unsigned extras_add(const struct extra *extras, size_t n, struct overlay *o, struct diag *d);
/* resources.c: one more extra in opts, owning path and file. */
void extra_append(struct emit_opts *opts, char *path, char *file, const char *origin);
/* guard.c: refuses entries from resources under dir that override what
 * the build generates (units' drop-ins and masks, sshd and sysctl
 * configuration, networks sorting first), but for the overlay paths listed
 * in dir/GUARD_ALLOW_FILE. o is finished. Returns the number of errors. */
#define GUARD_ALLOW_FILE ".scout-overrides"
unsigned guard_resources(const struct overlay *o, const char *dir, struct diag *d);
/* keys.c: copies files of dir into dest_dir (absolute) of o; keys 0600. */
unsigned keys_copy(const char *dir, const enum pki_file *files, size_t n, const char *dest_dir,
		   struct overlay *o, struct diag *d);

#endif
