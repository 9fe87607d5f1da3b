/* The template renderer. A template is text with tags:
 *   {{ name }}              the value of a variable
 *   {{#name}} ... {{/name}}  the text between, once per item of a list
 *                           variable; {{.}} inside is the item
 * A section tag alone on its line takes the whole line with it. Sections do
 * not nest. Unknown variables and unsafe values are errors, reported as
 * FILE:LINE:COL. */
#ifndef SCOUT_TEMPLATE_H
#define SCOUT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "util.h"

struct tvar {
	char *name;
	char *value;    /* scalar; NULL for a list */
	char **items;   /* list */
	size_t n_items;
};

struct tvars {
	struct tvar *v;
	size_t n;
};

void tvars_set(struct tvars *vars, const char *name, const char *value);
/* Adds a list variable (possibly empty); takes no ownership of items. */
void tvars_set_list(struct tvars *vars, const char *name, char *const *items, size_t n);
void tvars_free(struct tvars *vars);

/* Renders text into out; returns the number of errors. */
unsigned template_render(const char *file, const char *text, size_t len, const struct tvars *vars,
			 struct diag *d, struct buf *out);

#endif
