/* The archives a build writes: the overlay and the exports (export.c). */
#ifndef SCOUT_EXPORT_H
#define SCOUT_EXPORT_H

#include <stdint.h>

#include "overlay.h"
#include "pack.h"
#include "stage.h"

/* Stages DIR/NAME, the overlay o packed, 0600 when o is private
 * (overlay_archive_mode); *ret tells its size and SHA-256. Reports a
 * failure itself. */
int archive_stage(struct stage *s, const struct overlay *o, const char *dir, const char *name,
		  enum pack_format f, int64_t mtime, struct pack_out *ret);
/* Stages DIR/exports/NAME/ (the files, replaced as a whole) and
 * DIR/exports/NAME.FORMAT. Reports a failure itself. */
int export_stage(struct stage *s, const struct overlay *o, const char *dir, const char *name,
		 enum pack_format f, int64_t mtime);

#endif
