/* A rule of the rule set as the netfilter entry iptables 1.8.9 would build
 * for it: same matches, same revisions, same byte layout. */
#ifndef FW_ENTRY_H
#define FW_ENTRY_H

#include <stddef.h>

#include "ruleset.h"

/* Returns a zero-padded struct ipt_entry (IPv4 tables) or ip6t_entry (IPv6)
 * in malloc'd memory, its size in *ret_size. The target carries its label
 * ("ACCEPT", "DROP", a chain name, "DNAT", "MASQUERADE") as libiptc wants
 * it from iptc_append_entry(). */
void *entry_build(const struct rs_rule *r, size_t *ret_size);

#endif
