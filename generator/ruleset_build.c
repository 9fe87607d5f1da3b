/* The rules, from NETWORK.md. INPUT and FORWARD drop by default; the host's
 * own ports are in HOST_INCOMING, reached from the VPN always and from the
 * LAN while access from LAN is on; CONTAINER_INCOMING (nat) DNATs each
 * forwarded port to the container, reached from the scout's VPN address
 * always and from its LAN addresses while access from LAN is on; FORWARD
 * lets LAN traffic reach the container only when CONTAINER_INCOMING has
 * DNATed it. LAN interfaces are matched by wildcard at packet time. */
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

/* The head of INPUT (and FORWARD), the same for IPv4 and IPv6. ICMP comes
 * before the INVALID drop: IPv6 neighbour discovery is not tracked. */
static void common_head(struct rs_build *fw, enum rs_table t, const char *chain)
{
	static const uint8_t icmp4[] = { 8, 11 }; /* echo request, time exceeded */
	/* destination unreachable, packet too big, time exceeded, parameter
	 * problem, echo request, router solicitation and advertisement,
	 * neighbour solicitation and advertisement */
	static const uint8_t icmp6[] = { 1, 2, 3, 4, 128, 133, 134, 135, 136 };
	bool v6 = rs_tables[t].family == 6, input = !strcmp(chain, "INPUT");

	if (input)
		add(fw, t, chain)->in = "lo";
	*add(fw, t, chain) = (struct rs_rule){ .table = t, .chain = chain,
					       .ctstate = RS_CT_RELATED | RS_CT_ESTABLISHED };
	for (size_t i = 0; input && i < (v6 ? ARRAY_SIZE(icmp6) : ARRAY_SIZE(icmp4)); i++)
		*add(fw, t, chain) = (struct rs_rule){
			.table = t, .chain = chain, .proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP,
			.icmp = 1, .icmp_type = v6 ? icmp6[i] : icmp4[i],
		};
	*add(fw, t, chain) = (struct rs_rule){ .table = t, .chain = chain, .ctstate = RS_CT_INVALID,
					       .target = RS_DROP };
	/* A new TCP connection starts with SYN; anything else is a scan. */
	*add(fw, t, chain) = (struct rs_rule){ .table = t, .chain = chain, .proto = IPPROTO_TCP,
					       .tcp_not_syn = 1, .ctstate = RS_CT_NEW, .target = RS_DROP };
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

static void filter_table(struct rs_build *fw, enum rs_table t, const struct profile *p)
{
	const char *vpn = p->vpn.interface, *ve = p->container.host_interface;

	add_chain(fw, t, RS_POLICY_DROP, "INPUT");
	add_chain(fw, t, RS_POLICY_DROP, "FORWARD");
	add_chain(fw, t, RS_POLICY_ACCEPT, "OUTPUT");
	add_chain(fw, t, RS_USER_CHAIN, CHAIN_HOST);

	common_head(fw, t, "INPUT");
	*add(fw, t, "INPUT") = (struct rs_rule){ .table = t, .chain = "INPUT", .in = vpn,
						 .target = RS_JUMP, .jump = CHAIN_HOST };
	for (size_t i = 0; i < p->lan.n_interfaces; i++)
		*add(fw, t, "INPUT") = (struct rs_rule){ .table = t, .chain = "INPUT", .when = RS_LAN_ACCESS,
							 .in = p->lan.interfaces[i], .target = RS_JUMP,
							 .jump = CHAIN_HOST };
	if (t == RS_FILTER4) {
		common_head(fw, t, "FORWARD");
		*add(fw, t, "FORWARD") = (struct rs_rule){ .table = t, .chain = "FORWARD", .in = vpn, .out = ve };
		*add(fw, t, "FORWARD") = (struct rs_rule){ .table = t, .chain = "FORWARD", .in = ve, .out = vpn };
		for (size_t i = 0; i < p->lan.n_interfaces; i++)
			*add(fw, t, "FORWARD") = (struct rs_rule){ .table = t, .chain = "FORWARD", .in = ve,
								   .out = p->lan.interfaces[i] };
		for (size_t i = 0; i < p->lan.n_interfaces; i++)
			*add(fw, t, "FORWARD") = (struct rs_rule){
				.table = t, .chain = "FORWARD", .when = RS_LAN_ACCESS,
				.in = p->lan.interfaces[i], .out = ve, .ctstate = RS_CT_DNAT,
			};
	}
	host_ports(fw, t, p);
}

static void nat_table(struct rs_build *fw, const struct profile *p)
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

	*add(fw, t, "PREROUTING") = (struct rs_rule){
		.table = t, .chain = "PREROUTING", .dst = p->vpn.scout_address, .dst_len = 32,
		.in = p->vpn.interface, .target = RS_JUMP, .jump = CHAIN_CONTAINER,
	};
	for (size_t i = 0; i < p->lan.n_interfaces; i++)
		*add(fw, t, "PREROUTING") = (struct rs_rule){
			.table = t, .chain = "PREROUTING", .when = RS_LAN_ACCESS, .in = p->lan.interfaces[i],
			.dst_local = 1, .target = RS_JUMP, .jump = CHAIN_CONTAINER,
		};
	*add(fw, t, "POSTROUTING") = (struct rs_rule){
		.table = t, .chain = "POSTROUTING", .src = p->container.subnet.addr,
		.src_len = (uint8_t)p->container.subnet.prefix, .out = p->vpn.interface, .target = RS_MASQUERADE,
	};
	for (size_t i = 0; i < p->lan.n_interfaces; i++)
		*add(fw, t, "POSTROUTING") = (struct rs_rule){
			.table = t, .chain = "POSTROUTING", .src = p->container.subnet.addr,
			.src_len = (uint8_t)p->container.subnet.prefix, .out = p->lan.interfaces[i],
			.target = RS_MASQUERADE,
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

	filter_table(&fw, RS_FILTER4, p);
	nat_table(&fw, p);
	filter_table(&fw, RS_FILTER6, p);
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
