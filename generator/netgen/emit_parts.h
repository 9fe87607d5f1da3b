/* What the emit stage's files share (emit.c, emit_export.c, emit_keys.c). */
#ifndef SCOUT_EMIT_PARTS_H
#define SCOUT_EMIT_PARTS_H

#include "emit.h"

/* Renders template dir/name into o at dest (0644). Returns the number of
 * errors. */
unsigned emit_render(const char *dir, const char *name, const char *dest, const struct tvars *vars,
		     struct diag *d, struct overlay *o);
/* The same with the file's mode (a script: 0755). */
unsigned emit_render_mode(const char *dir, const char *name, const char *dest, unsigned mode,
			  const struct tvars *vars, struct diag *d, struct overlay *o);

#endif
