#include "profile.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void profile_free(struct profile *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->sha256);
	free(p->vpn.server);
	free(p->vpn.interface);
	free(p->container.name);
	free(p->vpn.proxy_auth);
	free(p->container.root);
	free(p->container.host_interface);
	free(p->container.interface);
	free(p->container.dns);
	for (size_t i = 0; i < p->lan.n_interfaces; i++)
		free(p->lan.interfaces[i]);
	free(p->lan.interfaces);
	for (size_t i = 0; i < p->lan.n_wifi; i++) {
		free(p->lan.wifi[i].ssid);
		free(p->lan.wifi[i].passphrase_file);
	}
	free(p->lan.wifi);
	free(p->lan.wifi_firmware);
	free(p->forward.tcp.ranges);
	free(p->forward.udp.ranges);
	free(p->host_ports.tcp.ranges);
	free(p->host_ports.udp.ranges);
	for (size_t i = 0; i < p->n_scouts; i++)
		free(p->scouts[i].name);
	free(p->scouts);
	free(p);
}

void profile_select_scout(struct profile *p, size_t i)
{
	p->self = i;
	p->vpn.scout_address = p->scouts[i].address;
}

long profile_find_scout(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_scouts; i++)
		if (!strcmp(p->scouts[i].name, name))
			return (long)i;
	return -1;
}

size_t port_list_count(const struct port_list *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += (size_t)l->ranges[i].last - l->ranges[i].first + 1;
	return n;
}

long port_list_find(const struct port_list *l, unsigned port)
{
	for (size_t i = 0; i < l->n; i++)
		if (port >= l->ranges[i].first && port <= l->ranges[i].last)
			return (long)i;
	return -1;
}

void port_list_format(struct buf *out, const struct port_list *l, const char *sep)
{
	for (size_t i = 0; i < l->n; i++) {
		buf_printf(out, "%s%u", i ? sep : "", l->ranges[i].first);
		if (l->ranges[i].last != l->ranges[i].first)
			buf_printf(out, "-%u", l->ranges[i].last);
	}
}
