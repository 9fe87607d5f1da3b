#include "validate.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "consistent.h"
#include "util.h"
#include "validate_scouts.h"
#include "validate_wifi.h"
#include "validator.h"
#include "walk.h"

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
		node_error(v, n, "%s: expected a single value, got %s", schema_fields[f].name, kind_name(n));
		return false;
	}
	at = find_unsafe_char(n->value, n->len, &what);
	if (at >= 0) {
		node_error(v, n, "%s: the value contains %s, which is never allowed in a profile value",
			   schema_fields[f].name, what);
		return false;
	}
	return true;
}

/* ---- the parsers, one per type: NULL or the reason, *dst set on success ---- */

typedef const char *parse_fn(const char *s, void *dst);
typedef bool item_fn(struct validator *v, enum field_id f, size_t i, const struct ynode *n, void *dst);

static const char *port_reason(const char *why)
{
	return why && !strcmp(why, "is out of range") ? "is not a port (1-65535)" : why;
}

static const char *dup_to(const char *s, void *dst)
{
	*(char **)dst = xstrdup(s);
	return NULL;
}

static const char *parse_version(const char *s, void *dst)
{
	uint32_t ver;
	const char *why = parse_u32(s, 0, UINT32_MAX, &ver);

	(void)dst; /* the model has no version: there is only one */
	return why ? why : ver != 1 ? "is not supported; this scout-netgen reads version 1" : NULL;
}

/* vpn.server: a host name, or an address a remote server can have. */
static const char *parse_host(const char *s, void *dst)
{
	struct ipaddr ip;
	const char *why = parse_ip(s, &ip) ? check_hostname(s) : check_peer_ip(&ip);

	return why ? why : dup_to(s, dst);
}

static const char *parse_port_value(const char *s, void *dst)
{
	return port_reason(parse_port(s, dst));
}

static const char *parse_protocol(const char *s, void *dst)
{
	if (strcmp(s, "udp") && strcmp(s, "tcp"))
		return "is not a protocol; use udp or tcp";
	*(enum vpn_protocol *)dst = s[0] == 'u' ? PROTO_UDP : PROTO_TCP;
	return NULL;
}

static const char *parse_vpn_type(const char *s, void *dst)
{
	if (strcmp(s, "openvpn") && strcmp(s, "wireguard"))
		return "is not a VPN type; use openvpn or wireguard";
	*(enum vpn_type *)dst = s[0] == 'o' ? VPN_OPENVPN : VPN_WIREGUARD;
	return NULL;
}

static const char *parse_ifname(const char *s, void *dst)
{
	const char *why = check_ifname(s, false);

	if (!why && !strcmp(s, "lo"))
		why = "is the loopback interface";
	return why ? why : dup_to(s, dst);
}

static const char *parse_cidr4_value(const char *s, void *dst)
{
	struct net4 n;
	const char *why = parse_cidr4(s, &n);

	if (!why)
		why = check_subnet4(&n);
	if (!why)
		*(struct net4 *)dst = n;
	return why;
}

static const char *parse_ipv4_value(const char *s, void *dst)
{
	return parse_ipv4(s, dst);
}

static const char *parse_machine(const char *s, void *dst)
{
	const char *why = check_machine_name(s);

	return why ? why : dup_to(s, dst);
}

static const char *parse_path(const char *s, void *dst)
{
	const char *why = check_image_path(s);

	return why ? why : dup_to(s, dst);
}

static const char *parse_proxy_value(const char *s, void *dst)
{
	return parse_proxy(s, dst);
}

static const char *parse_opt_path(const char *s, void *dst)
{
	const char *why;

	if (!strcmp(s, "none")) {
		*(char **)dst = NULL;
		return NULL;
	}
	why = check_image_path(s);
	return why ? why : dup_to(s, dst);
}

static const char *parse_bool(const char *s, void *dst)
{
	if (strcmp(s, "true") && strcmp(s, "false"))
		return "is not a boolean; use true or false";
	*(bool *)dst = s[0] == 't';
	return NULL;
}

static const char *parse_ip_item(const char *s, void *dst)
{
	return parse_ip(s, dst);
}

static const char *parse_ifpattern(const char *s, void *dst)
{
	const char *why = check_ifname(s, true);

	return why ? why : dup_to(s, dst);
}

static const char *parse_firmware_item(const char *s, void *dst)
{
	int fw = wifi_firmware_find(s);

	if (fw < 0)
		return "is not a firmware set; use iwlwifi, realtek, atheros or mediatek";
	*(enum wifi_firmware *)dst = (enum wifi_firmware)fw;
	return NULL;
}

static const char *parse_port_item(const char *s, void *dst)
{
	struct port_range *r = dst;

	return port_reason(parse_port_range(s, &r->first, &r->last));
}

/* What a value of each type must look like before its parser sees it. */
enum want {
	WANT_ANY,   /* any scalar */
	WANT_VALUE, /* not empty */
	WANT_PLAIN, /* unquoted and not empty: numbers and booleans */
};

static const struct {
	enum want want;
	const char *expected; /* WANT_PLAIN: what the message asks for */
	parse_fn *parse;      /* a scalar, or one item of a list */
	item_fn *parse_item;  /* lists of mappings: one item, instead of parse */
	size_t list_max;      /* lists: a bound no real profile reaches; keeps the checks cheap */
	size_t item_size;
} types[] = {
	[T_VERSION] = { WANT_PLAIN, "an integer", parse_version, NULL, 0, 0 },
	[T_HOST] = { WANT_VALUE, NULL, parse_host, NULL, 0, 0 },
	[T_PORT] = { WANT_PLAIN, "a port number", parse_port_value, NULL, 0, 0 },
	[T_PROTOCOL] = { WANT_ANY, NULL, parse_protocol, NULL, 0, 0 },
	[T_IFNAME] = { WANT_VALUE, NULL, parse_ifname, NULL, 0, 0 },
	[T_CIDR4] = { WANT_VALUE, NULL, parse_cidr4_value, NULL, 0, 0 },
	[T_IPV4] = { WANT_VALUE, NULL, parse_ipv4_value, NULL, 0, 0 },
	[T_MACHINE] = { WANT_VALUE, NULL, parse_machine, NULL, 0, 0 },
	[T_PATH] = { WANT_VALUE, NULL, parse_path, NULL, 0, 0 },
	[T_PROXY] = { WANT_VALUE, NULL, parse_proxy_value, NULL, 0, 0 },
	[T_OPT_PATH] = { WANT_VALUE, NULL, parse_opt_path, NULL, 0, 0 },
	[T_BOOL] = { WANT_PLAIN, "true or false", parse_bool, NULL, 0, 0 },
	[T_IP_LIST] = { WANT_ANY, NULL, parse_ip_item, NULL, 16, sizeof(struct ipaddr) },
	[T_IFPATTERN_LIST] = { WANT_ANY, NULL, parse_ifpattern, NULL, 64, sizeof(char *) },
	[T_PORT_LIST] = { WANT_ANY, NULL, parse_port_item, NULL, 65535, sizeof(struct port_range) },
	[T_WIFI_LIST] = { WANT_ANY, NULL, NULL, wifi_parse_item, 64, sizeof(struct wifi_network) },
	[T_FIRMWARE_LIST] = { WANT_ANY, NULL, parse_firmware_item, NULL, FW_COUNT * 2, sizeof(enum wifi_firmware) },
	[T_VPN_TYPE] = { WANT_ANY, NULL, parse_vpn_type, NULL, 0, 0 },
	/* A /24 has 253 addresses for scouts. */
	[T_SCOUT_LIST] = { WANT_ANY, NULL, NULL, scouts_parse_item, 1024, sizeof(struct scout) },
};

static bool is_list(enum field_type t)
{
	return types[t].list_max != 0;
}

/* One scalar, or one item of a list, into dst. */
static bool parse_value(struct validator *v, enum field_id f, const struct ynode *n, void *dst)
{
	enum field_type t = schema_fields[f].type;
	const char *why;

	if (!scalar_ok(v, f, n))
		return false;
	if (types[t].want == WANT_PLAIN && (!n->plain || ynode_is_null(n))) {
		node_error(v, n, "%s: expected %s, got %s", schema_fields[f].name, types[t].expected,
			   kind_name(n));
		return false;
	}
	if (types[t].want == WANT_VALUE && ynode_is_null(n)) {
		node_error(v, n, "%s: a value is required", schema_fields[f].name);
		return false;
	}
	why = types[t].parse(n->value, dst);
	if (why)
		node_error(v, n, "%s: '%s' %s", schema_fields[f].name, n->value, why);
	return !why;
}

/* ---- lists ---- */

/* Lists are stored as {pointer, count} pairs at the field's offset. */
#define LIST_PAIR(p, c) \
	_Static_assert(offsetof(struct profile, c) == offsetof(struct profile, p) + sizeof(void *), \
		       #p " and " #c " must be a {pointer, count} pair")
LIST_PAIR(container.dns, container.n_dns);
LIST_PAIR(lan.interfaces, lan.n_interfaces);
LIST_PAIR(forward.tcp.ranges, forward.tcp.n);
LIST_PAIR(forward.udp.ranges, forward.udp.n);
LIST_PAIR(host_ports.tcp.ranges, host_ports.tcp.n);
LIST_PAIR(host_ports.udp.ranges, host_ports.udp.n);
LIST_PAIR(lan.wifi, lan.n_wifi);
LIST_PAIR(lan.wifi_firmware, lan.n_wifi_firmware);
LIST_PAIR(scouts, n_scouts);

static bool parse_list(struct validator *v, enum field_id f, const struct ynode *n, void *dst)
{
	enum field_type t = schema_fields[f].type;
	bool ok = true;
	void *list;

	if (ynode_is_null(n))
		return true; /* "udp:" with nothing: an empty list */
	if (n->kind != YNODE_SEQ) {
		node_error(v, n, "%s: expected a list such as [a, b], got %s", schema_fields[f].name,
			   kind_name(n));
		return false;
	}
	if (n->n > types[t].list_max) {
		node_error(v, n, "%s: more than %zu items", schema_fields[f].name, types[t].list_max);
		return false;
	}
	list = xcalloc(n->n, types[t].item_size);
	for (size_t i = 0; i < n->n; i++) {
		void *item = (char *)list + i * types[t].item_size;

		ok &= types[t].parse_item ? types[t].parse_item(v, f, i, n->items[i], item)
					  : parse_value(v, f, n->items[i], item);
	}
	memcpy(dst, &list, sizeof(list));
	memcpy((char *)dst + sizeof(list), &n->n, sizeof(n->n));
	return ok;
}

static bool parse_field(struct validator *v, enum field_id f, const struct ynode *n)
{
	void *dst = (char *)v->p + schema_fields[f].offset;

	if (is_list(schema_fields[f].type))
		return parse_list(v, f, n, dst);
	return parse_value(v, f, n, dst);
}

/* Builds the default's node: a scalar, or a list of space-separated items. */
static struct ynode *default_node(enum field_id f)
{
	struct ynode *n = xcalloc(1, sizeof(*n));
	const char *s = schema_defaults[f];

	n->line = n->col = 1;
	if (!is_list(schema_fields[f].type)) {
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
		n->items = xgrow(n->items, n->n, sizeof(*n->items));
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

/* Defaults that follow vpn.type: WireGuard's interface is wg0, its port
 * 51820 (the one its documentation and firewalls expect). */
static void type_defaults(struct validator *v)
{
	struct profile *p = v->p;

	if (!v->ok[FLD_VPN_TYPE] || p->vpn.type != VPN_WIREGUARD)
		return;
	if (!v->node[FLD_VPN_PORT])
		p->vpn.port = 51820;
	if (v->node[FLD_VPN_INTERFACE])
		return;
	free(p->vpn.interface);
	p->vpn.interface = xstrdup("wg0");
}

unsigned validate_tree(const char *file, const struct ynode *root, struct diag *d,
		       struct profile *p)
{
	struct validator v = { .file = file, .d = d, .root = root, .p = p };
	unsigned before = d->errors;

	if (!walk_tree(&v))
		return d->errors - before;
	for (enum field_id f = 0; f < FLD_COUNT; f++) {
		if (v.node[f]) {
			v.ok[f] = parse_field(&v, f, v.node[f]);
		} else if (schema_defaults[f]) {
			struct ynode *n = default_node(f);

			v.ok[f] = parse_field(&v, f, n);
			ynode_free(n);
		} else if (!v.section_bad) {
			required_missing(&v);
		}
	}
	type_defaults(&v);
	scouts_finish(&v);
	validate_consistency(&v);
	return d->errors - before;
}
