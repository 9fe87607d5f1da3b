/* lan.wifi: a list of mappings, { ssid, passphrase_file } or { ssid,
 * open: true }. Only the names are checked here: the passphrase files are
 * read by scout-netgen's build (and never by the console, which reads the
 * profile on the scout, where they are not). */
#include "validate_wifi.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "wifi.h"

enum wifi_key { WK_SSID, WK_PASSPHRASE_FILE, WK_OPEN, WK_COUNT };
static const char *const wifi_keys[WK_COUNT] = { "ssid", "passphrase_file", "open" };

static bool take_ssid(struct validator *v, size_t i, const struct ynode *n, struct wifi_network *w)
{
	const char *why;

	if (n->kind != YNODE_SCALAR) {
		node_error(v, n, "lan.wifi[%zu].ssid: expected the network's name, got a list or a mapping", i);
		return false;
	}
	/* diag escapes the whole message: the SSID goes in as it is. */
	why = ynode_is_null(n) ? "is empty" : wifi_check_ssid(n->value, n->len);
	if (why) {
		node_error(v, n, "lan.wifi[%zu].ssid: '%s' %s", i, n->value, why);
		return false;
	}
	w->ssid = xstrndup(n->value, n->len);
	w->ssid_len = n->len;
	return true;
}

static bool take_path(struct validator *v, size_t i, const struct ynode *n, struct wifi_network *w)
{
	const char *what = NULL, *why;

	if (n->kind != YNODE_SCALAR || ynode_is_null(n)) {
		node_error(v, n, "lan.wifi[%zu].passphrase_file: expected a file name such as wifi/NAME.psk", i);
		return false;
	}
	why = find_unsafe_char(n->value, n->len, &what) >= 0 || memchr(n->value, '\0', n->len)
		      ? "holds a character a file name here may not have"
		      : wifi_check_passphrase_path(n->value);
	if (why) {
		node_error(v, n, "lan.wifi[%zu].passphrase_file: '%s' %s", i, n->value, why);
		return false;
	}
	w->passphrase_file = xstrdup(n->value);
	w->line = n->line;
	w->col = n->col;
	return true;
}

/* open: true or false, plainly written; *ret_open set. */
static bool take_open(struct validator *v, size_t i, const struct ynode *n, bool *ret_open)
{
	if (n->kind != YNODE_SCALAR || !n->plain || (strcmp(n->value, "true") && strcmp(n->value, "false"))) {
		node_error(v, n, "lan.wifi[%zu].open: expected true or false", i);
		return false;
	}
	*ret_open = n->value[0] == 't';
	return true;
}

bool wifi_parse_item(struct validator *v, enum field_id f, size_t i, const struct ynode *n, void *dst)
{
	const struct ynode *val[WK_COUNT] = { 0 };
	struct wifi_network *w = dst;
	bool ok, open = false;

	(void)f;
	if (n->kind != YNODE_MAP) {
		node_error(v, n, "lan.wifi[%zu]: expected a mapping such as { ssid: NAME, passphrase_file: FILE }", i);
		return false;
	}
	ok = item_keys(v, "lan.wifi", i, n, wifi_keys, WK_COUNT, "ssid, passphrase_file or open", val);
	if (!val[WK_SSID]) {
		node_error(v, n, "lan.wifi[%zu]: ssid is required", i);
		ok = false;
	} else {
		ok &= take_ssid(v, i, val[WK_SSID], w);
	}
	if (!ok)
		return false; /* an unknown key may be a misspelt passphrase_file */
	if (val[WK_OPEN] && !take_open(v, i, val[WK_OPEN], &open))
		return false;
	if (open && val[WK_PASSPHRASE_FILE]) {
		node_error(v, val[WK_OPEN], "lan.wifi[%zu]: open: true and passphrase_file exclude each other", i);
		return false;
	}
	if (!open && !val[WK_PASSPHRASE_FILE]) {
		node_error(v, val[WK_OPEN] ? val[WK_OPEN] : n,
			   "lan.wifi[%zu]: needs passphrase_file, or open: true for a network without one", i);
		return false;
	}
	return open || take_path(v, i, val[WK_PASSPHRASE_FILE], w);
}

/* Where item i's ssid was written: the item's own node, already checked. */
static const struct ynode *ssid_node(const struct validator *v, size_t i)
{
	const struct ynode *item = v->node[FLD_LAN_WIFI]->items[i];

	for (size_t k = 0; k < ynode_map_len(item); k++)
		if (!strcmp(ynode_map_key(item, k)->value, "ssid"))
			return ynode_map_value(item, k);
	return item;
}

/* Two entries for one SSID: which passphrase would iwd try? */
static void check_ssids(struct validator *v)
{
	const struct profile *p = v->p;

	for (size_t i = 0; i < p->lan.n_wifi; i++) {
		const struct wifi_network *w = &p->lan.wifi[i];

		for (size_t j = 0; j < i; j++) {
			if (w->ssid_len != p->lan.wifi[j].ssid_len || memcmp(w->ssid, p->lan.wifi[j].ssid, w->ssid_len))
				continue;
			node_error(v, ssid_node(v, i), "lan.wifi[%zu].ssid: '%s' is also lan.wifi[%zu]", i, w->ssid, j);
			break;
		}
	}
}

void wifi_check_lists(struct validator *v)
{
	const struct profile *p = v->p;

	if (v->ok[FLD_LAN_WIFI])
		check_ssids(v);
	if (!v->ok[FLD_LAN_WIFI_FIRMWARE])
		return;
	for (size_t i = 0; i < p->lan.n_wifi_firmware; i++)
		for (size_t j = 0; j < i; j++)
			if (p->lan.wifi_firmware[i] == p->lan.wifi_firmware[j])
				node_error(v, v->node[FLD_LAN_WIFI_FIRMWARE]->items[i],
					   "lan.wifi_firmware: '%s' is listed twice",
					   wifi_firmware_names[p->lan.wifi_firmware[i]]);
}
