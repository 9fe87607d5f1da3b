/* Who is connected now: established connections to the forwarded ports
 * (DNATed to the container) and to the host's own ports, from the kernel's
 * connection tracking table through libnetfilter_conntrack. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>
#include <stdio.h>
#include <string.h>

#include "console.h"

struct conns {
	const struct profile *p;
	char (*out)[80];
	int max, n;
	const struct ifaddrs *local; /* the scout's own addresses */
};

/* Whether the connection was made to one of the scout's addresses. */
static bool to_us(const struct conns *c, const struct nf_conntrack *ct, int family)
{
	const void *dst = nfct_get_attr(ct, family == AF_INET ? ATTR_ORIG_IPV4_DST : ATTR_ORIG_IPV6_DST);

	for (const struct ifaddrs *i = c->local; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family)
			continue;
		if (family == AF_INET ? !memcmp(&((const struct sockaddr_in *)i->ifa_addr)->sin_addr, dst, 4)
				      : !memcmp(&((const struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, dst, 16))
			return true;
	}
	return false;
}

static bool in_list(const struct port_list *l, uint16_t port)
{
	return port_list_find(l, port) >= 0;
}

static bool same_addr(const struct nf_conntrack *ct, int family, enum nf_conntrack_attr a, enum nf_conntrack_attr b)
{
	return !memcmp(nfct_get_attr(ct, a), nfct_get_attr(ct, b), family == AF_INET ? 4 : 16);
}

static int one(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct conns *c = data;
	const struct profile *p = c->p;
	int family = nfct_get_attr_u8(ct, ATTR_L3PROTO);
	int proto = nfct_get_attr_u8(ct, ATTR_L4PROTO);
	bool tcp = proto == IPPROTO_TCP, v4 = family == AF_INET;
	uint16_t port;
	const char *to = NULL;

	(void)type;
	if ((family != AF_INET && family != AF_INET6) || (proto != IPPROTO_TCP && proto != IPPROTO_UDP))
		return NFCT_CB_CONTINUE;
	if (tcp ? nfct_get_attr_u8(ct, ATTR_TCP_STATE) != TCP_CONNTRACK_ESTABLISHED
		: !(nfct_get_attr_u32(ct, ATTR_STATUS) & IPS_ASSURED))
		return NFCT_CB_CONTINUE;
	port = ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST));
	if (v4 && ntohl(nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_SRC)) == p->container.address)
		return NFCT_CB_CONTINUE; /* the container's own, going out */
	if (v4 && ntohl(nfct_get_attr_u32(ct, ATTR_REPL_IPV4_SRC)) == p->container.address &&
	    in_list(tcp ? &p->forward.tcp : &p->forward.udp, port))
		to = "container";
	else if (to_us(c, ct, family) &&
		 same_addr(ct, family, v4 ? ATTR_ORIG_IPV4_DST : ATTR_ORIG_IPV6_DST,
			   v4 ? ATTR_REPL_IPV4_SRC : ATTR_REPL_IPV6_SRC) &&
		 ((tcp && port == p->host_control.port) ||
		  in_list(tcp ? &p->host_ports.tcp : &p->host_ports.udp, port)))
		to = "host";
	if (!to)
		return NFCT_CB_CONTINUE;
	if (c->n < c->max) {
		char from[INET6_ADDRSTRLEN];
		/* The expert comes over the VPN; anyone else is on the LAN. */
		bool vpn = v4 && net4_contains(&p->vpn.subnet, ntohl(nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_SRC)));

		inet_ntop(family, nfct_get_attr(ct, v4 ? ATTR_ORIG_IPV4_SRC : ATTR_ORIG_IPV6_SRC), from, sizeof(from));
		snprintf(c->out[c->n], sizeof(c->out[0]), "%s%s -> %s %s %u", from, vpn ? "" : " (LAN)", to,
			 tcp ? "TCP" : "UDP", port);
	}
	c->n++;
	return NFCT_CB_CONTINUE;
}

int status_conns(const struct profile *p, const struct ifaddrs *local, char conns[][80], int max)
{
	struct conns c = { .p = p, .out = conns, .max = max, .local = local };
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	uint32_t family = AF_UNSPEC;
	int r;

	if (!h)
		return -1;
	nfct_callback_register(h, NFCT_T_ALL, one, &c);
	r = nfct_query(h, NFCT_Q_DUMP, &family);
	nfct_close(h);
	return r < 0 ? -1 : c.n;
}
