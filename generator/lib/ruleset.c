#include "ruleset.h"

#include <netinet/in.h>
#include <string.h>

#include "parse.h"

const struct rs_table_info rs_tables[RS_TABLE_COUNT] = {
	[RS_FILTER4] = { .name = "filter", .family = 4, .title = "IPv4 filter", .key = "filter4",
			 .c_name = "RS_FILTER4" },
	[RS_NAT4] = { .name = "nat", .family = 4, .title = "IPv4 nat", .key = "nat4", .c_name = "RS_NAT4" },
	[RS_FILTER6] = { .name = "filter", .family = 6, .title = "IPv6 filter", .key = "filter6",
			 .c_name = "RS_FILTER6" },
};

const struct rs_policy_info rs_policies[RS_POLICY_DROP + 1] = {
	[RS_USER_CHAIN] = { .save = "-", .c_name = "RS_USER_CHAIN" },
	[RS_POLICY_ACCEPT] = { .save = "ACCEPT", .c_name = "RS_POLICY_ACCEPT" },
	[RS_POLICY_DROP] = { .save = "DROP", .c_name = "RS_POLICY_DROP" },
};

int rs_rule_active(const struct rs_rule *r, unsigned state)
{
	return (r->when & ~state) == 0;
}

const char *rs_target_label(const struct rs_rule *r)
{
	switch (r->target) {
	case RS_ACCEPT: return "ACCEPT";
	case RS_DROP: return "DROP";
	case RS_JUMP: return r->jump;
	case RS_DNAT: return "DNAT";
	case RS_SET_ZONE: return "CONNMARK";
	}
	return "MASQUERADE";
}

static void format_ip(struct buf *out, uint32_t a)
{
	char s[16];

	ipv4_format(a, s);
	buf_puts(out, s);
}

static void format_addr(struct buf *out, const char *opt, uint32_t a, unsigned len)
{
	buf_printf(out, " %s ", opt);
	format_ip(out, a);
	buf_printf(out, "/%u", len);
}

static const char *proto_name(unsigned proto)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "ipv6-icmp";
	}
	return "?";
}

/* In the order iptables' conntrack extension prints them. */
static void format_ctstate(struct buf *out, unsigned states)
{
	if (!states)
		return;
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ RS_CT_INVALID, "INVALID" }, { RS_CT_NEW, "NEW" },
		{ RS_CT_RELATED, "RELATED" }, { RS_CT_ESTABLISHED, "ESTABLISHED" },
		{ RS_CT_DNAT, "DNAT" },
	};
	const char *sep = " ";

	buf_puts(out, " --ctstate");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (states & names[i].bit) {
			buf_printf(out, "%s%s", sep, names[i].name);
			sep = ",";
		}
}

void rs_format_rule(const struct rs_rule *r, struct buf *out)
{
	buf_printf(out, "-A %s", r->chain);
	if (r->src_len)
		format_addr(out, "-s", r->src, r->src_len);
	if (r->dst_len)
		format_addr(out, "-d", r->dst, r->dst_len);
	if (r->in)
		buf_printf(out, " -i %s", r->in);
	if (r->out)
		buf_printf(out, "%s -o %s", r->out_not ? " !" : "", r->out);
	if (r->proto)
		buf_printf(out, " -p %s", proto_name(r->proto));
	if (r->proto == IPPROTO_TCP || r->proto == IPPROTO_UDP) {
		buf_printf(out, " -m %s", proto_name(r->proto));
		if (r->dport_max && r->dport_min == r->dport_max)
			buf_printf(out, " --dport %u", r->dport_min);
		else if (r->dport_max)
			buf_printf(out, " --dport %u:%u", r->dport_min, r->dport_max);
		if (r->tcp_not_syn)
			buf_puts(out, " ! --tcp-flags FIN,SYN,RST,ACK SYN");
	}
	if (r->icmp && r->proto == IPPROTO_ICMP)
		buf_printf(out, " -m icmp --icmp-type %u", r->icmp_type);
	if (r->icmp && r->proto == IPPROTO_ICMPV6)
		buf_printf(out, " -m icmp6 --icmpv6-type %u", r->icmp_type);
	if (r->dst_local)
		buf_puts(out, " -m addrtype --dst-type LOCAL");
	if (r->zone_match)
		buf_printf(out, " -m connmark%s --mark 0x%x/0x%x", r->zone_match == RS_ZM_NOT ? " !" : "", r->zone,
			   RS_ZONE_MASK);
	if (r->ctstate || r->ctdir) {
		buf_puts(out, " -m conntrack");
		format_ctstate(out, r->ctstate);
		if (r->ctdir)
			buf_puts(out, r->ctdir == RS_DIR_ORIGINAL ? " --ctdir ORIGINAL" : " --ctdir REPLY");
	}
	buf_printf(out, " -j %s", rs_target_label(r));
	if (r->target == RS_SET_ZONE)
		buf_printf(out, " --set-xmark 0x%x/0x%x", r->zone, RS_ZONE_MASK);
	if (r->target == RS_DNAT) {
		buf_puts(out, " --to-destination ");
		format_ip(out, r->to_addr);
		if (r->to_port)
			buf_printf(out, ":%u", r->to_port);
	}
}

void rs_format_table(const struct rs_ruleset *rs, enum rs_table t, unsigned state, struct buf *out)
{
	buf_printf(out, "*%s\n", rs_tables[t].name);
	for (size_t c = 0; c < rs->n_chains; c++)
		if (rs->chains[c].table == t)
			buf_printf(out, ":%s %s [0:0]\n", rs->chains[c].name, rs_policies[rs->chains[c].policy].save);
	for (size_t c = 0; c < rs->n_chains; c++) {
		if (rs->chains[c].table != t)
			continue;
		for (size_t i = 0; i < rs->n_rules; i++) {
			const struct rs_rule *r = &rs->rules[i];

			if (r->table == t && !strcmp(r->chain, rs->chains[c].name) && rs_rule_active(r, state)) {
				rs_format_rule(r, out);
				buf_puts(out, "\n");
			}
		}
	}
	buf_puts(out, "COMMIT\n");
}

void rs_format_family(const struct rs_ruleset *rs, int family, unsigned state, struct buf *out)
{
	for (int t = 0; t < RS_TABLE_COUNT; t++)
		if (rs_tables[t].family == family)
			rs_format_table(rs, (enum rs_table)t, state, out);
}
