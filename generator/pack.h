/* Pack stage: the overlay as a tar archive, byte-identical for the same
 * entries and mtime. */
#ifndef SCOUT_PACK_H
#define SCOUT_PACK_H

#include <stdint.h>

#include "overlay.h"
#include "util.h"

enum pack_format { PACK_TAR, PACK_TAR_GZ, PACK_TAR_ZST };

/* "tar", "tar.gz", "tar.zst"; returns -1 for anything else. */
int pack_format_parse(const char *s, enum pack_format *ret);
const char *pack_format_suffix(enum pack_format f);

/* Packs into out. Every entry is owned by root:root with the given mtime.
 * Returns 0, or -1 with a message in *ret_error (to be freed). */
int pack_overlay(const struct overlay *o, enum pack_format f, int64_t mtime, struct buf *out,
		 char **ret_error);

#endif
