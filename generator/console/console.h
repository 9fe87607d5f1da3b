/* scout-console: the owner's menu on the scout's local terminals (tty1 and
 * the serial console). It reads the profile the image was built from
 * (/etc/scout/network.yaml) with the generator's own loader, shows what the
 * kernel and systemd say now, and changes things only through the programs
 * made for them: host-iptables, systemd-networkd, systemctl. */
#ifndef SCOUT_CONSOLE_H
#define SCOUT_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"
#include "wg.h"

/* Where things are: everything the image holds is under root (--root, for
 * tests), what the console writes at run time is under /run. */
struct paths {
	char *profile;       /* ROOT/etc/scout/network.yaml */
	char *scout_name;    /* ROOT/etc/scout/name: which scout of a fleet this is */
	char *host_iptables; /* ROOT/usr/sbin/host-iptables */
	char *openvpn_dir;   /* ROOT/etc/openvpn/client: scout.conf and its keys */
	char *network_dir;   /* /run/systemd/network: runtime .network files */
	char *unit_dir;      /* /run/systemd/system: runtime unit drop-ins */
	char *run_dir;       /* /run/scout: the VPN client's config with a proxy */
	char *lease_dir;     /* /run/systemd/netif/leases: networkd's DHCP leases, by ifindex */
};

/* ---- run.c: programs, by argv, never through a shell ---- */
/* CLOCK_MONOTONIC, in milliseconds. */
long long now_ms(void);
struct run {
	int status; /* exit status, 128 + signal, or -1: could not run */
	char *out;  /* its standard output, NUL-terminated */
	char *err;  /* its standard error */
};
/* Runs argv[0] (an absolute path or looked up in PATH) with stdin on
 * /dev/null and both outputs captured (64 KiB each at most), and waits. */
void run_capture(char *const argv[], struct run *r);
void run_free(struct run *r);
/* "WHAT: why": its first line of errors, or its exit status. */
char *run_reason(const char *what, const struct run *r);

/* ---- status.c: what the kernel and systemd say now ---- */
#define STATUS_MAX_LAN 8
#define STATUS_MAX_CONNS 4
#define STATUS_MAX_COLLISIONS 2

struct lan_status {
	char name[16];
	bool up, carrier;
	char addrs[128]; /* "192.168.1.20/24 fe80::1/64" */
	bool static_ip;  /* a runtime .network of the console's applies */
};

struct ifaddrs;

struct status {
	char vpn_unit[24];   /* the tunnel's unit (vpn_unit_name): active, failed, ... */
	struct wg_status wg; /* WireGuard's peers (vpn.type wireguard) */
	int64_t now;         /* the wall clock when read, for the handshake's age */
	bool vpn_link;       /* vpn.interface exists and is up */
	bool vpn_address;    /* and has vpn.scout_address */
	char proxy[300];     /* "none", "http proxy.lan:3128 (set on the console)" */
	struct lan_status lan[STATUS_MAX_LAN];
	size_t n_lan, n_lan_more;
	char ct_unit[24];
	bool ct_link;        /* the host side of the container's veth has a carrier */
	int n_conns;         /* -1: could not be read */
	char conns[STATUS_MAX_CONNS][80];
	int lan_access;      /* 1 ON, 0 OFF, -1 unknown */
	int host_control;
	char firewall[96];   /* "OK", "3 differences from the rule set", why not */
	bool firewall_ok;
	char fw_unit[24];
	/* What the LAN offered that collides with the VPN or the container. */
	char collisions[STATUS_MAX_COLLISIONS][96];
	size_t n_collisions, n_collisions_more;
};
void status_read(const struct profile *p, const struct paths *x, struct status *s);
/* OpenVPN's client unit, without ".service" (the overlay enables it). */
#define OPENVPN_UNIT "openvpn-client@scout"
/* The unit that brings the tunnel up: OPENVPN_UNIT, or for WireGuard
 * systemd-networkd (a .netdev of its own). */
const char *vpn_unit_name(const struct profile *p);
/* Whether the tunnel carries the expert now: its link is up with the
 * scout's address and, for WireGuard, a handshake is fresh. */
bool vpn_up(const struct profile *p, const struct status *s);
/* The LAN's DHCP routes and addresses that collide with the VPN's or the
 * container's subnets, or the VPN server (status_lan.c). */
/* The prefix length of an interface's netmask (getifaddrs), IPv4 or IPv6. */
struct sockaddr;
unsigned status_prefix_len(const struct sockaddr *mask);
void status_collisions(const struct profile *p, const struct paths *x, const struct ifaddrs *ifa,
		       struct status *s);
/* The established connections to the scout's own addresses (local, from
 * getifaddrs), from conntrack (status_conns.c). */
int status_conns(const struct profile *p, const struct ifaddrs *local, char conns[][80], int max);

/* ---- actions.c: what the menu changes ---- */
/* Each returns 0, or -1 with the reason in *ret_error (to be freed); on
 * failure what was there before is there again. */
int action_firewall(const struct paths *x, const char *command, char **ret_error);

struct static_ip {
	char ifname[16];
	uint32_t address; /* host order */
	unsigned prefix;
	uint32_t gateway; /* 0: none */
	struct ipaddr dns[3];
	size_t n_dns;
};
/* NULL, or what is wrong with the interface's name (a LAN interface, not
 * necessarily plugged in). */
char *static_ip_ifname(const struct profile *p, const char *ifname);
/* NULL, or what is wrong with the form's text, naming the field. */
char *static_ip_parse(const struct profile *p, const char *ifname, const char *address,
		      const char *gateway, const char *dns, struct static_ip *ret);
int action_static_ip(const struct paths *x, const struct static_ip *ip, char **ret_error);
/* Back to the profile's DHCP on ifname. */
int action_dhcp(const struct paths *x, const char *ifname, char **ret_error);
/* The runtime .network file of ifname (to be freed). */
char *static_ip_file(const struct paths *x, const char *ifname);

char *proxy_parse(const struct profile *p, const char *type, const char *host, const char *port,
		  const char *auth, struct proxy *ret, char **ret_auth);
/* Restarts the VPN client with this proxy (PROXY_NONE: direct), or, when
 * profile is set, with the profile's own setting. */
int action_proxy(const struct paths *x, const struct proxy *proxy, const char *auth, bool profile,
		 char **ret_error);
/* The proxy the console set, as text, or NULL when the profile's applies. */
char *proxy_override(const struct paths *x);

/* Whether name matches lan.interfaces. */
bool lan_interface(const struct profile *p, const char *name);
/* What a toggle opens, in the owner's words. */
char *describe_lan_access(const struct profile *p, bool host_control_on);
char *describe_host_control(const struct profile *p, bool lan_access_on);
/* "TCP 22, 2000-2009" */
char *describe_ports(const char *proto, const struct port_list *l);

#endif
