/* Loading, in one place: yaml_load, then validate (which fills the model),
 * so the stages need one another in one direction only. */
#ifndef SCOUT_PROFILE_LOAD_H
#define SCOUT_PROFILE_LOAD_H

#include <stddef.h>

#include "diag.h"
#include "profile.h"

/* Load, validate and model: reads path, reports every problem through d and
 * returns the number of errors; on 0, *ret is a complete profile. */
unsigned profile_load(const char *path, struct diag *d, struct profile **ret);
/* profile_load for a program, which stops on errors: prints what d holds
 * then (diag_flush) and returns the number of errors. */
unsigned profile_load_or_report(const char *path, struct diag *d, struct profile **ret);
/* Same, from bytes already in memory (fuzzers, tests); file names errors. */
unsigned profile_parse(const char *file, const char *text, size_t len, struct diag *d,
		       struct profile **ret);

#endif
