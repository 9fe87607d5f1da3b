/* The template variables: every profile value, by its dotted profile name,
 * plus a few derived forms (netmask, OpenVPN's proto word). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "vars.h"
#include "version.h"

static void set_addr(struct tvars *vars, const char *name, uint32_t addr)
{
	char s[16];

	ipv4_format(addr, s);
	tvars_set(vars, name, s);
}

/* A locally administered unicast MAC address from a tunnel address:
 * 02:00 and the four bytes of the address, fixed for the profile. */
static char *lladdr(uint32_t addr)
{
	return xasprintf("02:00:%02x:%02x:%02x:%02x", addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255);
}

static void set_lladdr(struct tvars *vars, const char *name, uint32_t addr)
{
	char *s = lladdr(addr);

	tvars_set(vars, name, s);
	free(s);
}

static void set_uint(struct tvars *vars, const char *name, unsigned v)
{
	char *s = xasprintf("%u", v);

	tvars_set(vars, name, s);
	free(s);
}

/* name.subnet (CIDR), name.network, name.prefix, name.netmask */
static void set_net(struct tvars *vars, const char *prefix, const struct net4 *n)
{
	char a[16], *name, *s;

	ipv4_format(n->addr, a);
	s = xasprintf("%s/%u", a, n->prefix);
	name = xasprintf("%s.subnet", prefix);
	tvars_set(vars, name, s);
	free(name);
	free(s);
	name = xasprintf("%s.network", prefix);
	tvars_set(vars, name, a);
	free(name);
	name = xasprintf("%s.prefix", prefix);
	set_uint(vars, name, n->prefix);
	free(name);
	name = xasprintf("%s.netmask", prefix);
	set_addr(vars, name, net4_mask(n));
	free(name);
}

/* vpn.proxy_option: OpenVPN's proxy line, or nothing. */
static void set_proxy(struct tvars *vars, const struct profile *p)
{
	const struct proxy *x = &p->vpn.proxy;
	char *line = xasprintf("%s-proxy %s %u%s%s", proxy_type_name(x->type), x->host, x->port,
			       p->vpn.proxy_auth ? " " : "",
			       p->vpn.proxy_auth ? p->vpn.proxy_auth : "");

	tvars_set_list(vars, "vpn.proxy_option", &line, x->type != PROXY_NONE);
	free(line);
}

static void set_ports(struct tvars *vars, const char *name, const struct port_list *l)
{
	char **items = xcalloc(l->n, sizeof(*items));

	for (size_t i = 0; i < l->n; i++) {
		struct buf b = { 0 };

		port_list_format(&b, &(struct port_list){ .ranges = &l->ranges[i], .n = 1 }, "");
		items[i] = buf_steal(&b, NULL);
	}
	tvars_set_list(vars, name, items, l->n);
	for (size_t i = 0; i < l->n; i++)
		free(items[i]);
	free(items);
}

/* iptables' wildcard "eth+" is systemd's glob "eth*". */
static void set_globs(struct tvars *vars, const char *name, char *const *patterns, size_t n)
{
	char **items = xcalloc(n, sizeof(*items));

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(patterns[i]);

		items[i] = len && patterns[i][len - 1] == '+' ? xasprintf("%.*s*", (int)len - 1, patterns[i])
							     : xstrdup(patterns[i]);
	}
	tvars_set_list(vars, name, items, n);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

/* A list of one item when on, none when off: a section's switch. */
static void set_switch(struct tvars *vars, const char *name, bool on)
{
	tvars_set_list(vars, name, (char *const[]){ (char *)name }, on);
}

/* The selected scout, and the fleet: fleet.peers is "NAME ADDRESS LLADDR"
 * for each scout, for the server's scripts. */
static void set_scouts(struct tvars *vars, const struct profile *p)
{
	char **peers = xcalloc(p->n_scouts, sizeof(*peers)), **names = xcalloc(p->n_scouts, sizeof(*names));
	char **addrs = xcalloc(p->n_scouts, sizeof(*addrs));

	tvars_set(vars, "scout.name", p->scouts[p->self].name);
	set_switch(vars, "scout.first", p->self == 0);
	tvars_set(vars, "vpn.type", p->vpn.type == VPN_OPENVPN ? "openvpn" : "wireguard");
	set_switch(vars, "vpn.openvpn", p->vpn.type == VPN_OPENVPN);
	set_switch(vars, "vpn.wireguard", p->vpn.type == VPN_WIREGUARD);
	set_switch(vars, "vpn.fleet", p->fleet);
	set_switch(vars, "vpn.single", !p->fleet);
	for (size_t i = 0; i < p->n_scouts; i++) {
		uint32_t a = p->scouts[i].address;
		char *mac = lladdr(a);

		names[i] = p->scouts[i].name;
		addrs[i] = xmalloc(16);
		ipv4_format(a, addrs[i]);
		peers[i] = xasprintf("%s %s %s", names[i], addrs[i], mac);
		free(mac);
	}
	tvars_set_list(vars, "fleet.peers", peers, p->n_scouts);
	tvars_set_list(vars, "fleet.names", names, p->n_scouts);
	tvars_set_list(vars, "fleet.addresses", addrs, p->n_scouts);
	for (size_t i = 0; i < p->n_scouts; i++) {
		free(peers[i]);
		free(addrs[i]);
	}
	free(peers);
	free(names);
	free(addrs);
}

void vars_from_profile(const struct profile *p, struct tvars *vars)
{
	char **dns = xcalloc(p->container.n_dns, sizeof(*dns));

	tvars_set(vars, "generator.version", SCOUT_NETGEN_VERSION);
	tvars_set(vars, "profile.sha256", p->sha256);

	set_scouts(vars, p);
	tvars_set(vars, "vpn.server", p->vpn.server);
	set_uint(vars, "vpn.port", p->vpn.port);
	tvars_set(vars, "vpn.protocol", p->vpn.protocol == PROTO_UDP ? "udp" : "tcp");
	tvars_set(vars, "vpn.client_proto", p->vpn.protocol == PROTO_UDP ? "udp" : "tcp-client");
	tvars_set(vars, "vpn.server_proto", p->vpn.protocol == PROTO_UDP ? "udp" : "tcp-server");
	/* A section over it is text for UDP only: {{#vpn.udp}}...{{/vpn.udp}}. */
	tvars_set_list(vars, "vpn.udp", (char *const[]){ "udp" }, p->vpn.protocol == PROTO_UDP);
	set_proxy(vars, p);
	tvars_set(vars, "vpn.interface", p->vpn.interface);
	set_net(vars, "vpn", &p->vpn.subnet);
	set_addr(vars, "vpn.server_address", p->vpn.server_address);
	set_addr(vars, "vpn.scout_address", p->vpn.scout_address);
	set_addr(vars, "vpn.expert_address", p->vpn.expert_address);
	tvars_set(vars, "vpn.keys_dir", KEYS_DIR);
	tvars_set(vars, "vpn.server_keys_dir", SERVER_KEYS_DIR);
	tvars_set(vars, "vpn.expert_keys_dir", EXPERT_KEYS_DIR);
	set_lladdr(vars, "vpn.scout_lladdr", p->vpn.scout_address);
	set_lladdr(vars, "vpn.expert_lladdr", p->vpn.expert_address);

	tvars_set(vars, "container.name", p->container.name);
	tvars_set(vars, "container.root", p->container.root);
	set_uint(vars, "container.uid_base", CONTAINER_UID_BASE);
	set_net(vars, "container", &p->container.subnet);
	tvars_set(vars, "container.host_interface", p->container.host_interface);
	set_addr(vars, "container.host_address", p->container.host_address);
	tvars_set(vars, "container.interface", p->container.interface);
	set_addr(vars, "container.address", p->container.address);
	for (size_t i = 0; i < p->container.n_dns; i++) {
		char s[INET6_ADDRSTRLEN];
		const struct ipaddr *a = &p->container.dns[i];

		inet_ntop(a->family, &a->u, s, sizeof(s));
		dns[i] = xstrdup(s);
	}
	tvars_set_list(vars, "container.dns", dns, p->container.n_dns);
	for (size_t i = 0; i < p->container.n_dns; i++)
		free(dns[i]);
	free(dns);

	tvars_set_list(vars, "lan.interfaces", p->lan.interfaces, p->lan.n_interfaces);
	set_globs(vars, "lan.globs", p->lan.interfaces, p->lan.n_interfaces);
	tvars_set(vars, "lan.access", p->lan.access ? "true" : "false");
	tvars_set(vars, "host_control.enabled", p->host_control.enabled ? "true" : "false");
	set_uint(vars, "host_control.port", p->host_control.port);
	set_ports(vars, "forward.tcp", &p->forward.tcp);
	set_ports(vars, "forward.udp", &p->forward.udp);
}
