/* The firewall rule set the profile asks for (NETWORK.md), for every toggle
 * state at once: each rule says which toggles it needs. */
#ifndef SCOUT_RULESET_BUILD_H
#define SCOUT_RULESET_BUILD_H

#include "profile.h"
#include "ruleset.h"

#define CHAIN_HOST "HOST_INCOMING"
#define CHAIN_CONTAINER "CONTAINER_INCOMING"

struct rs_build {
	struct rs_ruleset rs; /* points into the arrays below and the profile */
	struct rs_chain *chains;
	struct rs_rule *rules;
};

void ruleset_build(const struct profile *p, struct rs_build *ret);
void ruleset_build_free(struct rs_build *fw);

/* The rule set as C source: static const tables, for host-iptables. */
void ruleset_emit_c(const struct rs_build *fw, struct buf *out);

#endif
