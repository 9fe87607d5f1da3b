#include "validate.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void node_error(struct validator *v, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(v->d, v->file, n ? n->line : 1, n ? n->col : 1, fmt, ap);
	va_end(ap);
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

static bool want_plain(struct validator *v, enum field_id f, const struct ynode *n, const char *what)
{
	if (n->plain && !ynode_is_null(n))
		return true;
	node_error(v, n, "%s: expected %s, got %s", schema_fields[f].name, what, kind_name(n));
	return false;
}

static bool want_string(struct validator *v, enum field_id f, const struct ynode *n)
{
	if (!ynode_is_null(n))
		return true;
	node_error(v, n, "%s: a value is required", schema_fields[f].name);
	return false;
}

static bool parse_scalar(struct validator *v, enum field_id f, const struct ynode *n, void *dst)
{
	const char *s = n->value, *why = NULL;
	const char *name = schema_fields[f].name;
	struct ipaddr ip;

	switch (schema_fields[f].type) {
	case T_VERSION: {
		uint32_t ver;

		if (!want_plain(v, f, n, "an integer"))
			return false;
		why = parse_u32(s, 0, UINT32_MAX, &ver);
		if (!why && ver != 1) {
			node_error(v, n, "version: %s is not supported; this scout-netgen reads version 1", s);
			return false;
		}
		break;
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
	switch (schema_fields[f].type) {
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
	node_error(v, n, "%s: '%s' %s", schema_fields[f].name, n->value, why);
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
LIST_PAIR(host_ports.tcp.ranges, host_ports.tcp.n);
LIST_PAIR(host_ports.udp.ranges, host_ports.udp.n);

static bool parse_list(struct validator *v, enum field_id f, const struct ynode *n, void *dst)
{
	bool ok = true;
	void *list;

	if (ynode_is_null(n))
		return true; /* "udp:" with nothing: an empty list */
	if (n->kind != YNODE_SEQ) {
		node_error(v, n, "%s: expected a list such as [a, b], got %s", schema_fields[f].name,
			   kind_name(n));
		return false;
	}
	if (n->n > list_max(schema_fields[f].type)) {
		node_error(v, n, "%s: more than %zu items", schema_fields[f].name, list_max(schema_fields[f].type));
		return false;
	}
	list = xcalloc(n->n, list_elem_size(schema_fields[f].type));
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
	void *dst = (char *)v->p + schema_fields[f].offset;

	if (is_list(schema_fields[f].type))
		return parse_list(v, f, n, dst);
	if (!scalar_ok(v, f, n))
		return false;
	return parse_scalar(v, f, n, dst);
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
	validate_consistency(&v);
	return d->errors - before;
}
