/* Pack stage: the overlay as a tar archive, byte-identical for the same
 * entries and mtime. */
#ifndef SCOUT_PACK_H
#define SCOUT_PACK_H

#include <stdint.h>

#include "overlay.h"

enum pack_format { PACK_TAR, PACK_TAR_GZ, PACK_TAR_ZST };

/* "tar", "tar.gz", "tar.zst"; returns -1 for anything else. */
int pack_format_parse(const char *s, enum pack_format *ret);
const char *pack_format_suffix(enum pack_format f);

struct pack_out {
	int fd;           /* the archive is written there, as it is made */
	const char *path; /* where it goes, in messages */
	size_t size;      /* set by pack_overlay: the bytes written */
	char sha256[65];  /* and their SHA-256 */
};

/* Packs into out->fd, reading the files of entries with a src in pieces:
 * neither they nor the archive are ever held whole. Every entry is owned
 * by root:root with the given mtime. Returns 0, or -1 after reporting
 * ("FILE: error: ..."). */
int pack_overlay(const struct overlay *o, enum pack_format f, int64_t mtime, struct pack_out *out);

#endif
