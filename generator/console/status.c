/* The status screen's facts, read afresh each time: links and addresses
 * from the kernel (getifaddrs), units from systemd (systemctl), the
 * firewall's state from host-iptables, connections from conntrack. */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "util.h"

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* systemctl is-active prints one state per unit, in order. */
static void units(const struct profile *p, struct status *s)
{
	char *ct = xasprintf("systemd-nspawn@%s.service", p->container.name);
	char *vpn = xasprintf("%s.service", vpn_unit_name(p));
	char *argv[] = { "systemctl", "is-active", vpn, ct, "scout-firewall.service", NULL };
	char *dst[] = { s->vpn_unit, s->ct_unit, s->fw_unit };
	struct run r;
	const char *line;

	run_capture(argv, &r);
	line = r.out;
	for (size_t i = 0; i < ARRAY_SIZE(dst); i++) {
		size_t len = line ? strcspn(line, "\n") : 0;

		if (!len)
			copy(dst[i], sizeof(s->vpn_unit), "unknown");
		else
			snprintf(dst[i], sizeof(s->vpn_unit), "%.*s", (int)len, line);
		line = line && line[len] ? line + len + 1 : NULL;
	}
	run_free(&r);
	free(ct);
	free(vpn);
}

const char *vpn_unit_name(const struct profile *p)
{
	return p->vpn.type == VPN_WIREGUARD ? "systemd-networkd" : OPENVPN_UNIT;
}

bool vpn_up(const struct profile *p, const struct status *s)
{
	if (!s->vpn_link || !s->vpn_address)
		return false;
	if (p->vpn.type != VPN_WIREGUARD)
		return true;
	return s->wg.state == WG_READ && s->wg.handshake && s->now >= s->wg.handshake &&
	       s->now - s->wg.handshake <= WG_HANDSHAKE_FRESH;
}

unsigned status_prefix_len(const struct sockaddr *mask)
{
	unsigned n = 0;
	const unsigned char *b;
	size_t len;

	if (!mask)
		return 0;
	if (mask->sa_family == AF_INET) {
		b = (const unsigned char *)&((const struct sockaddr_in *)mask)->sin_addr;
		len = 4;
	} else {
		b = (const unsigned char *)&((const struct sockaddr_in6 *)mask)->sin6_addr;
		len = 16;
	}
	for (size_t i = 0; i < len; i++)
		n += (unsigned)__builtin_popcount(b[i]);
	return n;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct lan_status *)a)->name, ((const struct lan_status *)b)->name);
}

/* getifaddrs lists each interface once as AF_PACKET, then its addresses. */
static struct lan_status *lan_entry(struct status *s, const char *name, int family)
{
	for (size_t i = 0; i < s->n_lan; i++)
		if (!strcmp(s->lan[i].name, name))
			return &s->lan[i];
	if (s->n_lan == STATUS_MAX_LAN) {
		s->n_lan_more += family == AF_PACKET;
		return NULL;
	}
	copy(s->lan[s->n_lan].name, sizeof(s->lan[0].name), name);
	return &s->lan[s->n_lan++];
}

static void links(const struct profile *p, const struct paths *x, const struct ifaddrs *ifa, struct status *s)
{
	uint32_t scout = htonl(p->vpn.scout_address);

	for (const struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		bool up = i->ifa_flags & IFF_UP, carrier = i->ifa_flags & IFF_RUNNING;
		int family = i->ifa_addr ? i->ifa_addr->sa_family : AF_UNSPEC;
		struct lan_status *l;

		if (!strcmp(i->ifa_name, p->vpn.interface)) {
			s->vpn_link |= up && carrier;
			if (family == AF_INET && ((const struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr == scout)
				s->vpn_address = true;
		}
		if (!strcmp(i->ifa_name, p->container.host_interface))
			s->ct_link |= up && carrier;
		if (!lan_interface(p, i->ifa_name) || !(l = lan_entry(s, i->ifa_name, family)))
			continue;
		l->up = up;
		l->carrier = carrier;
		if (family == AF_INET || family == AF_INET6) {
			char a[INET6_ADDRSTRLEN], item[INET6_ADDRSTRLEN + 8];
			const void *in = family == AF_INET ? (const void *)&((const struct sockaddr_in *)i->ifa_addr)->sin_addr
							   : (const void *)&((const struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			size_t used = strlen(l->addrs);

			inet_ntop(family, in, a, sizeof(a));
			snprintf(item, sizeof(item), "%s%s/%u", used ? " " : "", a, status_prefix_len(i->ifa_netmask));
			if (used + strlen(item) < sizeof(l->addrs))
				memcpy(l->addrs + used, item, strlen(item) + 1);
		}
	}
	qsort(s->lan, s->n_lan, sizeof(s->lan[0]), by_name);
	for (size_t i = 0; i < s->n_lan; i++) {
		char *f = static_ip_file(x, s->lan[i].name);

		s->lan[i].static_ip = access(f, F_OK) == 0;
		free(f);
	}
}

/* host-iptables check-*: "... is ON" / "... is OFF". */
static int fw_state(const struct paths *x, char *command)
{
	char *argv[] = { x->host_iptables, command, NULL };
	struct run r;
	int state = -1;

	run_capture(argv, &r);
	if (r.status == 0 && strstr(r.out, " is ON\n"))
		state = 1;
	else if (r.status == 0 && strstr(r.out, " is OFF\n"))
		state = 0;
	run_free(&r);
	return state;
}

static void firewall(const struct paths *x, struct status *s)
{
	char *argv[] = { x->host_iptables, "verify", NULL };
	struct run r;

	s->lan_access = fw_state(x, "check-access-from-lan");
	s->host_control = fw_state(x, "check-host-control");
	run_capture(argv, &r);
	s->firewall_ok = r.status == 0;
	if (r.status == 0) {
		copy(s->firewall, sizeof(s->firewall), "OK: the kernel's tables are the rule set");
	} else if (r.status == 1 && r.out[0]) {
		unsigned n = 0;

		/* One line per chain or rule that differs. */
		for (const char *c = r.out; *c; c++)
			n += *c == '\n';
		snprintf(s->firewall, sizeof(s->firewall), "%u difference%s from the rule set (host-iptables verify)",
			 n, n == 1 ? "" : "s");
	} else {
		char *why = run_reason("host-iptables verify failed", &r);

		copy(s->firewall, sizeof(s->firewall), why);
		free(why);
	}
	run_free(&r);
}

void status_read(const struct profile *p, const struct paths *x, struct status *s)
{
	struct ifaddrs *ifa = NULL;
	char *proxy;

	memset(s, 0, sizeof(*s));
	units(p, s);
	/* One read of the links and addresses serves both. */
	if (getifaddrs(&ifa) < 0)
		ifa = NULL;
	links(p, x, ifa, s);
	if (p->vpn.type == VPN_WIREGUARD) {
		wg_status_read(p->vpn.interface, &s->wg);
		s->now = time(NULL); /* after: a handshake read is never in the future */
	}
	status_collisions(p, x, ifa, s);
	firewall(x, s);
	s->n_conns = status_conns(p, ifa, s->conns, STATUS_MAX_CONNS);
	if (ifa)
		freeifaddrs(ifa);
	proxy = proxy_override(x);
	if (proxy)
		snprintf(s->proxy, sizeof(s->proxy), "%s (console)", proxy);
	else if (p->vpn.proxy.type != PROXY_NONE)
		snprintf(s->proxy, sizeof(s->proxy), "%s %s:%u (profile)", proxy_type_name(p->vpn.proxy.type),
			 p->vpn.proxy.host, p->vpn.proxy.port);
	else
		copy(s->proxy, sizeof(s->proxy), "none");
	free(proxy);
}
