#include "overlay.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "util.h"

static struct entry *push(struct overlay *o, const char *path, enum entry_type type, unsigned mode,
			  const char *origin)
{
	struct entry *e;

	o->e = xgrow(o->e, o->n, sizeof(*o->e));
	e = &o->e[o->n];
	*e = (struct entry){ .path = xstrdup(path), .type = type, .mode = mode,
			     .origin = xstrdup(origin), .seq = o->n };
	o->n++;
	return e;
}

void overlay_add_file(struct overlay *o, const char *path, unsigned mode, char *data, size_t len,
		      const char *origin)
{
	struct entry *e = push(o, path, ENTRY_FILE, mode, origin);

	e->data = data;
	e->len = len;
}

void overlay_add_source(struct overlay *o, const char *path, unsigned mode, const char *src, size_t len,
			const char *origin)
{
	struct entry *e = push(o, path, ENTRY_FILE, mode, origin);

	e->src = xstrdup(src);
	e->len = len;
}

static unsigned dir_mode(const struct overlay *o, const char *path);

void overlay_add_dir(struct overlay *o, const char *path, const char *origin)
{
	push(o, path, ENTRY_DIR, dir_mode(o, path), origin);
}

void overlay_add_symlink(struct overlay *o, const char *path, const char *target, const char *origin)
{
	push(o, path, ENTRY_SYMLINK, 0777, origin)->target = xstrdup(target);
}

/* Below root: the rest of path, or NULL. */
static const char *under(const char *root, const char *path)
{
	size_t n = root ? strlen(root) : 0;

	if (!root || strncmp(path, root, n) || (path[n] && path[n] != '/'))
		return NULL;
	return path[n] ? path + n + 1 : "";
}

/* The mode a directory gets in the overlay: the one the live system already
 * gives it, so unpacking the overlay does not loosen or tighten it. The
 * container's root is a root too. */
static unsigned dir_mode(const struct overlay *o, const char *path)
{
	static const struct {
		const char *path;
		unsigned mode;
	} known[] = {
		{ "root", 0700 },
		{ "root/.ssh", 0700 },
		{ "tmp", 01777 },
		{ "var/tmp", 01777 },
		{ "var/lib/machines", 0700 },   /* systemd-container's tmpfiles.d */
		{ "etc/openvpn/client/scout", 0700 },
		{ "etc/openvpn/client/expert", 0700 },
		{ "etc/openvpn/server/scout", 0700 },
		{ "etc/scout/iwd", 0700 },      /* wifi_net.h: the networks' passphrases */
		{ "etc/scout/wireguard", 0700 }, /* emit_wg.c: systemd-network's at boot */
		{ "etc/wireguard", 0700 },      /* the exports' wg-quick configs */
	};
	const char *in = under(o->shifted, path);

	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (!strcmp(path, known[i].path) || (in && !strcmp(in, known[i].path)))
			return known[i].mode;
	return 0755;
}

void overlay_shift_ids(struct overlay *o, const char *root, unsigned id)
{
	free(o->shifted);
	o->shifted = xstrdup(root);
	o->shift = id;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	/* Explicit entries before implied parents, then insertion order. */
	if (x->implied != y->implied)
		return x->implied - y->implied;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void entry_free(struct entry *e)
{
	/* What only its owner may read is a secret (keys are 0600): it does
	 * not stay in freed memory. */
	if (e->data && !(e->mode & 044))
		explicit_bzero(e->data, e->len);
	free(e->path);
	free(e->data);
	free(e->src);
	free(e->target);
	free(e->origin);
}

static void add_parents(struct overlay *o)
{
	size_t n = o->n;

	for (size_t i = 0; i < n; i++) {
		char *path = xstrdup(o->e[i].path);
		char *origin = xstrdup(o->e[i].origin);

		for (char *slash = strrchr(path, '/'); slash; slash = strrchr(path, '/')) {
			*slash = '\0';
			push(o, path, ENTRY_DIR, dir_mode(o, path), origin)->implied = 1;
		}
		free(origin);
		free(path);
	}
}

/* Nothing may be packed under a merged-/usr link: unpacked with tar, it
 * would replace /sbin (say) with a directory holding only that entry. */
static unsigned check_usr_links(const struct overlay *o, struct diag *d)
{
	unsigned errors = 0;

	for (size_t i = 0; i < o->n; i++) {
		/* The container's root is a Debian root too. */
		const char *in = under(o->shifted, o->e[i].path);
		const char *link = in && *in ? merged_usr_link(in) : merged_usr_link(o->e[i].path);

		if (!link)
			continue;
		diag_error(d, o->e[i].origin, 0, 0,
			   "'%s' would replace %s%s/%s, a link to usr/%s on Debian 12 and Ubuntu; put it under usr/%s",
			   o->e[i].path, in && *in ? "/" : "", in && *in ? o->shifted : "", link, link, link);
		errors++;
	}
	return errors;
}

unsigned overlay_finish(struct overlay *o, struct diag *d)
{
	unsigned errors;
	size_t out = 0;

	if (!o->n)
		return 0;
	errors = check_usr_links(o, d);
	add_parents(o);
	qsort(o->e, o->n, sizeof(*o->e), entry_cmp);
	bool reported = false; /* one error per path */

	for (size_t i = 0; i < o->n; i++) {
		struct entry *prev = out ? &o->e[out - 1] : NULL;

		if (prev && !strcmp(prev->path, o->e[i].path)) {
			if (!reported && (prev->type != ENTRY_DIR || o->e[i].type != ENTRY_DIR)) {
				reported = true;
				const struct entry *mine = o->e[i].implied ? prev : &o->e[i];
				const struct entry *other = mine == prev ? &o->e[i] : prev;

				if (other->implied)
					diag_error(d, mine->origin, 0, 0, "'%s' must be a directory: %s puts files under it",
						   prev->path, other->origin);
				else
					diag_error(d, mine->origin, 0, 0, "'%s' is also made by %s", prev->path,
						   other->origin);
				errors++;
			}
			entry_free(&o->e[i]);
			continue;
		}
		reported = false;
		o->e[out++] = o->e[i];
	}
	o->n = out;
	for (size_t i = 0; i < o->n; i++)
		o->e[i].owner = under(o->shifted, o->e[i].path) ? o->shift : 0;
	return errors;
}

bool overlay_private(const struct overlay *o)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->e[i].type == ENTRY_FILE && !(o->e[i].mode & 0004))
			return true;
	return false;
}

unsigned overlay_archive_mode(const struct overlay *o)
{
	return overlay_private(o) ? 0600 : 0644;
}

const struct entry *overlay_find(const struct overlay *o, const char *path)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->e[i].path, path))
			return &o->e[i];
	return NULL;
}

void overlay_free(struct overlay *o)
{
	for (size_t i = 0; i < o->n; i++)
		entry_free(&o->e[i]);
	free(o->e);
	free(o->shifted);
	*o = (struct overlay){ 0 };
}
