/* Resources may add to the image, not switch its hardening off: a file
 * under resources/ that would override a generated unit, the generated
 * sshd configuration, the generated networks or the kernel's forwarding
 * is refused, unless resources/.scout-overrides lists its path. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "guard.h"
#include "parse.h"
#include "util.h"

#define UNITS "etc/systemd/system/"
#define NETWORKS "etc/systemd/network/"
#define ALLOW_MAX_BYTES (64 * 1024)

struct guard {
	const struct overlay *o;
	const char *res;      /* "DIR/": origins of resources start with it */
	char **allowed;       /* .scout-overrides, one overlay path a line */
	unsigned *line;
	bool *used;
	size_t n_allowed;
};

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool from_resources(const struct guard *g, const struct entry *e)
{
	return e->type != ENTRY_DIR && starts(e->origin, g->res);
}

/* Whether drop-in directory dropin ("X.d") applies to unit: the unit's
 * own, its template's, a dash prefix's ("foo-.service.d") or its type's
 * ("service.d"), as systemd reads them. */
static bool dropin_applies(const char *dropin, size_t n, const char *unit)
{
	const char *dot = strrchr(unit, '.'), *at = strchr(unit, '@');

	if (!dot || n < 3 || strncmp(dropin + n - 2, ".d", 2))
		return false;
	n -= 2;
	if ((n == strlen(unit) && !strncmp(dropin, unit, n)) || (n == strlen(dot + 1) && !strncmp(dropin, dot + 1, n)))
		return true;
	if (at && n == (size_t)(at - unit) + 1 + strlen(dot) && !strncmp(dropin, unit, (size_t)(at - unit) + 1) &&
	    !strncmp(dropin + (at - unit) + 1, dot, strlen(dot)))
		return true; /* the template: foo@.service */
	for (const char *p = unit; (p = strchr(p, '-')) && p < dot; p++)
		if (n == (size_t)(p - unit) + 1 + strlen(dot) && !strncmp(dropin, unit, (size_t)(p - unit) + 1) &&
		    !strncmp(dropin + (p - unit) + 1, dot, strlen(dot)))
			return true;
	return false;
}

/* The unit a generated entry under root's UNITS makes or changes
 * (scout-firewall.service, ssh.service for ssh.service.d/..., a .wants
 * link's unit), or NULL. */
static const char *generated_unit(const char *rel, size_t *ret_len)
{
	const char *slash;

	if (!starts(rel, UNITS))
		return NULL;
	rel += strlen(UNITS);
	slash = strchr(rel, '/');
	if (!slash) {
		*ret_len = strlen(rel);
		return rel;
	}
	if (slash - rel > 2 && !strncmp(slash - 2, ".d", 2)) {
		*ret_len = (size_t)(slash - rel) - 2;
		return rel;
	}
	*ret_len = strlen(slash + 1);
	return strchr(slash + 1, '/') ? NULL : slash + 1;
}

/* rel below root, the root's part of path, or NULL. */
static const char *in_root(const char *root, const char *path)
{
	size_t n = root ? strlen(root) : 0;

	if (!root || !path)
		return path;
	return !strncmp(path, root, n) && path[n] == '/' ? path + n + 1 : NULL;
}

/* The generated entry, in the same root as rel, that the resource at rel
 * overrides, or NULL. */
static const struct entry *overridden_unit(const struct guard *g, const char *root, const char *rel,
					   const struct entry *res)
{
	const char *name, *slash;
	bool mask = res->type == ENTRY_SYMLINK && !strcmp(res->target, "/dev/null");

	if (!starts(rel, UNITS))
		return NULL;
	name = rel + strlen(UNITS);
	slash = strchr(name, '/');
	if ((!slash && !mask) || (slash && strchr(slash + 1, '/')))
		return NULL;
	for (size_t i = 0; i < g->o->n; i++) {
		const struct entry *e = &g->o->e[i];
		const char *grel = in_root(root, e->path), *unit;
		size_t len = 0;
		char *u;
		bool hit;

		if (from_resources(g, e) || e->type == ENTRY_DIR || !grel || !(unit = generated_unit(grel, &len)))
			continue;
		u = xstrndup(unit, len);
		hit = slash ? dropin_applies(name, (size_t)(slash - name), u) : !strcmp(name, u);
		free(u);
		if (hit)
			return e;
	}
	return NULL;
}

/* The last generated .network in rel's directory when rel, a .network,
 * sorts before it (networkd takes the first file that matches a link), or
 * the generated .network whose drop-in rel is. */
static const struct entry *overridden_network(const struct guard *g, const char *root, const char *rel)
{
	const char *name, *slash;
	const struct entry *last = NULL;
	size_t n;

	if (!starts(rel, NETWORKS))
		return NULL;
	name = rel + strlen(NETWORKS);
	slash = strchr(name, '/');
	n = strlen(name);
	for (size_t i = 0; i < g->o->n; i++) {
		const struct entry *e = &g->o->e[i];
		const char *grel = in_root(root, e->path);

		if (from_resources(g, e) || e->type != ENTRY_FILE || !grel || !starts(grel, NETWORKS) ||
		    strchr(grel + strlen(NETWORKS), '/'))
			continue;
		grel += strlen(NETWORKS);
		if (slash && (size_t)(slash - name) == strlen(grel) + 2 && !strncmp(name, grel, strlen(grel)))
			return e;
		if (!slash && n > 8 && !strcmp(name + n - 8, ".network") && strcmp(name, grel) < 0)
			last = e;
	}
	return last;
}

/* Configuration read whole by a generated one's reader: sshd takes the
 * first value it reads and Match blocks from any file; a sysctl file could
 * turn on forwarding before the firewall is in. */
static const char *overridden_config(const char *rel)
{
	if (!strcmp(rel, "etc/ssh/sshd_config") || starts(rel, "etc/ssh/sshd_config.d/"))
		return "the generated sshd configuration (etc/ssh/sshd_config.d/scout.conf: sshd takes the first value it reads)";
	if (!strcmp(rel, "etc/sysctl.conf") || starts(rel, "etc/sysctl.d/") || starts(rel, "usr/lib/sysctl.d/"))
		return "the kernel settings the firewall sets (IPv4 forwarding only once its tables are in)";
	return NULL;
}

/* Whether path is listed, marking the line used. */
static bool allowed(struct guard *g, const char *path)
{
	for (size_t i = 0; i < g->n_allowed; i++)
		if (!strcmp(g->allowed[i], path)) {
			g->used[i] = true;
			return true;
		}
	return false;
}

static unsigned check_entry(struct guard *g, const struct entry *e, struct diag *d)
{
	const char *roots[] = { NULL, g->o->shifted };

	for (size_t r = 0; r < ARRAY_SIZE(roots) && (r == 0 || roots[r]); r++) {
		const char *rel = in_root(roots[r], e->path), *what;
		const struct entry *gen;

		if (!rel || (r == 0 && roots[1] && in_root(roots[1], e->path)))
			continue;
		what = overridden_config(rel);
		gen = what ? NULL : overridden_unit(g, roots[r], rel, e);
		gen = gen || what ? gen : overridden_network(g, roots[r], rel);
		if ((!what && !gen) || allowed(g, e->path))
			return 0;
		diag_error(d, e->origin, 0, 0, "'%s' overrides %s%s%s; list it in %s.scout-overrides if you mean it", e->path,
			   gen ? "'" : "", gen ? gen->path : what, gen ? "'" : "", g->res);
		return 1;
	}
	return 0;
}

static void allow_add(struct guard *g, char *path, unsigned line)
{
	g->allowed = xgrow(g->allowed, g->n_allowed, sizeof(*g->allowed));
	g->line = xgrow(g->line, g->n_allowed, sizeof(*g->line));
	g->used = xgrow(g->used, g->n_allowed, sizeof(*g->used));
	g->allowed[g->n_allowed] = path;
	g->line[g->n_allowed] = line;
	g->used[g->n_allowed++] = false;
}

/* FILE: one overlay path a line; blank lines and '#' comments. */
static unsigned allow_load(struct guard *g, const char *file, struct diag *d)
{
	char *text = NULL, *p, *nl;
	size_t len = 0;
	unsigned errors = 0, line = 0;
	const char *what;
	int r = read_file(file, ALLOW_MAX_BYTES, &text, &len);

	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		diag_error(d, file, 0, 0, "cannot read: %s", r == -EFBIG ? "larger than 64 KiB" : strerror(-r));
		return 1;
	}
	for (p = text; p < text + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(text + len - p));
		nl = nl ? nl : text + len;
		line++;
		if (nl == p || *p == '#')
			continue;
		if (find_unsafe_char(p, (size_t)(nl - p), &what) >= 0 || memchr(p, ' ', (size_t)(nl - p))) {
			diag_error(d, file, line, 1, "not a path in the overlay (it contains %s)",
				   find_unsafe_char(p, (size_t)(nl - p), &what) >= 0 ? what : "a space");
			errors++;
			continue;
		}
		allow_add(g, xstrndup(p, (size_t)(nl - p)), line);
	}
	free(text);
	return errors;
}

unsigned guard_resources(const struct overlay *o, const char *dir, struct diag *d)
{
	char *file = xasprintf("%s/%s", dir, GUARD_ALLOW_FILE);
	struct guard g = { .o = o, .res = NULL };
	char *res = xasprintf("%s/", dir);
	unsigned errors;

	g.res = res;
	errors = allow_load(&g, file, d);
	for (size_t i = 0; i < o->n; i++)
		if (from_resources(&g, &o->e[i]))
			errors += check_entry(&g, &o->e[i], d);
	for (size_t i = 0; i < g.n_allowed; i++) {
		if (!g.used[i] && !errors) {
			diag_error(d, file, g.line[i], 1, "'%s' overrides nothing the build makes: remove the line",
				   g.allowed[i]);
			errors++;
		}
		free(g.allowed[i]);
	}
	free(g.allowed);
	free(g.line);
	free(g.used);
	free(res);
	free(file);
	return errors;
}
