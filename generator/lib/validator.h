/* What the passes of the validate stage share: the validator's state and
 * its one way to report (validator.c). walk.c (walk.h), validate.c and
 * consistent.c (consistent.h) each build on this, not on each other. */
#ifndef SCOUT_VALIDATOR_H
#define SCOUT_VALIDATOR_H

#include <stdbool.h>

#include "diag.h"
#include "profile.h"
#include "schema.h"
#include "yaml_load.h"

/* What validation knows about each field: where its value came from (NULL
 * when the default applies) and whether it parsed. Cross-field checks use
 * this to run only on valid inputs and to point at what the user wrote. */
struct validator {
	const char *file;
	struct diag *d;
	const struct ynode *root;
	const struct ynode *node[FLD_COUNT];
	bool ok[FLD_COUNT];
	bool section_bad; /* a section that is not a mapping: its keys are unknown */
	struct profile *p;
};

/* Reports at n, or at the top of the file when n is NULL. */
void node_error(struct validator *v, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The values of item i (a mapping, n) of list, for each of keys (ret[k]
 * NULL: not there); false after reporting any other key, with hint (the
 * keys it may have). */
bool item_keys(struct validator *v, const char *list, size_t i, const struct ynode *n, const char *const *keys,
	       size_t n_keys, const char *hint, const struct ynode **ret);

#endif
