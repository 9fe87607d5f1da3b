#include "validate.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum field_type {
	T_VERSION,
	T_HOST,      /* RFC 1123 host name or IP literal */
	T_PORT,
	T_PROTOCOL,
	T_IFNAME,
	T_CIDR4,
	T_IPV4,
	T_MACHINE,
	T_PATH,
	T_IP_LIST,
	T_IFPATTERN_LIST,
	T_BOOL,
	T_PORT_LIST,
};

struct field {
	const char *section; /* NULL: top level */
	const char *key;
	enum field_type type;
	size_t offset;       /* into struct profile */
	const char *name;    /* section.key, for messages */
};

#define FIELD(id, sec, k, t, member) \
	[id] = { .section = sec, .key = k, .type = t, \
		 .offset = offsetof(struct profile, member), .name = sec "." k }

static const struct field fields[FLD_COUNT] = {
	[FLD_VERSION] = { .key = "version", .type = T_VERSION, .name = "version" },
	FIELD(FLD_VPN_SERVER, "vpn", "server", T_HOST, vpn.server),
	FIELD(FLD_VPN_PORT, "vpn", "port", T_PORT, vpn.port),
	FIELD(FLD_VPN_PROTOCOL, "vpn", "protocol", T_PROTOCOL, vpn.protocol),
	FIELD(FLD_VPN_INTERFACE, "vpn", "interface", T_IFNAME, vpn.interface),
	FIELD(FLD_VPN_SUBNET, "vpn", "subnet", T_CIDR4, vpn.subnet),
	FIELD(FLD_VPN_SERVER_ADDRESS, "vpn", "server_address", T_IPV4, vpn.server_address),
	FIELD(FLD_VPN_SCOUT_ADDRESS, "vpn", "scout_address", T_IPV4, vpn.scout_address),
	FIELD(FLD_VPN_EXPERT_ADDRESS, "vpn", "expert_address", T_IPV4, vpn.expert_address),
	FIELD(FLD_CT_NAME, "container", "name", T_MACHINE, container.name),
	FIELD(FLD_CT_ROOT, "container", "root", T_PATH, container.root),
	FIELD(FLD_CT_SUBNET, "container", "subnet", T_CIDR4, container.subnet),
	FIELD(FLD_CT_HOST_INTERFACE, "container", "host_interface", T_IFNAME, container.host_interface),
	FIELD(FLD_CT_HOST_ADDRESS, "container", "host_address", T_IPV4, container.host_address),
	FIELD(FLD_CT_INTERFACE, "container", "interface", T_IFNAME, container.interface),
	FIELD(FLD_CT_ADDRESS, "container", "address", T_IPV4, container.address),
	FIELD(FLD_CT_DNS, "container", "dns", T_IP_LIST, container.dns),
	FIELD(FLD_LAN_INTERFACES, "lan", "interfaces", T_IFPATTERN_LIST, lan.interfaces),
	FIELD(FLD_LAN_ACCESS, "lan", "access", T_BOOL, lan.access),
	FIELD(FLD_HC_ENABLED, "host_control", "enabled", T_BOOL, host_control.enabled),
	FIELD(FLD_HC_PORT, "host_control", "port", T_PORT, host_control.port),
	FIELD(FLD_FWD_TCP, "forward", "tcp", T_PORT_LIST, forward.tcp),
	FIELD(FLD_FWD_UDP, "forward", "udp", T_PORT_LIST, forward.udp),
};

static const char *const sections[] = { "vpn", "container", "lan", "host_control", "forward" };

/* The defaults, in the profile's own syntax so they go through the same
 * parsers as what users write. vpn.server has none: it is required. */
static const char *const defaults[FLD_COUNT] = {
	[FLD_VERSION] = "1",
	[FLD_VPN_PORT] = "1194",
	[FLD_VPN_PROTOCOL] = "udp",
	[FLD_VPN_INTERFACE] = "tap0",
	[FLD_VPN_SUBNET] = "10.1.0.0/24",
	[FLD_VPN_SERVER_ADDRESS] = "10.1.0.1",
	[FLD_VPN_SCOUT_ADDRESS] = "10.1.0.2",
	[FLD_VPN_EXPERT_ADDRESS] = "10.1.0.3",
	[FLD_CT_NAME] = "container",
	[FLD_CT_ROOT] = "/var/lib/machines/container",
	[FLD_CT_SUBNET] = "10.0.3.0/24",
	[FLD_CT_HOST_INTERFACE] = "ve-container",
	[FLD_CT_HOST_ADDRESS] = "10.0.3.1",
	[FLD_CT_INTERFACE] = "eth0",
	[FLD_CT_ADDRESS] = "10.0.3.2",
	[FLD_CT_DNS] = "1.1.1.1 8.8.8.8",
	[FLD_LAN_INTERFACES] = "eth+ wlan+",
	[FLD_LAN_ACCESS] = "false",
	[FLD_HC_ENABLED] = "false",
	[FLD_HC_PORT] = "23",
	[FLD_FWD_TCP] = "22 2000-2009",
	[FLD_FWD_UDP] = "",
};

const char *field_name(enum field_id f)
{
	return fields[f].name;
}

void node_error(struct validator *v, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	diag_error(v->d, v->file, n ? n->line : 1, n ? n->col : 1, "%s", msg);
	free(msg);
}

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of neighbours ("prot" for "port") each cost one. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), w = lb + 1;
	unsigned *d = xcalloc((la + 1) * w, sizeof(*d)), result;

	for (size_t i = 0; i <= la; i++)
		d[i * w] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = d[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1]);

			if (d[(i - 1) * w + j] + 1 < best)
				best = d[(i - 1) * w + j] + 1;
			if (d[i * w + j - 1] + 1 < best)
				best = d[i * w + j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[(i - 2) * w + j - 2] + 1 < best)
				best = d[(i - 2) * w + j - 2] + 1;
			d[i * w + j] = best;
		}
	}
	result = d[la * w + lb];
	free(d);
	return result;
}

/* Suggests the closest known key in the same section, or the same key in
 * another section ("port" at the top level: "vpn.port"). */
static void unknown_key(struct validator *v, const struct ynode *key, const char *section)
{
	const char *best = NULL;
	unsigned best_d = 0, limit = strlen(key->value) > 5 ? 2 : 1;
	const char *elsewhere = NULL;

	if (key->len > 64) {
		node_error(v, key, "unknown key of %zu bytes", key->len);
		return;
	}

	if (!section) {
		for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
			unsigned dist = edit_distance(key->value, sections[i]);

			if (dist <= limit && (!best || dist < best_d))
				best = sections[i], best_d = dist;
		}
	}
	for (size_t f = 0; f < FLD_COUNT; f++) {
		bool same = (!section && !fields[f].section) ||
			    (section && fields[f].section && !strcmp(section, fields[f].section));
		unsigned dist = edit_distance(key->value, fields[f].key);

		if (same && dist <= limit && (!best || dist < best_d))
			best = fields[f].key, best_d = dist;
		if (!same && !strcmp(key->value, fields[f].key) && !elsewhere)
			elsewhere = fields[f].name;
	}
	if (section && best)
		node_error(v, key, "unknown key '%s.%s'; did you mean '%s.%s'?", section, key->value,
			   section, best);
	else if (best)
		node_error(v, key, "unknown key '%s'; did you mean '%s'?", key->value, best);
	else if (elsewhere)
		node_error(v, key, "unknown key '%s%s%s'; did you mean '%s'?", section ? section : "",
			   section ? "." : "", key->value, elsewhere);
	else
		node_error(v, key, "unknown key '%s%s%s'", section ? section : "", section ? "." : "",
			   key->value);
}

static bool is_known_section(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		if (!strcmp(key, sections[i]))
			return true;
	return false;
}

/* Every key in a mapping must be a plain scalar; reports what is not. */
static bool key_ok(struct validator *v, const struct ynode *key)
{
	const char *what;

	if (key->kind != YNODE_SCALAR) {
		node_error(v, key, "a key must be a plain name, not a list or a mapping");
		return false;
	}
	if (find_unsafe_char(key->value, key->len, &what) >= 0 || memchr(key->value, '\0', key->len)) {
		node_error(v, key, "unknown key with %s", what ? what : "a NUL byte");
		return false;
	}
	return true;
}

/* Records the user's node for every known key of a section; reports the rest. */
static void walk_section(struct validator *v, const struct ynode *sec_key, const struct ynode *map)
{
	const char *section = sec_key->value;

	if (ynode_is_null(map))
		return; /* "lan:" with nothing under it: all defaults */
	if (map->kind != YNODE_MAP) {
		node_error(v, map, "'%s' must be a mapping of keys to values", section);
		v->section_bad = true;
		return;
	}
	for (size_t i = 0; i < ynode_map_len(map); i++) {
		const struct ynode *key = ynode_map_key(map, i);
		size_t f;

		if (!key_ok(v, key))
			continue;
		for (f = 0; f < FLD_COUNT; f++)
			if (fields[f].section && !strcmp(fields[f].section, section) &&
			    !strcmp(fields[f].key, key->value))
				break;
		if (f == FLD_COUNT)
			unknown_key(v, key, section);
		else
			v->node[f] = ynode_map_value(map, i);
	}
}

/* Returns false when the document is not a mapping at all. */
static bool walk_root(struct validator *v)
{
	const struct ynode *root = v->root;

	if (!root || ynode_is_null(root)) {
		diag_error(v->d, v->file, 1, 1, "the profile is empty; it needs at least vpn.server");
		return false;
	}
	if (root->kind != YNODE_MAP) {
		node_error(v, root, "the profile must be a mapping (key: value lines)");
		return false;
	}
	for (size_t i = 0; i < ynode_map_len(root); i++) {
		const struct ynode *key = ynode_map_key(root, i);

		if (!key_ok(v, key))
			continue;
		if (!strcmp(key->value, "version"))
			v->node[FLD_VERSION] = ynode_map_value(root, i);
		else if (is_known_section(key->value))
			walk_section(v, key, ynode_map_value(root, i));
		else
			unknown_key(v, key, NULL);
	}
	return true;
}

/* ---- one value ---- */

static const char *kind_name(const struct ynode *n)
{
	if (n->kind == YNODE_SEQ)
		return "a list";
	if (n->kind == YNODE_MAP)
		return "a mapping";
	if (ynode_is_null(n))
		return "nothing";
	return n->plain ? "a plain value" : "a quoted string";
}

/* Checks a scalar's bytes before any parser sees them. */
static bool scalar_ok(struct validator *v, enum field_id f, const struct ynode *n)
{
	const char *what = NULL;
	long at;

	if (n->kind != YNODE_SCALAR) {
		node_error(v, n, "%s: expected a single value, got %s", fields[f].name, kind_name(n));
		return false;
	}
	at = find_unsafe_char(n->value, n->len, &what);
	if (at >= 0) {
		node_error(v, n, "%s: the value contains %s, which is never allowed in a profile value",
			   fields[f].name, what);
		return false;
	}
	return true;
}

static bool want_plain(struct validator *v, enum field_id f, const struct ynode *n, const char *what)
{
	if (n->plain && !ynode_is_null(n))
		return true;
	node_error(v, n, "%s: expected %s, got %s", fields[f].name, what, kind_name(n));
	return false;
}

static bool want_string(struct validator *v, enum field_id f, const struct ynode *n)
{
	if (!ynode_is_null(n))
		return true;
	node_error(v, n, "%s: a value is required", fields[f].name);
	return false;
}

static bool parse_scalar(struct validator *v, enum field_id f, const struct ynode *n, void *dst)
{
	const char *s = n->value, *why = NULL;
	const char *name = fields[f].name;
	struct ipaddr ip;

	switch (fields[f].type) {
	case T_VERSION: {
		uint32_t ver;

		if (!want_plain(v, f, n, "an integer"))
			return false;
		if ((why = parse_u32(s, 0, UINT32_MAX, &ver)))
			break;
		if (ver != 1) {
			node_error(v, n, "version: %s is not supported; this scout-netgen reads version 1", s);
			return false;
		}
		return true;
	}
	case T_HOST:
		if (!want_string(v, f, n))
			return false;
		if (!parse_ip(s, &ip) || !(why = check_hostname(s))) {
			*(char **)dst = xstrdup(s);
			return true;
		}
		break;
	case T_PORT:
		if (!want_plain(v, f, n, "a port number"))
			return false;
		if ((why = parse_port(s, dst)) && !strcmp(why, "is out of range"))
			why = "is not a port (1-65535)";
		break;
	case T_PROTOCOL:
		if (!strcmp(s, "udp") || !strcmp(s, "tcp")) {
			*(enum vpn_protocol *)dst = s[0] == 'u' ? PROTO_UDP : PROTO_TCP;
			return true;
		}
		why = "is not a protocol; use udp or tcp";
		break;
	case T_IFNAME:
		if (!want_string(v, f, n))
			return false;
		if (!(why = check_ifname(s, false)) && !strcmp(s, "lo"))
			why = "is the loopback interface";
		if (!why)
			*(char **)dst = xstrdup(s);
		break;
	case T_CIDR4:
		if (!want_string(v, f, n))
			return false;
		why = parse_cidr4(s, dst);
		break;
	case T_IPV4:
		if (!want_string(v, f, n))
			return false;
		why = parse_ipv4(s, dst);
		break;
	case T_MACHINE:
		if (!want_string(v, f, n))
			return false;
		if (!(why = check_machine_name(s)))
			*(char **)dst = xstrdup(s);
		break;
	case T_PATH:
		if (!want_string(v, f, n))
			return false;
		if (!(why = check_abs_path(s)))
			*(char **)dst = xstrdup(s);
		break;
	case T_BOOL:
		if (!want_plain(v, f, n, "true or false"))
			return false;
		if (!strcmp(s, "true") || !strcmp(s, "false")) {
			*(bool *)dst = s[0] == 't';
			return true;
		}
		why = "is not a boolean; use true or false";
		break;
	default:
		abort(); /* lists are handled by parse_list */
	}
	if (!why)
		return true;
	node_error(v, n, "%s: '%s' %s", name, s, why);
	return false;
}

/* ---- lists ---- */

static bool parse_item(struct validator *v, enum field_id f, const struct ynode *n, void *list,
		       size_t i)
{
	const char *why = NULL;

	if (!scalar_ok(v, f, n))
		return false;
	switch (fields[f].type) {
	case T_IP_LIST:
		why = parse_ip(n->value, &((struct ipaddr *)list)[i]);
		break;
	case T_IFPATTERN_LIST:
		if (!(why = check_ifname(n->value, true)))
			((char **)list)[i] = xstrdup(n->value);
		break;
	case T_PORT_LIST: {
		struct port_range *r = &((struct port_range *)list)[i];

		why = parse_port_range(n->value, &r->first, &r->last);
		if (why && !strcmp(why, "is out of range"))
			why = "is not a port (1-65535)";
		break;
	}
	default:
		abort();
	}
	if (!why)
		return true;
	node_error(v, n, "%s: '%s' %s", fields[f].name, n->value, why);
	return false;
}

/* Bounds that no real profile reaches; they keep the checks on lists cheap. */
static size_t list_max(enum field_type t)
{
	switch (t) {
	case T_IP_LIST:
		return 16;
	case T_IFPATTERN_LIST:
		return 64;
	default:
		return 65535;
	}
}

static size_t list_elem_size(enum field_type t)
{
	switch (t) {
	case T_IP_LIST:
		return sizeof(struct ipaddr);
	case T_IFPATTERN_LIST:
		return sizeof(char *);
	default:
		return sizeof(struct port_range);
	}
}

/* Lists are stored as {pointer, count} pairs at the field's offset. */
#define LIST_PAIR(p, c) \
	_Static_assert(offsetof(struct profile, c) == offsetof(struct profile, p) + sizeof(void *), \
		       #p " and " #c " must be a {pointer, count} pair")
LIST_PAIR(container.dns, container.n_dns);
LIST_PAIR(lan.interfaces, lan.n_interfaces);
LIST_PAIR(forward.tcp.ranges, forward.tcp.n);
LIST_PAIR(forward.udp.ranges, forward.udp.n);

static bool parse_list(struct validator *v, enum field_id f, const struct ynode *n, void *dst)
{
	bool ok = true;
	void *list;

	if (ynode_is_null(n))
		return true; /* "udp:" with nothing: an empty list */
	if (n->kind != YNODE_SEQ) {
		node_error(v, n, "%s: expected a list such as [a, b], got %s", fields[f].name,
			   kind_name(n));
		return false;
	}
	if (n->n > list_max(fields[f].type)) {
		node_error(v, n, "%s: more than %zu items", fields[f].name, list_max(fields[f].type));
		return false;
	}
	list = xcalloc(n->n, list_elem_size(fields[f].type));
	for (size_t i = 0; i < n->n; i++)
		ok &= parse_item(v, f, n->items[i], list, i);
	memcpy(dst, &list, sizeof(list));
	memcpy((char *)dst + sizeof(list), &n->n, sizeof(n->n));
	return ok;
}

static bool is_list(enum field_type t)
{
	return t == T_IP_LIST || t == T_IFPATTERN_LIST || t == T_PORT_LIST;
}

static bool parse_field(struct validator *v, enum field_id f, const struct ynode *n)
{
	void *dst = (char *)v->p + fields[f].offset;

	if (is_list(fields[f].type))
		return parse_list(v, f, n, dst);
	if (!scalar_ok(v, f, n))
		return false;
	return parse_scalar(v, f, n, dst);
}

/* Builds the default's node: a scalar, or a list of space-separated items. */
static struct ynode *default_node(enum field_id f)
{
	struct ynode *n = xcalloc(1, sizeof(*n));
	const char *s = defaults[f];

	n->line = n->col = 1;
	if (!is_list(fields[f].type)) {
		n->kind = YNODE_SCALAR;
		n->value = xstrdup(s);
		n->len = strlen(s);
		n->plain = true;
		return n;
	}
	n->kind = YNODE_SEQ;
	while (*s) {
		size_t len = strcspn(s, " ");
		struct ynode *item = xcalloc(1, sizeof(*item));

		item->kind = YNODE_SCALAR;
		item->value = xstrndup(s, len);
		item->len = len;
		item->plain = true;
		item->line = item->col = 1;
		n->items = xreallocarray(n->items, n->n + 1, sizeof(*n->items));
		n->items[n->n++] = item;
		s += len + (s[len] == ' ');
	}
	return n;
}

static void required_missing(struct validator *v)
{
	const struct ynode *at = v->root;

	/* Point at the vpn section when there is one. */
	for (size_t i = 0; v->root->kind == YNODE_MAP && i < ynode_map_len(v->root); i++)
		if (ynode_map_key(v->root, i)->kind == YNODE_SCALAR &&
		    !strcmp(ynode_map_key(v->root, i)->value, "vpn"))
			at = ynode_map_key(v->root, i);
	node_error(v, at, "vpn.server is required: the host name or address of the expert's OpenVPN server");
}

unsigned validate_tree(const char *file, const struct ynode *root, struct diag *d,
		       struct profile *p)
{
	struct validator v = { .file = file, .d = d, .root = root, .p = p };
	unsigned before = d->errors;

	if (!walk_root(&v))
		return d->errors - before;
	for (enum field_id f = 0; f < FLD_COUNT; f++) {
		if (v.node[f]) {
			v.ok[f] = parse_field(&v, f, v.node[f]);
		} else if (defaults[f]) {
			struct ynode *n = default_node(f);

			v.ok[f] = parse_field(&v, f, n);
			ynode_free(n);
		} else if (!v.section_bad) {
			required_missing(&v);
		}
	}
	validate_consistency(&v);
	return d->errors - before;
}
