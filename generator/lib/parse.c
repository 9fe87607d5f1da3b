#include "parse.h"

#include <arpa/inet.h>
#include <string.h>

const char *parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *ret)
{
	uint64_t v = 0;
	size_t i;

	if (!s[0])
		return "is empty";
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return "is not a decimal number";
		if (v > UINT32_MAX)
			continue; /* keep scanning for non-digits, the value is out of range anyway */
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (i > 1 && s[0] == '0')
		return "has a leading zero";
	if (v < min || v > max)
		return "is out of range";
	*ret = (uint32_t)v;
	return NULL;
}

const char *parse_port(const char *s, uint16_t *ret)
{
	uint32_t v;
	const char *why = parse_u32(s, 1, 65535, &v);

	if (why)
		return why;
	*ret = (uint16_t)v;
	return NULL;
}

const char *parse_port_range(const char *s, uint16_t *ret_first, uint16_t *ret_last)
{
	const char *dash = strchr(s, '-');
	char first[8];
	uint16_t a, b;
	const char *why;

	if (!dash) {
		why = parse_port(s, &a);
		if (why)
			return why;
		*ret_first = *ret_last = a;
		return NULL;
	}
	if ((size_t)(dash - s) >= sizeof(first))
		return "is not a port or a range of ports";
	memcpy(first, s, (size_t)(dash - s));
	first[dash - s] = '\0';
	if (!first[0] || !dash[1] || strchr(dash + 1, '-'))
		return "is not a port or a range of ports";
	why = parse_port(first, &a);
	if (!why)
		why = parse_port(dash + 1, &b);
	if (why)
		return why;
	if (a > b)
		return "is a reversed range";
	*ret_first = a;
	*ret_last = b;
	return NULL;
}

const char *parse_ipv4(const char *s, uint32_t *ret)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return "is not an IPv4 address";
	*ret = ntohl(a.s_addr);
	return NULL;
}

const char *parse_ip(const char *s, struct ipaddr *ret)
{
	struct ipaddr a = { 0 };

	if (inet_pton(AF_INET, s, &a.u.v4) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a.u.v6) == 1)
		a.family = AF_INET6;
	else
		return "is not an IPv4 or IPv6 address";
	*ret = a;
	return NULL;
}

/* "A.B.C.D/N" split: the address, and the prefix length's text (NULL when
 * there is no '/'). */
static const char *split_prefix(const char *s, uint32_t *ret_addr, const char **ret_prefix)
{
	const char *slash = strchr(s, '/');
	char addr[16];

	*ret_prefix = NULL;
	if (!slash)
		return NULL;
	if ((size_t)(slash - s) >= sizeof(addr))
		return "is not an IPv4 address";
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (parse_ipv4(addr, ret_addr))
		return "is not an IPv4 address";
	*ret_prefix = slash + 1;
	return NULL;
}

const char *parse_cidr4(const char *s, struct net4 *ret)
{
	const char *why, *prefix_text;
	struct net4 n;
	uint32_t prefix;

	if ((why = split_prefix(s, &n.addr, &prefix_text)))
		return why;
	if (!prefix_text)
		return "is not in CIDR notation (ADDRESS/PREFIX)";
	if (parse_u32(prefix_text, 0, 32, &prefix))
		return "has a prefix length that is not 0-32";
	if (prefix > 30)
		return "is too small: the prefix length must be at most 30";
	n.prefix = prefix;
	if (n.addr & ~net4_mask(&n))
		return "has host bits set";
	*ret = n;
	return NULL;
}

const char *parse_ipv4_prefix(const char *s, uint32_t *ret_addr, unsigned *ret_prefix)
{
	const char *why, *prefix_text;
	uint32_t a, prefix;

	if ((why = split_prefix(s, &a, &prefix_text)))
		return why;
	if (!prefix_text)
		return "is not ADDRESS/PREFIX (192.168.1.20/24, say)";
	if (parse_u32(prefix_text, 1, 32, &prefix))
		return "has a prefix length that is not 1-32";
	if (a == 0 || (a >> 24) == 127 || (a >> 28) >= 14)
		return "is not an address an interface can have (0.0.0.0, loopback, multicast or reserved)";
	*ret_addr = a;
	*ret_prefix = prefix;
	return NULL;
}

const char *check_host(const char *s)
{
	struct ipaddr ip;

	return parse_ip(s, &ip) ? check_hostname(s) : NULL;
}

/* The IPv4 blocks that are not unicast routed like any other: no subnet of
 * ours may touch them, no remote server is in them. */
static const struct {
	struct net4 net;
	const char *in, *overlaps;
} special4[] = {
	{ { 0x00000000, 8 }, "is in 0.0.0.0/8 (this host)", "overlaps 0.0.0.0/8 (this host)" },
	{ { 0x7f000000, 8 }, "is in the loopback block 127.0.0.0/8", "overlaps the loopback block 127.0.0.0/8" },
	{ { 0xa9fe0000, 16 }, "is in the link-local block 169.254.0.0/16, which is never routed",
	  "overlaps the link-local block 169.254.0.0/16, which is never routed" },
	{ { 0xe0000000, 4 }, "is in the multicast block 224.0.0.0/4", "overlaps the multicast block 224.0.0.0/4" },
	{ { 0xffffffff, 32 }, "is the broadcast address", "holds the broadcast address 255.255.255.255" },
	{ { 0xf0000000, 4 }, "is in the reserved block 240.0.0.0/4", "overlaps the reserved block 240.0.0.0/4" },
};

const char *check_subnet4(const struct net4 *n)
{
	for (size_t i = 0; i < sizeof(special4) / sizeof(special4[0]); i++)
		if (net4_overlap(n, &special4[i].net))
			return special4[i].overlaps;
	return NULL;
}

bool ipaddr_v4(const struct ipaddr *a, uint32_t *ret)
{
	const struct in6_addr *v6 = &a->u.v6;

	if (a->family == AF_INET) {
		*ret = ntohl(a->u.v4.s_addr);
		return true;
	}
	if (!IN6_IS_ADDR_V4MAPPED(v6) && !IN6_IS_ADDR_V4COMPAT(v6))
		return false;
	*ret = (uint32_t)v6->s6_addr[12] << 24 | (uint32_t)v6->s6_addr[13] << 16 |
	       (uint32_t)v6->s6_addr[14] << 8 | v6->s6_addr[15];
	return true;
}

const char *check_peer_ip(const struct ipaddr *a)
{
	uint32_t v4;

	if (a->family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&a->u.v6))
		return "is the unspecified address";
	if (a->family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&a->u.v6))
		return "is the loopback address";
	if (a->family == AF_INET6 && IN6_IS_ADDR_MULTICAST(&a->u.v6))
		return "is a multicast address";
	if (!ipaddr_v4(a, &v4))
		return NULL;
	for (size_t i = 0; i < sizeof(special4) / sizeof(special4[0]); i++)
		if (net4_contains(&special4[i].net, v4))
			return special4[i].in;
	return NULL;
}

const char *proxy_type_name(enum proxy_type t)
{
	return t == PROXY_HTTP ? "http" : t == PROXY_SOCKS ? "socks" : "none";
}

const char *parse_proxy(const char *s, struct proxy *ret)
{
	static const struct {
		const char *scheme;
		enum proxy_type type;
	} schemes[] = { { "http://", PROXY_HTTP }, { "socks://", PROXY_SOCKS } };
	struct proxy p = { .type = PROXY_NONE };
	const char *host = NULL, *end, *port;
	size_t len;

	if (!strcmp(s, "none")) {
		*ret = p;
		return NULL;
	}
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(s, schemes[i].scheme, strlen(schemes[i].scheme))) {
			p.type = schemes[i].type;
			host = s + strlen(schemes[i].scheme);
		}
	if (!host)
		return "is not a proxy: use none, http://HOST:PORT or socks://HOST:PORT";
	if (host[0] == '[') {
		end = strchr(host, ']');
		if (!end || end[1] != ':')
			return "has an IPv6 address without its closing ']:PORT'";
		host++;
		port = end + 2;
	} else {
		end = strrchr(host, ':');
		if (!end)
			return "has no :PORT";
		port = end + 1;
	}
	len = (size_t)(end - host);
	if (!len || len > HOSTNAME_MAX)
		return "has no host, or a host longer than 253 bytes";
	memcpy(p.host, host, len);
	p.host[len] = '\0';
	if (host[-1] == '[' && (!strchr(p.host, ':') || check_host(p.host)))
		return "has a host in brackets that is not an IPv6 address";
	if (host[-1] != '[' && strchr(p.host, ':'))
		return "has an IPv6 address not in brackets (write http://[2001:db8::1]:3128)";
	if (check_host(p.host))
		return "has a host that is neither a host name nor an IP address";
	if (parse_port(port, &p.port))
		return "has a port that is not 1-65535";
	*ret = p;
	return NULL;
}

#define IFNAME_CHARS "letters, digits, '-', '_' and '.'"

/* Why c cannot be in an interface name (at the end when last), or NULL.
 * Linux takes more than IFNAME_CHARS (all but '/', ':' and whitespace),
 * but networkd's Name= reads * ? [ ] as a glob and a leading '!' as a
 * negation, systemd refuses '%', iptables reads '+' as a wildcard, and
 * quotes, backslash, '#' and ';' mean something in the files they are written
 * to: no other character is worth the risk. */
static const char *ifname_char_reason(unsigned char c, bool allow_wildcard, bool last)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-_.", c))
		return NULL;
	if (c == '/' || c == ':' || c <= ' ' || c >= 0x7f)
		return "contains a character Linux refuses in interface names ('/', ':', whitespace or non-ASCII)";
	if (c == '+' && !allow_wildcard)
		return "contains '+', which is a wildcard and is allowed only in lan.interfaces";
	if (c == '+')
		return last ? NULL : "has '+' before the end; '+' is a wildcard only as the last character";
	if (strchr("*?[]!", c))
		return allow_wildcard ? "contains * ? [ ] or !, which systemd-networkd reads as a glob or a negation; "
					"names are " IFNAME_CHARS ", and a final '+' is the only wildcard"
				      : "contains * ? [ ] or !, which systemd-networkd reads as a glob or a negation; "
					"names are " IFNAME_CHARS;
	return allow_wildcard ? "contains a character other than " IFNAME_CHARS " (and a final '+' wildcard)"
			      : "contains a character other than " IFNAME_CHARS;
}

const char *check_ifname(const char *s, bool allow_wildcard)
{
	size_t len = strlen(s);

	if (!len)
		return "is empty";
	if (len > IFNAME_MAX)
		return "is longer than 15 bytes";
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return "is not a valid interface name";
	if (s[0] == '-')
		return "starts with '-', which programs would read as an option";
	for (size_t i = 0; i < len; i++) {
		const char *why = ifname_char_reason((unsigned char)s[i], allow_wildcard, i == len - 1);

		if (why)
			return why;
	}
	if (allow_wildcard && len == 1 && s[0] == '+')
		return "matches every interface";
	return NULL;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool ifpattern_matches(const char *pattern, const char *name)
{
	size_t len = strlen(pattern);

	if (len && pattern[len - 1] == '+')
		return !strncmp(pattern, name, len - 1);
	return !strcmp(pattern, name);
}

const char *check_hostname(const char *s)
{
	size_t len = strlen(s), label = 0;
	bool numeric_label = true;

	if (!len)
		return "is empty";
	if (len > HOSTNAME_MAX)
		return "is longer than 253 characters";
	for (size_t i = 0; i <= len; i++) {
		char c = s[i];

		if (c == '.' || c == '\0') {
			if (!label)
				return "has an empty label";
			if (s[i - 1] == '-')
				return "has a label that ends with '-'";
			label = 0;
			if (c == '\0')
				break;
			numeric_label = true;
			continue;
		}
		if (!is_alnum(c) && c != '-')
			return "contains a character not allowed in host names (letters, digits, '-' and '.')";
		if (c == '-' && !label)
			return "has a label that starts with '-'";
		if (c < '0' || c > '9')
			numeric_label = false;
		if (++label > 63)
			return "has a label longer than 63 characters";
	}
	/* glibc's resolver takes these for an address, not a name: "10.1.9",
	 * "0x0a010009", "010.1.0.9" (octal) all resolve to addresses. */
	if (inet_aton(s, &(struct in_addr){ 0 }))
		return "is an IPv4 address in a form other than a dotted quad (hexadecimal, octal or fewer than four parts)";
	/* RFC 1123: a top-level label is never all digits. */
	if (numeric_label)
		return "is neither a valid IP address nor a host name";
	return NULL;
}

const char *check_machine_name(const char *s)
{
	if (strlen(s) > MACHINE_NAME_MAX)
		return "is longer than 64 characters";
	for (const char *p = s; *p; p++)
		if (*p == '_')
			return "contains '_', which systemd refuses in machine names";
	return check_hostname(s);
}

const char *check_abs_path(const char *s)
{
	const char *p = s;

	if (s[0] != '/')
		return "is not an absolute path";
	if (!s[1])
		return "is the root directory";
	if (strlen(s) > 255)
		return "is longer than 255 characters";
	while (*p == '/') {
		const char *start = ++p;

		while (*p && *p != '/') {
			if (!is_alnum(*p) && !strchr("._-+@", *p))
				return "contains a character other than letters, digits and ._-+@";
			p++;
		}
		if (p == start)
			return *p ? "has an empty component (//)" : "ends with '/'";
		if ((p - start == 1 && start[0] == '.') ||
		    (p - start == 2 && start[0] == '.' && start[1] == '.'))
			return "has a '.' or '..' component";
	}
	return NULL;
}

/* Debian 12 and Ubuntu are merged-/usr: these are links into /usr, and an
 * archive entry below one, unpacked with tar, replaces the link with a
 * directory holding only that entry. */
static const char *const usr_links[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32" };

const char *merged_usr_link(const char *rel)
{
	size_t len = strcspn(rel, "/");

	for (size_t i = 0; i < sizeof(usr_links) / sizeof(usr_links[0]); i++)
		if (strlen(usr_links[i]) == len && !strncmp(rel, usr_links[i], len))
			return usr_links[i];
	return NULL;
}

const char *check_image_path(const char *s)
{
	const char *why = check_abs_path(s);

	if (!why && merged_usr_link(s + 1))
		why = "is under /bin, /sbin or /lib*, links into /usr on Debian 12 and Ubuntu; use the path under /usr";
	return why;
}

long find_unsafe_char(const char *s, size_t len, const char **ret_what)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *what = NULL;

		if (c == '\n' || c == '\r')
			what = "a line break";
		else if (c < ' ' || c == 0x7f)
			what = "a control character";
		else if (c == '"' || c == '\'')
			what = "a quote";
		else if (c == '\\')
			what = "a backslash";
		else if (c == '#' || c == ';')
			what = "a comment character ('#' or ';')";
		else if (c >= 0x80)
			what = "a non-ASCII character";
		if (what) {
			*ret_what = what;
			return (long)i;
		}
	}
	return -1;
}

uint32_t net4_mask(const struct net4 *n)
{
	return n->prefix ? UINT32_MAX << (32 - n->prefix) : 0;
}

uint32_t net4_broadcast(const struct net4 *n)
{
	return n->addr | ~net4_mask(n);
}

bool net4_contains(const struct net4 *n, uint32_t addr)
{
	return (addr & net4_mask(n)) == n->addr;
}

bool net4_overlap(const struct net4 *a, const struct net4 *b)
{
	return net4_contains(a, b->addr) || net4_contains(b, a->addr);
}

void ipv4_format(uint32_t addr, char out[static 16])
{
	struct in_addr a = { .s_addr = htonl(addr) };

	inet_ntop(AF_INET, &a, out, 16);
}
