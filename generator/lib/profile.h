/* Model stage: the plain structs every later stage sees. Built only by
 * profile_load() from a validated tree, so every field here is valid. */
#ifndef SCOUT_PROFILE_H
#define SCOUT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "parse.h"
#include "wifi.h"

struct buf;

enum vpn_protocol { PROTO_UDP, PROTO_TCP };
enum vpn_type { VPN_OPENVPN, VPN_WIREGUARD };

/* The scout of a profile without scouts: (and its certificate's CN). */
#define SCOUT_DEFAULT_NAME "scout"
/* On a fleet's scout: its name and a newline, for the owner's console
 * (without it, the console's scout is the profile's first). */
#define SCOUT_NAME_FILE "/etc/scout/name"
/* Longest scout name: a host-name label. */
#define SCOUT_NAME_MAX 63

/* One scout of the fleet: what the expert types (ssh NAME), its
 * certificate's common name, and its address in the tunnel. */
struct scout {
	char *name;
	uint32_t address;
};

/* Where systemd-nspawn@NAME.service finds machine NAME's root: the
 * container's root is always MACHINES_DIR/container.name. */
#define MACHINES_DIR "/var/lib/machines"

struct port_range {
	uint16_t first, last;
};

struct port_list {
	struct port_range *ranges;
	size_t n;
};

struct profile {
	char *path;
	char *sha256; /* of the profile's bytes */
	struct {
		enum vpn_type type;
		char *server;
		uint16_t port;
		enum vpn_protocol protocol;
		char *interface;
		struct net4 subnet;
		/* scout_address is scouts[self].address (profile_select_scout). */
		uint32_t server_address, scout_address, expert_address;
		struct proxy proxy;
		char *proxy_auth; /* NULL: none */
	} vpn;
	struct {
		char *name;
		char *root; /* MACHINES_DIR/name */
		struct net4 subnet;
		char *host_interface;
		uint32_t host_address;
		char *interface;
		uint32_t address;
		struct ipaddr *dns;
		size_t n_dns;
	} container;
	struct {
		char **interfaces;
		size_t n_interfaces;
		bool access;
		struct wifi_network *wifi;
		size_t n_wifi;
		enum wifi_firmware *wifi_firmware; /* no set twice */
		size_t n_wifi_firmware;
	} lan;
	struct {
		bool enabled;
		uint16_t port;
	} host_control;
	struct {
		struct port_list tcp, udp;
	} forward;
	struct {
		struct port_list tcp, udp; /* the host's own, open on the VPN (and LAN) */
	} host_ports;
	/* Never empty once loaded: without scouts: in the profile, one scout
	 * named SCOUT_DEFAULT_NAME at vpn.scout_address. */
	struct scout *scouts;
	size_t n_scouts;
	bool fleet;  /* the profile has scouts: */
	size_t self; /* the scout being built (or, on a scout, this one) */
};

void profile_free(struct profile *p);

/* Makes scout i the one being built: p->self and p->vpn.scout_address. */
void profile_select_scout(struct profile *p, size_t i);
/* The index of the scout named name, or -1. */
long profile_find_scout(const struct profile *p, const char *name);

/* Number of ports a list covers. */
size_t port_list_count(const struct port_list *l);
/* The first range of l that holds port, or -1. */
long port_list_find(const struct port_list *l, unsigned port);
/* Appends l's ranges to out, each "N" or "N-M", sep between them. */
void port_list_format(struct buf *out, const struct port_list *l, const char *sep);

#endif
