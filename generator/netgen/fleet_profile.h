#ifndef SCOUT_FLEET_PROFILE_H
#define SCOUT_FLEET_PROFILE_H

#include "util.h"

/* The profile at path as scout name's console reads it: scouts: holds
 * only that scout. Appends the YAML to ret; 0 or -errno. */
int fleet_profile_text(const char *path, const char *name, struct buf *ret);

#endif
