/* The template variables, from the profile (vars.c). */
#ifndef SCOUT_VARS_H
#define SCOUT_VARS_H

#include "profile.h"
#include "template.h"

/* The variables templates can use: every profile value by its dotted
 * name, and a few derived forms. */
void vars_from_profile(const struct profile *p, struct tvars *ret);

#endif
