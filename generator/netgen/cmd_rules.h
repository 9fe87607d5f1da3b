/* The rule set's files, as scout-netgen rules writes them (cmd_rules.c);
 * build and the compiling of host-iptables write the same. */
#ifndef SCOUT_CMD_RULES_H
#define SCOUT_CMD_RULES_H

#include <stddef.h>

#include "ruleset.h"
#include "ruleset_build.h"
#include "util.h"

/* The rule set's three files, rules.c (for host-iptables),
 * rules.v4 and rules.v6 (iptables-save text for review). */
#define RULESET_FILES 3
extern const char *const ruleset_files[RULESET_FILES];
void ruleset_texts(const struct rs_build *fw, struct buf ret[RULESET_FILES]);
/* Rules in family 4 or 6 in the boot state, for summaries. */
size_t ruleset_count(const struct rs_ruleset *rs, int family);

#endif
