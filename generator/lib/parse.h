/* Checked parsing of every number, address and name a profile holds.
 * Each parser returns NULL on success and fills ret_*; on failure it returns
 * a short reason ("is out of range") and leaves ret_* untouched. */
#ifndef SCOUT_PARSE_H
#define SCOUT_PARSE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IFNAME_MAX 15     /* IFNAMSIZ - 1 */
#define HOSTNAME_MAX 253
#define MACHINE_NAME_MAX 64

struct net4 {
	uint32_t addr; /* host byte order, host bits zero */
	unsigned prefix;
};

struct ipaddr {
	int family; /* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

const char *parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *ret);
const char *parse_port(const char *s, uint16_t *ret);
/* "N" or "N-M" with N <= M. */
const char *parse_port_range(const char *s, uint16_t *ret_first, uint16_t *ret_last);
/* Dotted quad only; the result in host byte order. */
const char *parse_ipv4(const char *s, uint32_t *ret);
const char *parse_ip(const char *s, struct ipaddr *ret);
/* "A.B.C.D/N" with no host bits set and N <= 30 (room for two hosts). */
const char *parse_cidr4(const char *s, struct net4 *ret);

/* "A.B.C.D/N" with 1 <= N <= 32: an interface's address and its prefix
 * length (host bits are the point here). */
const char *parse_ipv4_prefix(const char *s, uint32_t *ret_addr, unsigned *ret_prefix);

/* OpenVPN's proxies: "none", or "http://HOST:PORT" / "socks://HOST:PORT"
 * with HOST a host name, an IPv4 address or a bracketed IPv6 address. */
enum proxy_type { PROXY_NONE, PROXY_HTTP, PROXY_SOCKS };
struct proxy {
	enum proxy_type type;
	char host[HOSTNAME_MAX + 1];
	uint16_t port;
};
const char *parse_proxy(const char *s, struct proxy *ret);
/* A host name or an IP address (IPv4 or IPv6), as vpn.server. */
const char *check_host(const char *s);
/* Why a literal address cannot be a remote server's (unspecified,
 * loopback, multicast, or an IPv4 block below, also behind an IPv4-mapped
 * or -compatible IPv6 address), or NULL. */
const char *check_peer_ip(const struct ipaddr *a);
/* The IPv4 address a is or carries (::ffff:A.B.C.D, ::A.B.C.D): true and
 * *ret set, or false and *ret untouched. */
bool ipaddr_v4(const struct ipaddr *a, uint32_t *ret);
/* Why a subnet cannot be one of ours (it overlaps 0.0.0.0/8, loopback,
 * link-local, multicast or reserved), or NULL. */
const char *check_subnet4(const struct net4 *n);
/* "http" or "socks". */
const char *proxy_type_name(enum proxy_type t);

const char *check_ifname(const char *s, bool allow_wildcard);
const char *check_hostname(const char *s);
/* Whether an interface name matches a lan.interfaces pattern (a trailing
 * '+' is a wildcard, as for iptables). */
bool ifpattern_matches(const char *pattern, const char *name);
const char *check_machine_name(const char *s);
const char *check_abs_path(const char *s);
/* check_abs_path, and not below a merged-/usr link (/bin, /sbin, /lib*). */
const char *check_image_path(const char *s);
/* The merged-/usr link ("sbin") that rel, a path relative to the root,
 * starts with, or NULL. */
const char *merged_usr_link(const char *rel);

/* Finds the first byte that must never reach a rendered file (control
 * characters, quotes, backslash, '#', ';', non-ASCII). Returns its offset,
 * or -1, and names it in *ret_what. */
long find_unsafe_char(const char *s, size_t len, const char **ret_what);

uint32_t net4_mask(const struct net4 *n);
uint32_t net4_broadcast(const struct net4 *n);
bool net4_contains(const struct net4 *n, uint32_t addr);
bool net4_overlap(const struct net4 *a, const struct net4 *b);
/* Formats a host-order IPv4 address into out (16 bytes). */
void ipv4_format(uint32_t addr, char out[static 16]);

#endif
