/* scouts: a list of mappings { name, address }. A name is what the expert
 * types (ssh NAME, ssh NAME-host), the common name of the scout's
 * certificate and a file name in the key directories, so it is a plain
 * host-name label: lower-case letters, digits and inner hyphens. */
#include "validate_scouts.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

enum scout_key { SK_NAME, SK_ADDRESS, SK_COUNT };
static const char *const scout_keys[SK_COUNT] = { "name", "address" };

/* Names that are someone else's in the VPN: the server's and the expert's
 * certificates, and their key files. */
static const char *const reserved_names[] = { "server", "expert", "ca", "client" };

const char *scout_name_problem(const char *s, size_t len)
{
	if (len == 0)
		return "is empty";
	if (len > SCOUT_NAME_MAX)
		return "is longer than 63 characters";
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return "is not a host-name label (lower-case letters, digits and '-')";
	if (s[0] == '-' || s[len - 1] == '-')
		return "may not begin or end with '-'";
	for (size_t i = 0; i < ARRAY_SIZE(reserved_names); i++)
		if (!strcmp(s, reserved_names[i]))
			return "is the name of another party of the VPN";
	return NULL;
}

static bool take_name(struct validator *v, size_t i, const struct ynode *n, struct scout *s)
{
	const char *why;

	if (n->kind != YNODE_SCALAR || ynode_is_null(n)) {
		node_error(v, n, "scouts[%zu].name: expected a name such as case-2041", i);
		return false;
	}
	why = memchr(n->value, '\0', n->len) ? "holds a NUL byte" : scout_name_problem(n->value, n->len);
	if (why) {
		node_error(v, n, "scouts[%zu].name: '%s' %s", i, n->value, why);
		return false;
	}
	s->name = xstrndup(n->value, n->len);
	return true;
}

static bool take_address(struct validator *v, size_t i, const struct ynode *n, struct scout *s)
{
	const char *what = NULL, *why;

	if (n->kind != YNODE_SCALAR || ynode_is_null(n)) {
		node_error(v, n, "scouts[%zu].address: expected an IPv4 address in vpn.subnet", i);
		return false;
	}
	why = find_unsafe_char(n->value, n->len, &what) >= 0 ? "holds a character no address has"
							       : parse_ipv4(n->value, &s->address);
	if (why)
		node_error(v, n, "scouts[%zu].address: '%s' %s", i, n->value, why);
	return !why;
}

bool scouts_parse_item(struct validator *v, enum field_id f, size_t i, const struct ynode *n, void *dst)
{
	const struct ynode *val[SK_COUNT] = { 0 };
	struct scout *s = dst;
	bool ok;

	(void)f;
	if (n->kind != YNODE_MAP) {
		node_error(v, n, "scouts[%zu]: expected a mapping such as { name: case-2041, address: 10.1.0.10 }", i);
		return false;
	}
	ok = item_keys(v, "scouts", i, n, scout_keys, SK_COUNT, "name and address", val);
	for (size_t k = 0; k < SK_COUNT; k++)
		if (!val[k]) {
			node_error(v, n, "scouts[%zu]: %s is required", i, scout_keys[k]);
			ok = false;
		}
	if (!ok)
		return false;
	ok = take_name(v, i, val[SK_NAME], s);
	return take_address(v, i, val[SK_ADDRESS], s) && ok;
}

/* Where item i's key was written (the item itself when it was not). */
static const struct ynode *key_node(const struct validator *v, size_t i, enum scout_key k)
{
	const struct ynode *item = v->node[FLD_SCOUTS]->items[i];

	for (size_t j = 0; j < ynode_map_len(item); j++)
		if (!strcmp(ynode_map_key(item, j)->value, scout_keys[k]))
			return ynode_map_value(item, j);
	return item;
}

/* Why another party has this address, or NULL. */
static const char *address_taken(const struct profile *p, size_t i, size_t *ret_other)
{
	uint32_t a = p->scouts[i].address;

	if (a == p->vpn.server_address)
		return "vpn.server_address";
	if (a == p->vpn.expert_address)
		return "vpn.expert_address";
	for (size_t j = 0; j < i; j++)
		if (p->scouts[j].address == a) {
			*ret_other = j;
			return "";
		}
	return NULL;
}

static void check_address(struct validator *v, size_t i)
{
	const struct profile *p = v->p;
	const struct net4 *net = &p->vpn.subnet;
	uint32_t a = p->scouts[i].address;
	char s[16], n[16];
	const char *why = NULL, *taken;
	size_t other = 0;

	ipv4_format(a, s);
	ipv4_format(net->addr, n);
	if (!net4_contains(net, a))
		why = "outside";
	else if (a == net->addr)
		why = "the network address of";
	else if (a == net4_broadcast(net))
		why = "the broadcast address of";
	if (why) {
		node_error(v, key_node(v, i, SK_ADDRESS), "scouts[%zu].address: %s is %s vpn.subnet %s/%u", i, s,
			   why, n, net->prefix);
		return;
	}
	taken = v->ok[FLD_VPN_SERVER_ADDRESS] && v->ok[FLD_VPN_EXPERT_ADDRESS] ? address_taken(p, i, &other) : NULL;
	if (taken && *taken)
		node_error(v, key_node(v, i, SK_ADDRESS), "scouts[%zu].address: %s is also %s", i, s, taken);
	else if (taken)
		node_error(v, key_node(v, i, SK_ADDRESS), "scouts[%zu].address: %s is also scouts[%zu]'s", i, s,
			   other);
}

/* Two scouts of one name, or one named as another's host alias
 * (ssh NAME-host). */
static void check_name(struct validator *v, size_t i)
{
	const struct scout *s = v->p->scouts;
	size_t len = strlen(s[i].name);

	for (size_t j = 0; j < v->p->n_scouts; j++) {
		size_t lj = strlen(s[j].name);

		if (j < i && !strcmp(s[i].name, s[j].name)) {
			node_error(v, key_node(v, i, SK_NAME), "scouts[%zu].name: '%s' is also scouts[%zu]", i,
				   s[i].name, j);
			return;
		}
		if (j != i && len == lj + 5 && !strncmp(s[i].name, s[j].name, lj) && !strcmp(s[i].name + lj, "-host")) {
			node_error(v, key_node(v, i, SK_NAME),
				   "scouts[%zu].name: '%s' is how the expert reaches scouts[%zu]'s host (ssh %s)", i,
				   s[i].name, j, s[i].name);
			return;
		}
	}
}

static void default_scout(struct profile *p)
{
	free(p->scouts);
	p->scouts = xcalloc(1, sizeof(*p->scouts));
	p->scouts[0].name = xstrdup(SCOUT_DEFAULT_NAME);
	p->scouts[0].address = p->vpn.scout_address;
	p->n_scouts = 1;
}

void scouts_finish(struct validator *v)
{
	struct profile *p = v->p;

	if (!v->node[FLD_SCOUTS]) {
		default_scout(p);
		return;
	}
	p->fleet = true;
	if (v->node[FLD_VPN_SCOUT_ADDRESS]) {
		node_error(v, v->node[FLD_VPN_SCOUT_ADDRESS],
			   "vpn.scout_address: with scouts: each scout's address is in its entry");
		v->ok[FLD_VPN_SCOUT_ADDRESS] = false;
	}
	/* The default scout_address is not any scout's: nothing checks it. */
	v->ok[FLD_VPN_SCOUT_ADDRESS] = false;
	if (!v->ok[FLD_SCOUTS])
		return;
	if (p->n_scouts == 0) {
		node_error(v, v->node[FLD_SCOUTS], "scouts: the list is empty; leave it out for one scout named %s",
			   SCOUT_DEFAULT_NAME);
		return;
	}
	for (size_t i = 0; i < p->n_scouts; i++) {
		check_name(v, i);
		if (v->ok[FLD_VPN_SUBNET])
			check_address(v, i);
	}
	profile_select_scout(p, 0);
}
