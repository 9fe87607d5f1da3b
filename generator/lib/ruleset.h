/* The firewall rule set as plain data: what the generator computes from the
 * profile, writes as C tables and as iptables-save text, and what
 * host-iptables compiles into netfilter entries. Both sides format text with
 * ruleset.c, so rules.v4/rules.v6 and `host-iptables save` are the same
 * bytes. */
#ifndef SCOUT_RULESET_H
#define SCOUT_RULESET_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum rs_table { RS_FILTER4, RS_NAT4, RS_FILTER6, RS_TABLE_COUNT };

/* Toggle state bits; a rule's `when` lists the ones it needs. */
#define RS_LAN_ACCESS 1u
#define RS_HOST_CONTROL 2u

enum rs_policy { RS_USER_CHAIN, RS_POLICY_ACCEPT, RS_POLICY_DROP };
enum rs_target { RS_ACCEPT, RS_DROP, RS_JUMP, RS_DNAT, RS_MASQUERADE, RS_SET_ZONE };

/* Zones: where the far end of a flow is, kept in the low bits of its
 * connection mark, set on its first packet: the link it came in by, or,
 * for the host's own flows and the container's, the link it leaves the
 * scout by. A packet of a flow passes only by its zone's links (and the
 * container's link, for forwarded flows), whatever the routing table
 * says. 0 is no zone: loopback, and flows older than the rule set. */
#define RS_ZONE_MASK 0x3u
#define RS_ZONE_VPN 1u
#define RS_ZONE_LAN 2u
#define RS_ZONE_CONTAINER 3u

/* How a rule matches the zone (-m connmark): --mark ZONE/RS_ZONE_MASK,
 * or ! --mark ZONE/RS_ZONE_MASK. A packet without a connection matches
 * neither. */
enum rs_zone_match { RS_ZM_NONE, RS_ZM_IS, RS_ZM_NOT };

/* conntrack --ctdir */
enum rs_ctdir { RS_DIR_ANY, RS_DIR_ORIGINAL, RS_DIR_REPLY };

/* conntrack --ctstate bits, as the kernel's XT_CONNTRACK_STATE_* */
#define RS_CT_INVALID (1u << 0)
#define RS_CT_ESTABLISHED (1u << 1)
#define RS_CT_RELATED (1u << 2)
#define RS_CT_NEW (1u << 3)
#define RS_CT_DNAT (1u << 7)

struct rs_chain {
	uint8_t table;
	uint8_t policy;      /* enum rs_policy */
	const char *name;
};

/* Matches are written in this order: protocol (tcp/udp/icmp/icmp6),
 * addrtype, connmark, conntrack, as iptables prints them. */
struct rs_rule {
	uint8_t table;
	uint8_t when;        /* RS_LAN_ACCESS | RS_HOST_CONTROL that must be on */
	const char *chain;
	const char *in, *out;  /* NULL: any; a trailing '+' is a wildcard */
	uint8_t out_not;     /* ! -o out */
	uint32_t src, dst;   /* IPv4, host byte order */
	uint8_t src_len, dst_len; /* prefix length; 0: any */
	uint8_t proto;       /* IPPROTO_*; 0: any */
	uint16_t dport_min, dport_max; /* tcp/udp match when dport_max != 0 */
	uint8_t tcp_not_syn; /* ! --tcp-flags FIN,SYN,RST,ACK SYN */
	uint8_t icmp;        /* an icmp (icmp6) type match */
	uint8_t icmp_type;
	uint8_t dst_local;   /* -m addrtype --dst-type LOCAL */
	uint8_t zone_match;  /* enum rs_zone_match */
	uint8_t zone;        /* RS_ZONE_* (0: none): for zone_match and RS_SET_ZONE */
	uint16_t ctstate;    /* RS_CT_* bits; 0: no state match */
	uint8_t ctdir;       /* enum rs_ctdir */
	uint8_t target;      /* enum rs_target */
	const char *jump;    /* RS_JUMP */
	uint32_t to_addr;    /* RS_DNAT */
	uint16_t to_port;
};

struct rs_ruleset {
	const char *profile_sha256;
	const char *generator_version;
	uint8_t boot_state;  /* the profile's lan.access / host_control.enabled */
	uint8_t toggles;     /* which toggles have rules at all */
	const struct rs_chain *chains; /* per table: built-ins in hook order, then user chains sorted */
	size_t n_chains;
	const struct rs_rule *rules;   /* grouped by table and chain, in chain order */
	size_t n_rules;
};

/* host-iptables' rule set, defined by the generated rules.c. */
extern const struct rs_ruleset ruleset;

/* Everything that differs between the tables, in one place. */
struct rs_table_info {
	const char *name;   /* the kernel's table: "filter", "nat" */
	int family;         /* 4 or 6 */
	const char *title;  /* "IPv4 nat", in messages */
	const char *key;    /* "nat4", as HOST_IPTABLES_TEST_FAIL_COMMIT names it */
	const char *c_name; /* "RS_NAT4", in the generated C */
};
extern const struct rs_table_info rs_tables[RS_TABLE_COUNT];

/* A chain's policy as iptables-save writes it ("-" for a user chain), and
 * as the generated C names it. */
struct rs_policy_info {
	const char *save;
	const char *c_name;
};
extern const struct rs_policy_info rs_policies[RS_POLICY_DROP + 1];
int rs_rule_active(const struct rs_rule *r, unsigned state);
/* What -j names: ACCEPT, DROP, the chain, DNAT, MASQUERADE or CONNMARK. */
const char *rs_target_label(const struct rs_rule *r);

/* One rule as iptables-save writes it ("-A CHAIN ..."), without newline. */
void rs_format_rule(const struct rs_rule *r, struct buf *out);
/* A table as iptables-save writes it (without its comment lines): *name,
 * chains with [0:0] counters, rules, COMMIT. */
void rs_format_table(const struct rs_ruleset *rs, enum rs_table t, unsigned state, struct buf *out);
/* rules.v4 (family 4: filter, nat) or rules.v6 (family 6: filter). */
void rs_format_family(const struct rs_ruleset *rs, int family, unsigned state, struct buf *out);

#endif
