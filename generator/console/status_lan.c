/* What the LAN offered that collides with the VPN or the container: DHCP
 * routes (classless, option 121, and static, option 33) into their
 * subnets or to the VPN server, which systemd-networkd is told not to
 * install (TunnelVision), and LAN addresses whose subnet overlaps theirs,
 * which leave that part of the LAN unreachable (the tunnel's and the
 * container's routes win, and the firewall keeps those subnets on their
 * own links). Routes come from networkd's lease files, the only place it
 * keeps what the server sent; addresses from the kernel. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "parse.h"
#include "util.h"

#define LEASE_MAX (64 * 1024)

static void add(struct status *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct status *s, const char *fmt, ...)
{
	va_list ap;

	if (s->n_collisions == STATUS_MAX_COLLISIONS) {
		s->n_collisions_more++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(s->collisions[s->n_collisions++], sizeof(s->collisions[0]), fmt, ap);
	va_end(ap);
}

/* Which of ours net/prefix overlaps: "the VPN subnet", "the container
 * subnet", with server "the VPN server" (its address), or NULL. */
static const char *collides(const struct profile *p, uint32_t net, unsigned prefix, bool server)
{
	const struct net4 n = { prefix ? net & (UINT32_MAX << (32 - prefix)) : 0, prefix };
	uint32_t address;

	if (net4_overlap(&n, &p->vpn.subnet))
		return "the VPN subnet";
	if (net4_overlap(&n, &p->container.subnet))
		return "the container subnet";
	if (server && !parse_ipv4(p->vpn.server, &address) && net4_overlap(&n, &(struct net4){ address, 32 }))
		return "the VPN server";
	return NULL;
}

/* One route of a lease: "A.B.C.D/N,GATEWAY". */
static void lease_route(const struct profile *p, const char *ifname, char *route, struct status *s)
{
	char *gw = strchr(route, ','), *slash = strchr(route, '/');
	uint32_t dst, gateway, prefix;
	const char *what;

	if (!gw || !slash || slash > gw)
		return;
	*gw++ = *slash++ = '\0';
	if (parse_ipv4(route, &dst) || parse_u32(slash, 1, 32, &prefix) || parse_ipv4(gw, &gateway))
		return; /* not ours to judge (a default route is no collision) */
	if ((what = collides(p, dst, prefix, true))) {
		char a[16];

		ipv4_format(dst, a);
		add(s, "%s: DHCP route %s/%u for %s, not taken", ifname, a, prefix, what);
	}
}

static void lease(const struct profile *p, const struct paths *x, const char *ifname, struct status *s)
{
	unsigned index = if_nametoindex(ifname);
	char *path, *data, *line, *save = NULL;
	size_t len;

	if (!index)
		return;
	path = xasprintf("%s/%u", x->lease_dir, index);
	if (read_file(path, LEASE_MAX, &data, &len) < 0) {
		free(path);
		return;
	}
	for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *value = strchr(line, '='), *route, *rsave = NULL;

		if (!value)
			continue;
		*value++ = '\0';
		if (strcmp(line, "CLASSLESS_ROUTES") && strcmp(line, "STATIC_ROUTES"))
			continue;
		for (route = strtok_r(value, " ", &rsave); route; route = strtok_r(NULL, " ", &rsave))
			lease_route(p, ifname, route, s);
	}
	free(data);
	free(path);
}

void status_collisions(const struct profile *p, const struct paths *x, const struct ifaddrs *ifa, struct status *s)
{
	for (size_t i = 0; i < s->n_lan; i++)
		lease(p, x, s->lan[i].name, s);
	for (const struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		const char *what;
		uint32_t ip;
		unsigned prefix;

		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !lan_interface(p, i->ifa_name))
			continue;
		ip = ntohl(((const struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr);
		prefix = status_prefix_len(i->ifa_netmask);
		if ((what = collides(p, ip, prefix, false))) {
			char a[16];

			ipv4_format(ip, a);
			add(s, "%s: LAN %s/%u overlaps %s", i->ifa_name, a, prefix, what);
		}
	}
}
