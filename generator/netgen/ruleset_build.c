/* The rules, from NETWORK.md. INPUT and FORWARD drop by default; the host's
 * own ports are in HOST_INCOMING, reached from the VPN always and from the
 * LAN while access from LAN is on; CONTAINER_INCOMING (nat) DNATs each
 * forwarded port to the container, reached from the scout's VPN address
 * always and from its LAN addresses while access from LAN is on; FORWARD
 * lets VPN and LAN traffic reach the container only when
 * CONTAINER_INCOMING has DNATed it. Every flow is bound to the zone of the
 * link it began on (its connection mark): its packets pass only by that
 * zone's links, in their direction. LAN interfaces are matched by wildcard
 * at packet time. */
#include "ruleset_build.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

static void add_chain(struct rs_build *fw, enum rs_table t, enum rs_policy policy, const char *name)
{
	fw->chains = xgrow(fw->chains, fw->rs.n_chains, sizeof(*fw->chains));
	fw->chains[fw->rs.n_chains++] = (struct rs_chain){ .table = t, .policy = policy, .name = name };
}

static struct rs_rule *add(struct rs_build *fw, enum rs_table t, const char *chain)
{
	struct rs_rule *r;

	fw->rules = xgrow(fw->rules, fw->rs.n_rules, sizeof(*fw->rules));
	r = &fw->rules[fw->rs.n_rules++];
	*r = (struct rs_rule){ .table = t, .chain = chain };
	return r;
}

static void host_ports(struct rs_build *fw, enum rs_table t, const struct profile *p)
{
	const struct {
		uint8_t proto;
		const struct port_list *l;
	} lists[] = { { IPPROTO_TCP, &p->host_ports.tcp }, { IPPROTO_UDP, &p->host_ports.udp } };

	*add(fw, t, CHAIN_HOST) = (struct rs_rule){
		.table = t, .chain = CHAIN_HOST, .when = RS_HOST_CONTROL, .proto = IPPROTO_TCP,
		.dport_min = p->host_control.port, .dport_max = p->host_control.port,
	};
	for (size_t k = 0; k < ARRAY_SIZE(lists); k++)
		for (size_t i = 0; i < lists[k].l->n; i++)
			*add(fw, t, CHAIN_HOST) = (struct rs_rule){
				.table = t, .chain = CHAIN_HOST, .proto = lists[k].proto,
				.dport_min = lists[k].l->ranges[i].first, .dport_max = lists[k].l->ranges[i].last,
			};
}

/* The scout's links and the zone of each: the VPN interface, each LAN
 * pattern, the container's link. */
struct link {
	const char *name;
	unsigned zone;
};

static size_t zone_links(const struct profile *p, struct link **ret)
{
	size_t n = 0;
	struct link *l = xcalloc(p->lan.n_interfaces + 2, sizeof(*l));

	l[n++] = (struct link){ p->vpn.interface, RS_ZONE_VPN };
	for (size_t i = 0; i < p->lan.n_interfaces; i++)
		l[n++] = (struct link){ p->lan.interfaces[i], RS_ZONE_LAN };
	l[n++] = (struct link){ p->container.host_interface, RS_ZONE_CONTAINER };
	*ret = l;
	return n;
}

/* Stamps a flow's first packet with the zone of the link it came in by
 * (in) or leaves by (out). In nat, which sees only a flow's first packet,
 * no state match is needed. */
static void stamp(struct rs_build *fw, enum rs_table t, const char *chain, const char *in, const char *out,
		  unsigned zone)
{
	*add(fw, t, chain) = (struct rs_rule){
		.table = t, .chain = chain, .in = in, .out = out, .ctstate = t == RS_NAT4 ? 0 : RS_CT_NEW,
		.target = RS_SET_ZONE, .zone = (uint8_t)zone,
	};
}

/* Packets to the tunnel's and the container's subnets leave by their own
 * link only, whatever route the LAN's DHCP slipped in (TunnelVision). */
static void pin_subnets(struct rs_build *fw, enum rs_table t, const char *chain, const struct profile *p)
{
	*add(fw, t, chain) = (struct rs_rule){
		.table = t, .chain = chain, .dst = p->vpn.subnet.addr, .dst_len = (uint8_t)p->vpn.subnet.prefix,
		.out = p->vpn.interface, .out_not = 1, .target = RS_DROP,
	};
	*add(fw, t, chain) = (struct rs_rule){
		.table = t, .chain = chain, .dst = p->container.subnet.addr,
		.dst_len = (uint8_t)p->container.subnet.prefix, .out = p->container.host_interface, .out_not = 1,
		.target = RS_DROP,
	};
}

static struct rs_rule *zone_rule(struct rs_build *fw, enum rs_table t, const char *chain, const struct link *l,
				 enum rs_zone_match match)
{
	struct rs_rule *r = add(fw, t, chain);

	*r = (struct rs_rule){ .table = t, .chain = chain, .zone_match = match, .zone = (uint8_t)l->zone };
	if (!strcmp(chain, "OUTPUT"))
		r->out = l->name;
	else
		r->in = l->name;
	return r;
}

/* INPUT: a packet of a flow comes in only by its zone's links. The host's
 * own flows are answered (established, reply direction); errors about any
 * flow (related) come from its zone; everything else a flow sends, its
 * first packet as much as the rest, goes through HOST_INCOMING again, so
 * a toggle switched off ends what it let in. Neighbour discovery is not
 * tracked: it comes before the INVALID drop. IPv6 has no nat table here:
 * its flows are stamped in INPUT. */
static void filter_input(struct rs_build *fw, enum rs_table t, const struct profile *p, const struct link *l,
			 size_t n)
{
	/* router solicitation, neighbour solicitation and advertisement */
	static const uint8_t nd[] = { 133, 135, 136 };
	const uint8_t ra = 134, echo4 = 8, echo6 = 128;
	bool v6 = rs_tables[t].family == 6;
	uint8_t icmp = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;

	add(fw, t, "INPUT")->in = "lo";
	for (size_t i = 0; v6 && i < n; i++)
		stamp(fw, t, "INPUT", l[i].name, NULL, l[i].zone);
	for (size_t i = 0; i < n; i++)
		zone_rule(fw, t, "INPUT", &l[i], RS_ZM_IS)->ctstate = RS_CT_RELATED;
	for (size_t i = 0; i < n; i++) {
		struct rs_rule *r = zone_rule(fw, t, "INPUT", &l[i], RS_ZM_IS);

		r->ctstate = RS_CT_ESTABLISHED;
		r->ctdir = RS_DIR_REPLY;
	}
	for (size_t i = 0; v6 && i < ARRAY_SIZE(nd); i++)
		*add(fw, t, "INPUT") = (struct rs_rule){ .table = t, .chain = "INPUT", .proto = icmp, .icmp = 1,
							 .icmp_type = nd[i] };
	/* Router advertisements from the LAN only. */
	for (size_t i = 0; v6 && i < n; i++)
		if (l[i].zone == RS_ZONE_LAN)
			*add(fw, t, "INPUT") = (struct rs_rule){ .table = t, .chain = "INPUT", .in = l[i].name,
								 .proto = icmp, .icmp = 1, .icmp_type = ra };
	*add(fw, t, "INPUT") = (struct rs_rule){ .table = t, .chain = "INPUT", .ctstate = RS_CT_INVALID,
						 .target = RS_DROP };
	/* A packet of a flow that began in another zone. */
	for (size_t i = 0; i < n; i++)
		zone_rule(fw, t, "INPUT", &l[i], RS_ZM_NOT)->target = RS_DROP;
	/* A new TCP connection starts with SYN; anything else is a scan. */
	*add(fw, t, "INPUT") = (struct rs_rule){ .table = t, .chain = "INPUT", .proto = IPPROTO_TCP,
						 .tcp_not_syn = 1, .ctstate = RS_CT_NEW, .target = RS_DROP };
	*add(fw, t, "INPUT") = (struct rs_rule){ .table = t, .chain = "INPUT", .proto = icmp, .icmp = 1,
						 .icmp_type = v6 ? echo6 : echo4 };
	*add(fw, t, "INPUT") = (struct rs_rule){ .table = t, .chain = "INPUT", .in = p->vpn.interface,
						 .target = RS_JUMP, .jump = CHAIN_HOST };
	for (size_t i = 0; i < p->lan.n_interfaces; i++)
		*add(fw, t, "INPUT") = (struct rs_rule){ .table = t, .chain = "INPUT", .when = RS_LAN_ACCESS,
							 .in = p->lan.interfaces[i], .target = RS_JUMP,
							 .jump = CHAIN_HOST };
}

/* One flow through the scout, both ways, between the container's link
 * and ZONE's link ZLINK: its packets one way in the original direction
 * and back in the reply direction, for flows of that zone only; the
 * container's address is the source on its side. from_ct: the container
 * began it. */
static void forward_flow(struct rs_build *fw, const struct profile *p, unsigned when, unsigned zone,
			 const char *zlink, bool from_ct, unsigned ctstate)
{
	const enum rs_table t = RS_FILTER4;
	const char *ve = p->container.host_interface;
	uint32_t ct = p->container.address;
	const struct {
		uint8_t dir;
		bool to_ct;
	} ways[] = { { RS_DIR_ORIGINAL, !from_ct }, { RS_DIR_REPLY, from_ct } };

	for (size_t i = 0; i < ARRAY_SIZE(ways); i++)
		*add(fw, t, "FORWARD") = (struct rs_rule){
			.table = t, .chain = "FORWARD", .when = (uint8_t)when,
			.in = ways[i].to_ct ? zlink : ve, .out = ways[i].to_ct ? ve : zlink,
			.src = ways[i].to_ct ? 0 : ct, .src_len = ways[i].to_ct ? 0 : 32,
			.dst = ways[i].to_ct ? ct : 0, .dst_len = ways[i].to_ct ? 32 : 0,
			.zone_match = RS_ZM_IS, .zone = (uint8_t)zone, .ctstate = (uint16_t)ctstate,
			.ctdir = ways[i].dir,
		};
}

/* FORWARD: the expert's connections to the forwarded ports (VPN zone),
 * the container's own connections out, from its address only (the zone
 * of the link they leave by, so they are answered by it alone), and
 * while access from LAN is on the LAN's connections to the forwarded
 * ports (LAN zone). New flows from the VPN or the LAN pass only when
 * CONTAINER_INCOMING DNATed them: a machine routing the container subnet
 * via the scout reaches nothing. */
static void filter_forward(struct rs_build *fw, const struct profile *p, const struct link *l, size_t n)
{
	const enum rs_table t = RS_FILTER4;
	const char *ve = p->container.host_interface;

	*add(fw, t, "FORWARD") = (struct rs_rule){ .table = t, .chain = "FORWARD", .ctstate = RS_CT_INVALID,
						   .target = RS_DROP };
	*add(fw, t, "FORWARD") = (struct rs_rule){ .table = t, .chain = "FORWARD", .proto = IPPROTO_TCP,
						   .tcp_not_syn = 1, .ctstate = RS_CT_NEW, .target = RS_DROP };
	pin_subnets(fw, t, "FORWARD", p);
	for (size_t i = 0; i < n; i++)
		if (l[i].zone != RS_ZONE_CONTAINER)
			stamp(fw, t, "FORWARD", ve, l[i].name, l[i].zone);
	for (size_t i = 0; i < n; i++) {
		if (l[i].zone == RS_ZONE_VPN)
			forward_flow(fw, p, 0, RS_ZONE_VPN, l[i].name, false, RS_CT_DNAT);
		if (l[i].zone != RS_ZONE_CONTAINER)
			forward_flow(fw, p, 0, l[i].zone, l[i].name, true, 0);
	}
	for (size_t i = 0; i < n; i++)
		if (l[i].zone == RS_ZONE_LAN)
			forward_flow(fw, p, RS_LAN_ACCESS, RS_ZONE_LAN, l[i].name, false, RS_CT_DNAT);
}

/* OUTPUT: the host's own flows are stamped by the link they leave by, and
 * every packet of a flow with a zone leaves by that zone's links; the
 * scout's own errors about a forwarded flow (path MTU) reach the
 * container too. */
static void filter_output(struct rs_build *fw, enum rs_table t, const struct profile *p, const struct link *l,
			  size_t n)
{
	add(fw, t, "OUTPUT")->out = "lo";
	if (rs_tables[t].family == 4)
		pin_subnets(fw, t, "OUTPUT", p);
	for (size_t i = 0; i < n; i++)
		stamp(fw, t, "OUTPUT", NULL, l[i].name, l[i].zone);
	for (size_t i = 0; i < n; i++)
		zone_rule(fw, t, "OUTPUT", &l[i], RS_ZM_IS);
	*add(fw, t, "OUTPUT") = (struct rs_rule){
		.table = t, .chain = "OUTPUT", .out = p->container.host_interface,
		.proto = rs_tables[t].family == 6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, .ctstate = RS_CT_RELATED,
	};
	*add(fw, t, "OUTPUT") = (struct rs_rule){ .table = t, .chain = "OUTPUT", .zone_match = RS_ZM_NOT,
						  .target = RS_DROP };
}

static void filter_table(struct rs_build *fw, enum rs_table t, const struct profile *p, const struct link *l,
			 size_t n)
{
	add_chain(fw, t, RS_POLICY_DROP, "INPUT");
	add_chain(fw, t, RS_POLICY_DROP, "FORWARD");
	add_chain(fw, t, RS_POLICY_ACCEPT, "OUTPUT");
	add_chain(fw, t, RS_USER_CHAIN, CHAIN_HOST);

	filter_input(fw, t, p, l, n);
	if (t == RS_FILTER4)
		filter_forward(fw, p, l, n);
	filter_output(fw, t, p, l, n);
	host_ports(fw, t, p);
}

static void nat_table(struct rs_build *fw, const struct profile *p, const struct link *l, size_t n)
{
	const enum rs_table t = RS_NAT4;
	const struct {
		uint8_t proto;
		const struct port_list *l;
	} lists[] = { { IPPROTO_TCP, &p->forward.tcp }, { IPPROTO_UDP, &p->forward.udp } };

	add_chain(fw, t, RS_POLICY_ACCEPT, "PREROUTING");
	add_chain(fw, t, RS_POLICY_ACCEPT, "INPUT");
	add_chain(fw, t, RS_POLICY_ACCEPT, "OUTPUT");
	add_chain(fw, t, RS_POLICY_ACCEPT, "POSTROUTING");
	add_chain(fw, t, RS_USER_CHAIN, CHAIN_CONTAINER);

	/* Every flow that comes in, on its first packet, before anything can
	 * drop it or answer it (an ICMP error for a packet that dies in
	 * routing carries the zone too). */
	for (size_t i = 0; i < n; i++)
		stamp(fw, t, "PREROUTING", l[i].name, NULL, l[i].zone);
	*add(fw, t, "PREROUTING") = (struct rs_rule){
		.table = t, .chain = "PREROUTING", .dst = p->vpn.scout_address, .dst_len = 32,
		.in = p->vpn.interface, .target = RS_JUMP, .jump = CHAIN_CONTAINER,
	};
	for (size_t i = 0; i < p->lan.n_interfaces; i++)
		*add(fw, t, "PREROUTING") = (struct rs_rule){
			.table = t, .chain = "PREROUTING", .when = RS_LAN_ACCESS, .in = p->lan.interfaces[i],
			.dst_local = 1, .target = RS_JUMP, .jump = CHAIN_CONTAINER,
		};
	/* The container's own address only: FORWARD drops any other source
	 * from its link. */
	*add(fw, t, "POSTROUTING") = (struct rs_rule){
		.table = t, .chain = "POSTROUTING", .src = p->container.address, .src_len = 32,
		.out = p->vpn.interface, .target = RS_MASQUERADE,
	};
	for (size_t i = 0; i < p->lan.n_interfaces; i++)
		*add(fw, t, "POSTROUTING") = (struct rs_rule){
			.table = t, .chain = "POSTROUTING", .src = p->container.address, .src_len = 32,
			.out = p->lan.interfaces[i], .target = RS_MASQUERADE,
		};
	/* One DNAT per port, as the original script had it. */
	for (size_t k = 0; k < ARRAY_SIZE(lists); k++)
		for (size_t i = 0; i < lists[k].l->n; i++)
			for (uint32_t port = lists[k].l->ranges[i].first; port <= lists[k].l->ranges[i].last; port++)
				*add(fw, t, CHAIN_CONTAINER) = (struct rs_rule){
					.table = t, .chain = CHAIN_CONTAINER, .proto = lists[k].proto,
					.dport_min = (uint16_t)port, .dport_max = (uint16_t)port,
					.target = RS_DNAT, .to_addr = p->container.address, .to_port = (uint16_t)port,
				};
}

void ruleset_build(const struct profile *p, struct rs_build *ret)
{
	struct rs_build fw = { 0 };
	struct link *l;
	size_t n = zone_links(p, &l);

	filter_table(&fw, RS_FILTER4, p, l, n);
	nat_table(&fw, p, l, n);
	filter_table(&fw, RS_FILTER6, p, l, n);
	free(l);
	fw.rs.profile_sha256 = p->sha256;
	fw.rs.generator_version = SCOUT_NETGEN_VERSION;
	fw.rs.boot_state = (p->lan.access ? RS_LAN_ACCESS : 0) | (p->host_control.enabled ? RS_HOST_CONTROL : 0);
	fw.rs.toggles = RS_HOST_CONTROL | (p->lan.n_interfaces ? RS_LAN_ACCESS : 0);
	fw.rs.chains = fw.chains;
	fw.rs.rules = fw.rules;
	*ret = fw;
}

void ruleset_build_free(struct rs_build *fw)
{
	free(fw->chains);
	free(fw->rules);
	*fw = (struct rs_build){ 0 };
}
