/* The files the builder adds to the overlay as they are: resources/ and
 * --add (resources.c). */
#ifndef SCOUT_RESOURCES_H
#define SCOUT_RESOURCES_H

#include <stddef.h>

#include "diag.h"
#include "overlay.h"

/* A file added to the overlay as it is: path in the overlay, file on disk. */
struct extra {
	char *path;
	char *file;
	const char *origin; /* names it in messages; NULL: the file */
};

/* Adds every file under dir at its relative path. */
unsigned resources_add(const char *dir, struct overlay *o, struct diag *d);
/* Adds the extra files (--add). */
unsigned extras_add(const struct extra *extras, size_t n, struct overlay *o, struct diag *d);
/* One more extra in opts (emit.h), owning path and file. */
struct emit_opts;
void extra_append(struct emit_opts *opts, char *path, char *file, const char *origin);

#endif
