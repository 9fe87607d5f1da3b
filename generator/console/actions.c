/* What the owner changes from the menu. The firewall through host-iptables
 * (the one program that writes its tables), a static address through a
 * runtime .network file and systemd-networkd, a proxy through a runtime
 * drop-in that restarts the VPN client. Files under /run: a reboot brings
 * the profile back. A step that fails puts back what was there. */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "console.h"
#include "util.h"

/* The proxy is OpenVPN's (WireGuard takes none). */
#define VPN_UNIT OPENVPN_UNIT ".service"
#define PROXY_DROPIN_DIR VPN_UNIT ".d"
#define PROXY_DROPIN "50-scout-console-proxy.conf"
#define PROXY_CONF "openvpn-scout.conf"
/* The credentials, copied where the client can read them: the unit's
 * PrivateTmp= and ProtectHome= hide /tmp, /root and /home from it. */
#define PROXY_AUTH "proxy-auth"
#define FILE_MAX (256 * 1024)

/* Runs argv; on failure *ret_error says why. */
static int run_step(char *const argv[], const char *what, char **ret_error)
{
	struct run r;
	int ret = 0;

	run_capture(argv, &r);
	if (r.status != 0) {
		*ret_error = run_reason(what, &r);
		ret = -1;
	}
	run_free(&r);
	return ret;
}

int action_firewall(const struct paths *x, const char *command, char **ret_error)
{
	char *argv[] = { x->host_iptables, (char *)command, NULL };
	char *what = xasprintf("host-iptables %s failed", command);
	int ret = run_step(argv, what, ret_error);

	free(what);
	return ret;
}

/* ---- a file and its previous content, to put back ---- */
struct saved {
	char *path;
	char *data; /* NULL: there was none */
	size_t len;
	unsigned mode;
};

/* Keeps what path holds now; a file that cannot be read is an error, not
 * a file to delete afterwards. */
static int save(struct saved *s, char *path, unsigned mode, char **ret_error)
{
	int r;

	s->path = path;
	s->mode = mode;
	s->data = NULL;
	s->len = 0;
	r = read_file(path, FILE_MAX, &s->data, &s->len);
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		s->data = NULL;
		*ret_error = xasprintf("cannot read %s: %s", path, strerror(-r));
		return -1;
	}
	return 0;
}

static void put_back(const struct saved *s)
{
	if (s->data)
		write_file_atomic(s->path, s->data, s->len, s->mode);
	else
		unlink(s->path);
}

static void saved_free(struct saved *s)
{
	free(s->path);
	free(s->data);
}

static int write_text(const char *path, const char *text, unsigned mode, char **ret_error)
{
	char *dir = xstrdup(path);
	int r;

	*strrchr(dir, '/') = '\0';
	r = mkdir_p(dir, 0755);
	free(dir);
	if (r >= 0)
		r = write_file_atomic(path, text, strlen(text), mode);
	if (r < 0) {
		*ret_error = xasprintf("cannot write %s: %s", path, strerror(-r));
		return -1;
	}
	return 0;
}

/* ---- static IP ---- */
char *static_ip_file(const struct paths *x, const char *ifname)
{
	return xasprintf("%s/10-scout-static-%s.network", x->network_dir, ifname);
}

bool lan_interface(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->lan.n_interfaces; i++)
		if (ifpattern_matches(p->lan.interfaces[i], name))
			return true;
	return false;
}

static char *lan_patterns(const struct profile *p)
{
	struct buf b = { 0 };

	for (size_t i = 0; i < p->lan.n_interfaces; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", p->lan.interfaces[i]);
	buf_puts(&b, "");
	return buf_steal(&b, NULL);
}

char *static_ip_ifname(const struct profile *p, const char *ifname)
{
	const char *why;
	char *l, *msg;

	if ((why = check_ifname(ifname, false)))
		return xasprintf("Interface: '%s' %s", ifname, why);
	if (lan_interface(p, ifname))
		return NULL;
	l = lan_patterns(p);
	msg = xasprintf("Interface: '%s' is not a LAN interface (lan.interfaces: %s)", ifname, l);
	free(l);
	return msg;
}

char *static_ip_parse(const struct profile *p, const char *ifname, const char *address,
		      const char *gateway, const char *dns, struct static_ip *ret)
{
	struct static_ip ip = { 0 };
	struct net4 net;
	const char *why;
	char *copy, *item, *save_ptr = NULL, *msg = NULL;

	if ((msg = static_ip_ifname(p, ifname)))
		return msg;
	if (!if_nametoindex(ifname))
		return xasprintf("Interface: '%s' is not on this scout", ifname);
	snprintf(ip.ifname, sizeof(ip.ifname), "%s", ifname);
	if ((why = parse_ipv4_prefix(address, &ip.address, &ip.prefix)))
		return xasprintf("Address: '%s' %s", address, why);
	net.addr = ip.address & (ip.prefix ? ~0u << (32 - ip.prefix) : 0);
	net.prefix = ip.prefix;
	if (ip.prefix < 31 && (ip.address == net.addr || ip.address == net4_broadcast(&net)))
		return xasprintf("Address: '%s' is the network's own or its broadcast address", address);
	if (net4_overlap(&net, &p->vpn.subnet))
		return xasprintf("Address: '%s' overlaps the VPN's subnet (vpn.subnet)", address);
	if (net4_overlap(&net, &p->container.subnet))
		return xasprintf("Address: '%s' overlaps the container's subnet (container.subnet)", address);
	if (gateway[0]) {
		if ((why = parse_ipv4(gateway, &ip.gateway)))
			return xasprintf("Gateway: '%s' %s", gateway, why);
		if (!net4_contains(&net, ip.gateway) || ip.gateway == ip.address ||
		    (ip.prefix < 31 && (ip.gateway == net.addr || ip.gateway == net4_broadcast(&net))))
			return xasprintf("Gateway: '%s' is not another host address in %s", gateway, address);
	}
	copy = xstrdup(dns);
	for (item = strtok_r(copy, " ,", &save_ptr); item && !msg; item = strtok_r(NULL, " ,", &save_ptr)) {
		if (ip.n_dns == ARRAY_SIZE(ip.dns))
			msg = xasprintf("DNS: at most %zu servers", ARRAY_SIZE(ip.dns));
		else if ((why = parse_ip(item, &ip.dns[ip.n_dns++])))
			msg = xasprintf("DNS: '%s' %s", item, why);
	}
	free(copy);
	if (!msg)
		*ret = ip;
	return msg;
}

/* networkd reads the files again and configures the interface anew. */
static int networkd_apply(const char *ifname, char **ret_error)
{
	char *reload[] = { "networkctl", "reload", NULL };
	char *reconfigure[] = { "networkctl", "reconfigure", (char *)ifname, NULL };

	if (run_step(reload, "networkctl reload failed", ret_error) < 0)
		return -1;
	return run_step(reconfigure, "networkctl reconfigure failed", ret_error);
}

static int network_file_change(const struct paths *x, const char *ifname, const char *text,
			       char **ret_error)
{
	struct saved old;
	char *ignored = NULL;
	int ret = -1;

	if (save(&old, static_ip_file(x, ifname), 0644, ret_error) < 0)
		goto done;
	if (text) {
		if (write_text(old.path, text, 0644, ret_error) < 0)
			goto done;
	} else if (unlink(old.path) < 0 && errno != ENOENT) {
		*ret_error = xasprintf("cannot remove %s: %s", old.path, strerror(errno));
		goto done;
	}
	if (networkd_apply(ifname, ret_error) < 0) {
		put_back(&old);
		networkd_apply(ifname, &ignored);
		free(ignored);
		goto done;
	}
	ret = 0;
done:
	saved_free(&old);
	return ret;
}

int action_static_ip(const struct paths *x, const struct static_ip *ip, char **ret_error)
{
	struct buf b = { 0 };
	char a[INET6_ADDRSTRLEN];
	int ret;

	buf_printf(&b, "# Network > Static IP on the scout's console, for %s. Under /run:\n"
		       "# gone at the next boot, when lan.interfaces' DHCP applies again.\n"
		       "[Match]\nName=%s\n\n[Network]\n", ip->ifname, ip->ifname);
	ipv4_format(ip->address, a);
	buf_printf(&b, "Address=%s/%u\n", a, ip->prefix);
	if (ip->gateway) {
		ipv4_format(ip->gateway, a);
		buf_printf(&b, "Gateway=%s\n", a);
	}
	for (size_t i = 0; i < ip->n_dns; i++) {
		inet_ntop(ip->dns[i].family, &ip->dns[i].u, a, sizeof(a));
		buf_printf(&b, "DNS=%s\n", a);
	}
	buf_puts(&b, "IPv6AcceptRA=yes\nLinkLocalAddressing=ipv6\n");
	ret = network_file_change(x, ip->ifname, b.data, ret_error);
	buf_free(&b);
	return ret;
}

int action_dhcp(const struct paths *x, const char *ifname, char **ret_error)
{
	return network_file_change(x, ifname, NULL, ret_error);
}

/* ---- proxy ---- */
char *proxy_parse(const struct profile *p, const char *type, const char *host, const char *port,
		  const char *auth, struct proxy *ret, char **ret_auth)
{
	struct proxy x = { .type = PROXY_NONE };
	const char *why = NULL;
	struct stat st;

	if (!strcmp(type, "http"))
		x.type = PROXY_HTTP;
	else if (!strcmp(type, "socks"))
		x.type = PROXY_SOCKS;
	else
		return xasprintf("Type: '%s' is not http or socks", type);
	if (x.type == PROXY_HTTP && p->vpn.protocol == PROTO_UDP)
		return xstrdup("Type: an HTTP proxy carries TCP only and this VPN is UDP (vpn.protocol); use socks");
	if (strlen(host) > HOSTNAME_MAX || (why = check_host(host)))
		return xasprintf("Host: '%s' %s", host, why ? why : "is longer than 253 bytes");
	snprintf(x.host, sizeof(x.host), "%s", host);
	if ((why = parse_port(port, &x.port)))
		return xasprintf("Port: '%s' %s", port, !strcmp(why, "is out of range") ? "is not a port (1-65535)" : why);
	if (auth[0]) {
		if ((why = check_abs_path(auth)))
			return xasprintf("Credentials file: '%s' %s", auth, why);
		if (stat(auth, &st) < 0 || !S_ISREG(st.st_mode))
			return xasprintf("Credentials file: '%s' is not a file on this scout", auth);
	}
	*ret = x;
	*ret_auth = auth[0] ? xstrdup(auth) : NULL;
	return NULL;
}

static bool proxy_line(const char *line)
{
	line += strspn(line, " \t");
	return !strncmp(line, "http-proxy", 10) || !strncmp(line, "socks-proxy", 11);
}

/* The profile's scout.conf without its proxy lines, and this proxy. */
/* auth: the credentials' path the client reads, or NULL. */
static char *client_conf(const struct paths *x, const struct proxy *proxy, const char *auth, char **ret_error)
{
	char *path = xasprintf("%s/scout.conf", x->openvpn_dir), *data = NULL;
	struct buf b = { 0 };
	size_t len;
	int r = read_file(path, FILE_MAX, &data, &len);

	if (r < 0) {
		*ret_error = xasprintf("cannot read %s: %s", path, strerror(-r));
		free(path);
		return NULL;
	}
	buf_puts(&b, "# The profile's scout.conf with the proxy set on the scout's console\n"
		     "# (Network > Proxy). Under /run: gone at the next boot.\n");
	for (char *line = data, *next; line < data + len; line = next) {
		next = memchr(line, '\n', (size_t)(data + len - line));
		next = next ? next + 1 : data + len;
		if (!proxy_line(line))
			buf_append(&b, line, (size_t)(next - line));
	}
	if (len && data[len - 1] != '\n')
		buf_puts(&b, "\n");
	buf_puts(&b, "\n# The console's proxy.\n");
	if (proxy->type == PROXY_NONE)
		buf_puts(&b, "# none: a direct connection\n");
	else
		buf_printf(&b, "%s-proxy %s %u%s%s\n", proxy_type_name(proxy->type), proxy->host, proxy->port,
			   auth ? " " : "", auth ? auth : "");
	free(data);
	free(path);
	buf_puts(&b, "");
	return buf_steal(&b, NULL);
}

/* Queued, not waited for: the unit is Type=notify and is ready only once
 * the tunnel is up, which may take minutes; the status shows how it goes. */
static int vpn_restart(char **ret_error)
{
	char *reload[] = { "systemctl", "daemon-reload", NULL };
	char *restart[] = { "systemctl", "restart", "--no-block", VPN_UNIT, NULL };

	if (run_step(reload, "systemctl daemon-reload failed", ret_error) < 0)
		return -1;
	return run_step(restart, "systemctl restart " VPN_UNIT " failed", ret_error);
}

/* The owner's credentials file, copied to path under run_dir. */
static int copy_auth(const char *auth, const char *run_dir, const char *path, char **ret_error)
{
	char *data = NULL;
	size_t len;
	int r, ret = -1;

	if ((r = read_file(auth, FILE_MAX, &data, &len)) < 0) {
		*ret_error = xasprintf("cannot read %s: %s", auth, strerror(-r));
		goto done;
	}
	if ((r = mkdir_p(run_dir, 0755)) < 0 || (r = write_file_atomic(path, data, len, 0600)) < 0) {
		*ret_error = xasprintf("cannot write %s: %s", path, strerror(-r));
		goto done;
	}
	ret = 0;
done:
	free(data);
	return ret;
}

/* The credentials, the client's config and the unit's drop-in that runs
 * it; on failure, what was written is put back. */
static int proxy_write(const struct paths *x, const struct proxy *proxy, const char *auth, const struct saved *conf,
		       const struct saved *dropin, const struct saved *cred, char **ret_error)
{
	char *text = NULL, *unit = NULL;
	int ret = -1;

	if (auth && copy_auth(auth, x->run_dir, cred->path, ret_error) < 0)
		return -1;
	if (!(text = client_conf(x, proxy, auth ? cred->path : NULL, ret_error)) ||
	    write_text(conf->path, text, 0600, ret_error) < 0) {
		put_back(cred);
		goto done;
	}
	unit = xasprintf("# Network > Proxy on the scout's console: the VPN client with the\n"
			 "# config it wrote. Under /run: gone at the next boot.\n"
			 "[Service]\nExecStart=\nExecStart=/usr/sbin/openvpn --suppress-timestamps --nobind --config %s\n",
			 conf->path);
	if (write_text(dropin->path, unit, 0644, ret_error) < 0) {
		put_back(conf);
		put_back(cred);
		goto done;
	}
	ret = 0;
done:
	free(text);
	free(unit);
	return ret;
}

int action_proxy(const struct paths *x, const struct proxy *proxy, const char *auth, bool profile,
		 char **ret_error)
{
	struct saved conf = { 0 }, dropin = { 0 }, cred = { 0 };
	char *ignored = NULL;
	int ret = -1;

	if (save(&conf, xasprintf("%s/%s", x->run_dir, PROXY_CONF), 0600, ret_error) < 0 ||
	    save(&dropin, xasprintf("%s/%s/%s", x->unit_dir, PROXY_DROPIN_DIR, PROXY_DROPIN), 0644, ret_error) < 0 ||
	    save(&cred, xasprintf("%s/%s", x->run_dir, PROXY_AUTH), 0600, ret_error) < 0)
		goto done;
	if (profile) {
		unlink(dropin.path);
		unlink(conf.path);
		unlink(cred.path);
	} else if (proxy_write(x, proxy, auth, &conf, &dropin, &cred, ret_error) < 0) {
		goto done;
	}
	if (vpn_restart(ret_error) < 0) {
		put_back(&dropin);
		put_back(&conf);
		put_back(&cred);
		vpn_restart(&ignored);
		free(ignored);
		goto done;
	}
	ret = 0;
done:
	saved_free(&conf);
	saved_free(&dropin);
	saved_free(&cred);
	return ret;
}

char *proxy_override(const struct paths *x)
{
	char *dropin = xasprintf("%s/%s/%s", x->unit_dir, PROXY_DROPIN_DIR, PROXY_DROPIN);
	char *conf = xasprintf("%s/%s", x->run_dir, PROXY_CONF), *data = NULL, *ret = NULL;
	size_t len;

	if (access(dropin, F_OK) == 0 && read_file(conf, FILE_MAX, &data, &len) == 0) {
		ret = xstrdup("none");
		for (char *line = data; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
			char type[8], host[HOSTNAME_MAX + 1];
			unsigned port;

			if (proxy_line(line) && sscanf(line, " %7[a-z]-proxy %253s %u", type, host, &port) == 3) {
				free(ret);
				ret = xasprintf("%s %s:%u", type, host, port);
			}
		}
	}
	free(data);
	free(dropin);
	free(conf);
	return ret;
}

/* ---- what a toggle opens ---- */
char *describe_ports(const char *proto, const struct port_list *l)
{
	struct buf b = { 0 };

	buf_printf(&b, "%s ", proto);
	port_list_format(&b, l, ", ");
	return buf_steal(&b, NULL);
}

static void add_ports(struct buf *b, const char *proto, const struct port_list *l, const char *of, bool *first)
{
	char *ports;

	if (!l->n)
		return;
	ports = describe_ports(proto, l);
	buf_printf(b, "%s%s %s", *first ? "" : "; ", ports, of);
	*first = false;
	free(ports);
}

char *describe_lan_access(const struct profile *p, bool host_control_on)
{
	struct buf b = { 0 };
	char *lan = lan_patterns(p);
	bool first = true;

	add_ports(&b, "TCP", &p->forward.tcp, "of the container", &first);
	add_ports(&b, "UDP", &p->forward.udp, "of the container", &first);
	add_ports(&b, "TCP", &p->host_ports.tcp, "of the host", &first);
	add_ports(&b, "UDP", &p->host_ports.udp, "of the host", &first);
	if (host_control_on)
		buf_printf(&b, "%sthe host's SSH, TCP %u (Host Control is on)", first ? "" : "; ",
			   p->host_control.port);
	else if (first)
		buf_puts(&b, "no port (the profile forwards none)");
	buf_printf(&b, " from %s", lan);
	free(lan);
	return buf_steal(&b, NULL);
}

char *describe_host_control(const struct profile *p, bool lan_access_on)
{
	char *lan = lan_patterns(p);
	char *s = xasprintf("the host's SSH, TCP %u, from the VPN (%s)%s%s%s", p->host_control.port,
			    p->vpn.interface, lan_access_on ? " and from " : "", lan_access_on ? lan : "",
			    lan_access_on ? " (Access from LAN is on)" : "");

	free(lan);
	return s;
}
