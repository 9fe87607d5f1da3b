/* The validate stage's cross-field checks (consistent.c). */
#ifndef SCOUT_CONSISTENT_H
#define SCOUT_CONSISTENT_H

#include "validator.h"

/* Checks spanning several fields, run after each field parsed. */
void validate_consistency(struct validator *v);

#endif
