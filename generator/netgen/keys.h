/* Copying the checked keys into an overlay or an export (keys.c). */
#ifndef SCOUT_KEYS_H
#define SCOUT_KEYS_H

#include <stddef.h>

#include "diag.h"
#include "overlay.h"
#include "pki.h"

/* Copies files of dir into dest_dir (absolute) of o; keys 0600. */
unsigned keys_copy(const char *dir, const enum pki_file *files, size_t n, const char *dest_dir,
		   struct overlay *o, struct diag *d);
/* Copies file into dest_dir (absolute) of o as name; a key 0600. */
unsigned keys_copy_file(const char *file, const char *dest_dir, const char *name, struct overlay *o,
			struct diag *d);

#endif
