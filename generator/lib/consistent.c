/* Checks that span several fields, run once every field has parsed (like
 * pfctl's rule_consistent). Each check runs only when its inputs are valid,
 * so one mistake is reported once. */
#include <stdlib.h>
#include <string.h>

#include "consistent.h"
#include "util.h"
#include "validate_wifi.h"
#include "validator.h"

/* The node to blame: the first of the fields the user wrote, in the order
 * given, or NULL (top of the file) when all of them are defaults. */
static const struct ynode *blame(const struct validator *v, enum field_id a, enum field_id b)
{
	return v->node[a] ? v->node[a] : v->node[b];
}

static bool all_ok(const struct validator *v, enum field_id a, enum field_id b)
{
	return v->ok[a] && v->ok[b];
}

static void check_in_subnet(struct validator *v, enum field_id addr_f, enum field_id net_f,
			    uint32_t addr, const struct net4 *net)
{
	char a[16], n[16];
	const char *why;

	if (!all_ok(v, addr_f, net_f))
		return;
	ipv4_format(addr, a);
	ipv4_format(net->addr, n);
	if (!net4_contains(net, addr))
		why = "outside";
	else if (addr == net->addr)
		why = "the network address of";
	else if (addr == net4_broadcast(net))
		why = "the broadcast address of";
	else
		return;
	node_error(v, blame(v, addr_f, net_f), "%s: %s%s is %s %s %s/%u", field_name(addr_f), a,
		   v->node[addr_f] ? "" : " (the default)", why, field_name(net_f), n, net->prefix);
	v->ok[addr_f] = false; /* don't also report it as a duplicate */
}

static void check_distinct(struct validator *v, enum field_id a_f, uint32_t a, enum field_id b_f,
			   uint32_t b)
{
	char s[16];

	if (!all_ok(v, a_f, b_f) || a != b)
		return;
	ipv4_format(a, s);
	node_error(v, blame(v, b_f, a_f), "%s: %s is also %s", field_name(b_f), s, field_name(a_f));
}

static void check_addresses(struct validator *v)
{
	struct profile *p = v->p;

	check_in_subnet(v, FLD_VPN_SERVER_ADDRESS, FLD_VPN_SUBNET, p->vpn.server_address, &p->vpn.subnet);
	check_in_subnet(v, FLD_VPN_SCOUT_ADDRESS, FLD_VPN_SUBNET, p->vpn.scout_address, &p->vpn.subnet);
	check_in_subnet(v, FLD_VPN_EXPERT_ADDRESS, FLD_VPN_SUBNET, p->vpn.expert_address, &p->vpn.subnet);
	check_in_subnet(v, FLD_CT_HOST_ADDRESS, FLD_CT_SUBNET, p->container.host_address, &p->container.subnet);
	check_in_subnet(v, FLD_CT_ADDRESS, FLD_CT_SUBNET, p->container.address, &p->container.subnet);
	check_distinct(v, FLD_VPN_SERVER_ADDRESS, p->vpn.server_address, FLD_VPN_SCOUT_ADDRESS,
		       p->vpn.scout_address);
	check_distinct(v, FLD_VPN_SERVER_ADDRESS, p->vpn.server_address, FLD_VPN_EXPERT_ADDRESS,
		       p->vpn.expert_address);
	check_distinct(v, FLD_VPN_SCOUT_ADDRESS, p->vpn.scout_address, FLD_VPN_EXPERT_ADDRESS,
		       p->vpn.expert_address);
	check_distinct(v, FLD_CT_HOST_ADDRESS, p->container.host_address, FLD_CT_ADDRESS,
		       p->container.address);
	if (all_ok(v, FLD_VPN_SUBNET, FLD_CT_SUBNET) && net4_overlap(&p->vpn.subnet, &p->container.subnet)) {
		char a[16], b[16];

		ipv4_format(p->vpn.subnet.addr, a);
		ipv4_format(p->container.subnet.addr, b);
		node_error(v, blame(v, FLD_CT_SUBNET, FLD_VPN_SUBNET),
			   "container.subnet: %s/%u overlaps vpn.subnet %s/%u; the two must be disjoint",
			   b, p->container.subnet.prefix, a, p->vpn.subnet.prefix);
	}
}

/* A literal server address inside a tunnel subnet would be routed into the
 * tunnel it is meant to carry; so would an IPv6 address that carries one
 * (::ffff:10.1.0.9). */
static void check_server(struct validator *v)
{
	struct profile *p = v->p;
	struct ipaddr ip;
	uint32_t addr;

	if (!v->ok[FLD_VPN_SERVER] || parse_ip(p->vpn.server, &ip) || !ipaddr_v4(&ip, &addr))
		return;
	if (v->ok[FLD_VPN_SUBNET] && net4_contains(&p->vpn.subnet, addr))
		node_error(v, v->node[FLD_VPN_SERVER], "vpn.server: %s is inside vpn.subnet; the server must be reachable outside the tunnel",
			   p->vpn.server);
	else if (v->ok[FLD_CT_SUBNET] && net4_contains(&p->container.subnet, addr))
		node_error(v, v->node[FLD_VPN_SERVER], "vpn.server: %s is inside container.subnet",
			   p->vpn.server);
}

/* systemd-nspawn@NAME.service runs `systemd-nspawn --machine=NAME`, which
 * finds the root at /var/lib/machines/NAME (the image's other search
 * directories are empty): a root anywhere else is never started, and one
 * elsewhere could be a system directory whose files the overlay would hand
 * to the container's users. So the root follows the name when left out,
 * and when written must be that path. */
static void check_container_root(struct validator *v)
{
	struct profile *p = v->p;
	char *want;

	if (!all_ok(v, FLD_CT_NAME, FLD_CT_ROOT))
		return;
	want = xasprintf(MACHINES_DIR "/%s", p->container.name);
	if (!v->node[FLD_CT_ROOT]) {
		free(p->container.root);
		p->container.root = want;
		return;
	}
	if (strcmp(p->container.root, want))
		node_error(v, v->node[FLD_CT_ROOT],
			   "container.root: '%s' is not %s: systemd-nspawn@%s.service runs the machine's root from there and nowhere else",
			   p->container.root, want, p->container.name);
	free(want);
}

/* OpenVPN carries UDP through a SOCKS proxy, not through an HTTP one. */
static void check_proxy(struct validator *v)
{
	const struct profile *p = v->p;

	if (all_ok(v, FLD_VPN_PROXY, FLD_VPN_PROTOCOL) && p->vpn.proxy.type == PROXY_HTTP &&
	    p->vpn.protocol == PROTO_UDP)
		node_error(v, blame(v, FLD_VPN_PROXY, FLD_VPN_PROTOCOL),
			   "vpn.proxy: an HTTP proxy carries TCP only; set vpn.protocol: tcp or use socks://");
	if (all_ok(v, FLD_VPN_PROXY, FLD_VPN_PROXY_AUTH) && p->vpn.proxy_auth && p->vpn.proxy.type == PROXY_NONE)
		node_error(v, blame(v, FLD_VPN_PROXY_AUTH, FLD_VPN_PROXY),
			   "vpn.proxy_auth: there is no vpn.proxy to give the credentials to");
	if (!v->ok[FLD_VPN_TYPE] || p->vpn.type != VPN_WIREGUARD)
		return;
	/* WireGuard is UDP: no TCP transport, and neither proxy kind carries it. */
	if (v->ok[FLD_VPN_PROTOCOL] && p->vpn.protocol == PROTO_TCP)
		node_error(v, blame(v, FLD_VPN_PROTOCOL, FLD_VPN_TYPE),
			   "vpn.protocol: WireGuard runs over UDP only; leave protocol out or set udp");
	if (v->ok[FLD_VPN_PROXY] && p->vpn.proxy.type != PROXY_NONE)
		node_error(v, blame(v, FLD_VPN_PROXY, FLD_VPN_TYPE),
			   "vpn.proxy: WireGuard cannot go through a proxy; use vpn.type: openvpn for a network that lets only a proxy out");
}

static const struct ynode *item_node(const struct validator *v, enum field_id f, size_t i)
{
	return v->node[f] ? v->node[f]->items[i] : NULL;
}

static void check_interfaces(struct validator *v)
{
	struct profile *p = v->p;
	const struct {
		enum field_id f;
		const char *name;
	} own[] = {
		{ FLD_VPN_INTERFACE, p->vpn.interface },
		{ FLD_CT_HOST_INTERFACE, p->container.host_interface },
	};

	if (all_ok(v, FLD_VPN_INTERFACE, FLD_CT_HOST_INTERFACE) &&
	    !strcmp(p->vpn.interface, p->container.host_interface))
		node_error(v, blame(v, FLD_CT_HOST_INTERFACE, FLD_VPN_INTERFACE),
			   "container.host_interface: '%s' is also vpn.interface", p->vpn.interface);
	if (!v->ok[FLD_LAN_INTERFACES])
		return;
	for (size_t i = 0; i < p->lan.n_interfaces; i++) {
		const char *pat = p->lan.interfaces[i];

		for (size_t j = 0; j < i; j++)
			if (!strcmp(pat, p->lan.interfaces[j]))
				node_error(v, item_node(v, FLD_LAN_INTERFACES, i),
					   "lan.interfaces: '%s' is listed twice", pat);
		if (ifpattern_matches(pat, "lo"))
			node_error(v, item_node(v, FLD_LAN_INTERFACES, i),
				   "lan.interfaces: '%s' matches the loopback interface", pat);
		for (size_t k = 0; k < ARRAY_SIZE(own); k++)
			if (v->ok[own[k].f] && ifpattern_matches(pat, own[k].name))
				node_error(v, blame(v, FLD_LAN_INTERFACES, own[k].f),
					   "lan.interfaces: '%s' matches %s '%s'", pat,
					   field_name(own[k].f), own[k].name);
	}
	if (v->ok[FLD_LAN_ACCESS] && p->lan.access && !p->lan.n_interfaces)
		node_error(v, blame(v, FLD_LAN_ACCESS, FLD_LAN_INTERFACES),
			   "lan.access: true, but lan.interfaces is empty");
}

static void check_dns(struct validator *v)
{
	struct profile *p = v->p;

	if (!v->ok[FLD_CT_DNS])
		return;
	for (size_t i = 0; i < p->container.n_dns; i++)
		for (size_t j = 0; j < i; j++)
			if (!memcmp(&p->container.dns[i], &p->container.dns[j], sizeof(struct ipaddr)))
				node_error(v, item_node(v, FLD_CT_DNS, i),
					   "container.dns: '%s' is listed twice", v->node[FLD_CT_DNS]->items[i]->value);
}

/* A port forwarded twice is a mistake even when the ranges merely overlap.
 * owner[port] is 1 + the index of the first range covering it. */
static void check_ports(struct validator *v, enum field_id f, const struct port_list *l)
{
	uint32_t *owner;

	if (!v->ok[f])
		return;
	owner = xcalloc(65536, sizeof(*owner));
	for (size_t i = 0; i < l->n; i++) {
		for (uint32_t port = l->ranges[i].first; port <= l->ranges[i].last; port++) {
			if (!owner[port]) {
				owner[port] = (uint32_t)i + 1;
				continue;
			}
			node_error(v, item_node(v, f, i), "%s: port %u is already %s by '%s' on line %u",
				   field_name(f), port, f == FLD_FWD_TCP || f == FLD_FWD_UDP ? "forwarded" : "opened",
				   item_node(v, f, owner[port] - 1)->value, item_node(v, f, owner[port] - 1)->line);
			v->ok[f] = false;
			break;
		}
	}
	free(owner);
}

static void check_host_control(struct validator *v)
{
	static const enum field_id lists[] = { FLD_FWD_TCP, FLD_HOST_TCP };
	uint16_t port = v->p->host_control.port;

	for (size_t k = 0; k < ARRAY_SIZE(lists); k++) {
		const struct port_list *l = lists[k] == FLD_FWD_TCP ? &v->p->forward.tcp : &v->p->host_ports.tcp;
		long i;

		if (!all_ok(v, FLD_HC_PORT, lists[k]) || (i = port_list_find(l, port)) < 0)
			continue;
		node_error(v, v->node[FLD_HC_PORT] ? v->node[FLD_HC_PORT] : item_node(v, lists[k], (size_t)i),
			   lists[k] == FLD_FWD_TCP ? "host_control.port: %u is also forwarded to the container (%s)"
						   : "host_control.port: %u is also in %s",
			   port, field_name(lists[k]));
	}
}

/* A host port that is also forwarded would never reach the host. A bitmap
 * of the forwarded ports keeps this linear whatever the lists hold. */
static void check_host_ports(struct validator *v, enum field_id host_f, const struct port_list *host,
			     enum field_id fwd_f, const struct port_list *fwd)
{
	uint8_t *forwarded;

	if (!all_ok(v, host_f, fwd_f))
		return;
	forwarded = xcalloc(65536, 1);
	for (size_t i = 0; i < fwd->n; i++)
		memset(forwarded + fwd->ranges[i].first, 1,
		       (size_t)fwd->ranges[i].last - fwd->ranges[i].first + 1);
	for (size_t i = 0; i < host->n; i++)
		for (unsigned port = host->ranges[i].first; port <= host->ranges[i].last; port++)
			if (forwarded[port]) {
				node_error(v, item_node(v, host_f, i),
					   "%s: port %u is also forwarded to the container (%s)",
					   field_name(host_f), port, field_name(fwd_f));
				break;
			}
	free(forwarded);
}

void validate_consistency(struct validator *v)
{
	check_addresses(v);
	check_server(v);
	check_container_root(v);
	check_proxy(v);
	check_interfaces(v);
	check_dns(v);
	wifi_check_lists(v);
	check_ports(v, FLD_FWD_TCP, &v->p->forward.tcp);
	check_ports(v, FLD_FWD_UDP, &v->p->forward.udp);
	check_ports(v, FLD_HOST_TCP, &v->p->host_ports.tcp);
	check_ports(v, FLD_HOST_UDP, &v->p->host_ports.udp);
	check_host_control(v);
	check_host_ports(v, FLD_HOST_TCP, &v->p->host_ports.tcp, FLD_FWD_TCP, &v->p->forward.tcp);
	check_host_ports(v, FLD_HOST_UDP, &v->p->host_ports.udp, FLD_FWD_UDP, &v->p->forward.udp);
}
