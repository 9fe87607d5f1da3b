/* The validate stage's first pass: known and unknown keys (walk.c). */
#ifndef SCOUT_WALK_H
#define SCOUT_WALK_H

#include <stdbool.h>

#include "validator.h"

/* Records the node of every known key in v->node and reports the
 * unknown ones. Returns false when the document is not a mapping at all. */
bool walk_tree(struct validator *v);

#endif
