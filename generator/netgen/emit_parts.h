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

/* WireGuard's part (emit_wg.c), for vpn.type: wireguard: its keys loaded
 * and checked into c, scout i's tunnel in its overlay, the server's and
 * the expert's wg-quick configs, the warnings about missing keys. Each
 * returns the number of errors. */
unsigned emit_wg_begin(struct emit_ctx *c, const struct emit_opts *opts);
unsigned emit_wg_scout(const struct emit_ctx *c, const struct emit_opts *opts, size_t i, const struct tvars *vars,
		       struct overlay *o);
unsigned emit_wg_exports(const struct emit_ctx *c, const struct tvars *vars, struct outputs *out);
void emit_wg_warnings(const struct emit_ctx *c, const struct emit_opts *opts);

#endif
