/* Static files the builder adds to the overlay, like live-build's
 * includes.chroot: resources/etc/foo becomes /etc/foo. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"
#include "guard.h"
#include "parse.h"
#include "resources.h"
#include "util.h"

#define RESOURCE_MAX_BYTES (64 * 1024 * 1024)
#define PLACEHOLDER ".gitkeep" /* keeps empty directories in git; never packed */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entry names of a directory, without "." and "..". */
static int list_dir(const char *path, char ***ret_names, size_t *ret_n)
{
	DIR *dir = opendir(path);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;

	if (!dir)
		return -errno;
	while ((errno = 0, de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		names = xgrow(names, n, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	*ret_names = names;
	*ret_n = n;
	return 0;
}

static unsigned add_entry(const char *file, const char *rel, const char *origin, bool resource,
			  struct overlay *o, struct diag *d);

/* Whether a link at rel (relative to the image's root) to target climbs
 * above that root: an absolute target starts at the root, a relative one
 * at the link's directory. Links are packed, never followed. */
static bool escapes_root(const char *rel, const char *target)
{
	long depth = 0;
	const char *p;

	if (target[0] != '/')
		for (p = rel; (p = strchr(p, '/')); p++)
			depth++; /* the directories holding the link */
	for (p = target; *p;) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return true;
		} else if (len && !(len == 1 && p[0] == '.')) {
			depth++;
		}
		p += len;
		p += *p == '/';
	}
	return false;
}

/* The overlay's path for a top-level name under resources/: sbin/ would
 * replace /sbin, a link to usr/sbin on Debian 12 and Ubuntu, with a
 * directory holding only its files; so it goes to usr/sbin, with a note.
 * Anything else at such a name is left for overlay_finish to refuse. */
static char *top_level(const char *file, const char *name, struct diag *d)
{
	struct stat st;

	if (!merged_usr_link(name) || lstat(file, &st) < 0 || !S_ISDIR(st.st_mode))
		return xstrdup(name);
	diag_warning(d, file, 0, 0, "packed as usr/%s: /%s is a link to usr/%s on Debian 12 and Ubuntu",
		     name, name, name);
	return xasprintf("usr/%s", name);
}

static unsigned add_tree(const char *dir, const char *rel, struct overlay *o, struct diag *d)
{
	char **names = NULL;
	size_t n = 0;
	unsigned errors = 0;
	int r = list_dir(dir, &names, &n);

	if (r < 0) {
		diag_error(d, dir, 0, 0, "cannot read the directory: %s", strerror(-r));
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		char *file = xasprintf("%s/%s", dir, names[i]);
		char *child = rel ? xasprintf("%s/%s", rel, names[i]) : top_level(file, names[i], d);

		if (strcmp(names[i], PLACEHOLDER) && (rel || strcmp(names[i], GUARD_ALLOW_FILE)))
			errors += add_entry(file, child, file, true, o, d);
		free(child);
		free(file);
		free(names[i]);
	}
	free(names);
	return errors;
}

/* The mode a file is packed with: executable or not, and for one from
 * resources/, kept from others or not, as in the checkout. Group bits
 * and setuid, setgid and sticky bits are not kept: the group's are what
 * the umask of the checkout made them (002 on Ubuntu, 022 on Debian). */
static unsigned file_mode(mode_t m, bool resource)
{
	unsigned mode = m & 0111 ? 0755 : 0644;

	return resource && !(m & S_IROTH) ? mode & 0700 : mode;
}

/* origin names the entry in messages about it; resource: it is under
 * resources/, not a file the build or --add names. */
static unsigned add_entry(const char *file, const char *rel, const char *origin, bool resource,
			  struct overlay *o, struct diag *d)
{
	struct stat st;
	const char *what;

	if (lstat(file, &st) < 0) {
		diag_error(d, file, 0, 0, "cannot stat: %s", strerror(errno));
		return 1;
	}
	if (find_unsafe_char(rel, strlen(rel), &what) >= 0) {
		diag_error(d, file, 0, 0, "the file name contains %s", what);
		return 1;
	}
	if (resource && !S_ISLNK(st.st_mode) && (st.st_mode & S_IWOTH)) {
		diag_error(d, file, 0, 0,
			   "others may write it (mode %04o): anyone here could change what the image holds; chmod o-w",
			   (unsigned)(st.st_mode & 07777));
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		overlay_add_dir(o, rel, origin);
		return add_tree(file, rel, o, d);
	}
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t len = readlink(file, target, sizeof(target));

		if (len < 0 || (size_t)len >= sizeof(target)) {
			diag_error(d, file, 0, 0, "cannot read the symbolic link: %s",
				   len < 0 ? strerror(errno) : "target too long");
			return 1;
		}
		target[len] = '\0';
		if (escapes_root(rel, target)) {
			diag_error(d, file, 0, 0, "the symbolic link points outside the image's root ('%s')", target);
			return 1;
		}
		overlay_add_symlink(o, rel, target, origin);
		return 0;
	}
	if (S_ISREG(st.st_mode)) {
		/* Read when packed, a piece at a time: only whether it can
		 * be read is known now. */
		int fd = st.st_size > RESOURCE_MAX_BYTES ? -EFBIG : open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

		if (fd < 0) {
			diag_error(d, file, 0, 0, "cannot read: %s",
				   fd == -EFBIG ? "larger than 64 MiB" : strerror(errno));
			return 1;
		}
		close(fd);
		overlay_add_source(o, rel, file_mode(st.st_mode, resource), file, (size_t)st.st_size, origin);
		return 0;
	}
	diag_error(d, file, 0, 0, "not a regular file, directory or symbolic link");
	return 1;
}

unsigned resources_add(const char *dir, struct overlay *o, struct diag *d)
{
	struct stat st;

	if (stat(dir, &st) < 0 && errno == ENOENT)
		return 0;
	return add_tree(dir, NULL, o, d);
}

unsigned extras_add(const struct extra *extras, size_t n, struct overlay *o, struct diag *d)
{
	unsigned errors = 0;

	for (size_t i = 0; i < n; i++) {
		char *abs = xasprintf("/%s", extras[i].path);
		bool bad = extras[i].path[0] == '/' || check_abs_path(abs);
		struct stat st;

		free(abs);
		if (bad) {
			diag_error(d, extras[i].file, 0, 0, "'%s' is not a plain relative path in the overlay",
				   extras[i].path);
			errors++;
		} else if (stat(extras[i].file, &st) < 0 || !S_ISREG(st.st_mode)) {
			diag_error(d, extras[i].file, 0, 0, "not a readable regular file");
			errors++;
		} else {
			errors += add_entry(extras[i].file, extras[i].path,
					    extras[i].origin ? extras[i].origin : extras[i].file, false, o, d);
		}
	}
	return errors;
}

void extra_append(struct emit_opts *opts, char *path, char *file, const char *origin)
{
	opts->extras = xgrow(opts->extras, opts->n_extras, sizeof(*opts->extras));
	opts->extras[opts->n_extras++] = (struct extra){ .path = path, .file = file, .origin = origin };
}
