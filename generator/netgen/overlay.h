/* The overlay as a list of entries before it is packed: every path relative
 * to the root, without a leading slash. */
#ifndef SCOUT_OVERLAY_H
#define SCOUT_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum entry_type { ENTRY_DIR, ENTRY_FILE, ENTRY_SYMLINK };

struct entry {
	char *path;
	enum entry_type type;
	unsigned mode;      /* permission bits */
	char *data;         /* file contents, or NULL: */
	char *src;          /* the file on disk that holds them, read when
			       packed (resources: never held whole) */
	size_t len;         /* their size */
	char *target;       /* symlink target */
	char *origin;       /* what produced it, for conflict messages */
	size_t seq;         /* insertion order, for stable sorting */
	int implied;        /* a parent directory nobody listed itself */
	unsigned owner;     /* uid and gid */
};

struct overlay {
	struct entry *e;
	size_t n;
	/* The container's root (no leading slash) and the host id its root
	 * has: entries there are owned by it, and directories get the modes
	 * they have in any root. NULL: there is none. */
	char *shifted;
	unsigned shift;
};

/* data is taken over by the overlay. */
void overlay_add_file(struct overlay *o, const char *path, unsigned mode, char *data, size_t len,
		      const char *origin);
/* A file whose len bytes are read from src when written out. */
void overlay_add_source(struct overlay *o, const char *path, unsigned mode, const char *src, size_t len,
			const char *origin);
void overlay_add_dir(struct overlay *o, const char *path, const char *origin);
void overlay_add_symlink(struct overlay *o, const char *path, const char *target, const char *origin);
/* Lists every parent directory, sorts the entries by path and merges
 * directories listed twice. Two entries at one path, or a file where a
 * directory must be, are errors reported through d; returns their count. */
unsigned overlay_finish(struct overlay *o, struct diag *d);
/* Whether a file in it is kept from others (a private key, a 0600
 * resource): then whatever holds the whole overlay must be too. */
bool overlay_private(const struct overlay *o);
/* 0600 for an archive of a private overlay, else 0644. */
unsigned overlay_archive_mode(const struct overlay *o);
const struct entry *overlay_find(const struct overlay *o, const char *path);
void overlay_free(struct overlay *o);

/* Entries at and under root (relative, no leading slash) are owned by
 * host id `id`: the container's root under private users. */
void overlay_shift_ids(struct overlay *o, const char *root, unsigned id);

#endif
