/* The firewall rule set the profile asks for (NETWORK.md), for every toggle
 * state at once: each rule says which toggles it needs. */
#ifndef SCOUT_FIREWALL_H
#define SCOUT_FIREWALL_H

#include "profile.h"
#include "ruleset.h"

#define CHAIN_HOST "HOST_INCOMING"
#define CHAIN_CONTAINER "CONTAINER_INCOMING"

struct firewall {
	struct rs_ruleset rs; /* points into the arrays below and the profile */
	struct rs_chain *chains;
	struct rs_rule *rules;
};

void firewall_build(const struct profile *p, struct firewall *ret);
void firewall_free(struct firewall *fw);

/* The rule set as C source: static const tables, for host-iptables. */
void firewall_emit_c(const struct firewall *fw, struct buf *out);

#endif
