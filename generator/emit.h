/* Emit stage: renders the templates, copies keys and resources, and lays
 * out the overlay. Reads files; writes none. */
#ifndef SCOUT_EMIT_H
#define SCOUT_EMIT_H

#include "diag.h"
#include "overlay.h"
#include "profile.h"
#include "template.h"

#define KEYS_DIR "/etc/openvpn/client/scout"
#define TEMPLATE_MAX_BYTES (1024 * 1024)

/* A file added to the overlay as it is: path in the overlay, file on disk. */
struct extra {
	char *path;
	const char *file;
};

struct emit_opts {
	const char *templates;  /* directory */
	const char *resources;  /* directory; missing means none */
	const char *keys;       /* directory; missing means no keys */
	struct extra *extras;
	size_t n_extras;
};

/* The variables templates can use, from the profile (vars.c). */
void vars_from_profile(const struct profile *p, struct tvars *ret);

/* Returns the number of errors; on 0, *ret holds the finished overlay. */
unsigned emit_overlay(const struct profile *p, const struct emit_opts *opts, struct diag *d,
		      struct overlay *ret);

/* resources.c: adds every file under dir at its relative path. */
unsigned resources_add(const char *dir, struct overlay *o, struct diag *d);
/* resources.c: adds the extra files (--add). */
unsigned extras_add(const struct extra *extras, size_t n, struct overlay *o, struct diag *d);
/* keys.c: adds the client's keys and certificates found in dir. */
unsigned keys_add(const char *dir, struct overlay *o, struct diag *d);

#endif
