/* What resources may not override (guard.c). */
#ifndef SCOUT_GUARD_H
#define SCOUT_GUARD_H

#include "diag.h"
#include "overlay.h"

/* Refuses entries from resources under dir that override what
 * the build generates (units' drop-ins and masks, sshd and sysctl
 * configuration, networks sorting first), but for the overlay paths listed
 * in dir/GUARD_ALLOW_FILE. o is finished. Returns the number of errors. */
#define GUARD_ALLOW_FILE ".scout-overrides"
unsigned guard_resources(const struct overlay *o, const char *dir, struct diag *d);

#endif
