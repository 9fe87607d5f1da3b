/* Compiling host-iptables and scout-console for a profile (compile.c). */
#ifndef SCOUT_COMPILE_H
#define SCOUT_COMPILE_H

#include "ruleset_build.h"

/* Writes the rule set into dir and compiles dir/host-iptables
 * from it, and dir/scout-console, with the Makefile of the source tree
 * this generator was built in. Reports a failure itself. */
int host_iptables_compile(const struct rs_build *fw, const char *dir);

#endif
