/* Validate stage: checks a loaded tree against the profile schema and fills a
 * profile. Reports every problem with its location; touches nothing else. */
#ifndef SCOUT_VALIDATE_H
#define SCOUT_VALIDATE_H

#include "diag.h"
#include "profile.h"
#include "yaml_load.h"

/* Returns the number of errors. */
unsigned validate_tree(const char *file, const struct ynode *root, struct diag *d,
		       struct profile *p);

#endif
