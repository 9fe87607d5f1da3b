/* The emit stage's WireGuard (vpn.type: wireguard): the scout's
 * systemd-networkd netdev and network with its keys, the server's and the
 * expert's wg-quick configs, the server's isolate script. */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "emit_parts.h"
#include "util.h"
#include "vars.h"

#define WG_SCOUT_DIR "etc/scout/wireguard"
#define WG_NETDEV "etc/systemd/network/50-scout-wg.netdev"
#define WG_NETWORK "etc/systemd/network/50-scout-wg.network"

unsigned emit_wg_begin(struct emit_ctx *c, const struct emit_opts *opts)
{
	const char *dir = opts->wg_keys;
	unsigned errors = wg_key_load(dir, "server", false, c->d, &c->wg_server);

	errors += wg_key_load(dir, "expert", true, c->d, &c->wg_expert);
	for (size_t i = 0; i < c->p->n_scouts; i++)
		errors += wg_key_load(dir, c->p->scouts[i].name, true, c->d, &c->scouts[i].wg);
	if (errors)
		return errors;

	size_t n = c->p->n_scouts + 2;
	const char **names = xcalloc(n, sizeof(*names));
	const struct wg_key **keys = xcalloc(n, sizeof(*keys));

	names[0] = "server", keys[0] = &c->wg_server;
	names[1] = "expert", keys[1] = &c->wg_expert;
	for (size_t i = 0; i < c->p->n_scouts; i++)
		names[i + 2] = c->p->scouts[i].name, keys[i + 2] = &c->scouts[i].wg;
	errors = wg_keys_distinct(dir, names, keys, n, c->d);
	free(names);
	free(keys);
	return errors;
}

/* A secret file of the overlay: a key as wg genkey writes it. */
static void add_key(struct overlay *o, const char *path, unsigned mode, const char *b64)
{
	overlay_add_file(o, path, mode, xasprintf("%s\n", b64), strlen(b64) + 1, "scout-netgen");
}

unsigned emit_wg_scout(const struct emit_ctx *c, const struct emit_opts *opts, size_t i, const struct tvars *vars,
		       struct overlay *o)
{
	const struct wg_key *k = &c->scouts[i].wg;
	struct tvars v = { 0 };
	unsigned errors = 0;

	(void)vars;
	/* Without the server's key there is no peer to write: no tunnel. */
	if (!k->present || !c->wg_server.present)
		return 0;
	vars_from_profile(c->p, &v);
	tvars_set(&v, "wg.server_public", c->wg_server.pub);
	errors += emit_render(opts->templates, "wg.netdev", WG_NETDEV, &v, c->d, o);
	errors += emit_render(opts->templates, "wg.network", WG_NETWORK, &v, c->d, o);
	errors += emit_render(opts->templates, "wg-tmpfiles.conf", "etc/tmpfiles.d/scout-wireguard.conf", &v, c->d, o);
	errors += emit_render(opts->templates, "wg-networkd.conf",
			      "etc/systemd/system/systemd-networkd.service.d/scout-wireguard.conf", &v, c->d, o);
	tvars_free(&v);
	/* 0600 as packed; tmpfiles.d gives them to systemd-network at boot. */
	add_key(o, WG_SCOUT_DIR "/private.key", 0600, k->priv);
	add_key(o, WG_SCOUT_DIR "/server.psk", 0600, k->psk);
	return errors;
}

/* The server's config: its template, then wg-server-peer.conf for each
 * scout with keys, in turn; added to o (0600). */
static unsigned server_conf(const struct emit_ctx *c, struct tvars *vars, const char *dest, struct overlay *o)
{
	char *file = xasprintf("%s/wg-server-peer.conf", c->templates), *text = NULL;
	struct overlay head = { 0 };
	struct buf out = { 0 };
	unsigned errors = emit_render(c->templates, "wg-server.conf", "head", vars, c->d, &head);
	size_t len = 0;

	if (!errors)
		buf_append(&out, overlay_find(&head, "head")->data, overlay_find(&head, "head")->len);
	overlay_free(&head);
	if (read_file(file, TEMPLATE_MAX_BYTES, &text, &len) < 0) {
		diag_error(c->d, file, 0, 0, "cannot read the template");
		errors++;
	}
	for (size_t i = 0; i < c->p->n_scouts && !errors; i++) {
		struct tvars sv = { 0 };

		if (!c->scouts[i].wg.present)
			continue;
		profile_select_scout(c->p, i);
		vars_from_profile(c->p, &sv);
		tvars_set(&sv, "wg.scout_public", c->scouts[i].wg.pub);
		tvars_set(&sv, "wg.scout_psk", c->scouts[i].wg.psk);
		errors += template_render(file, text, len, &sv, c->d, &out);
		tvars_free(&sv);
	}
	profile_select_scout(c->p, 0);
	if (!errors) {
		char *data = buf_steal(&out, &len);

		overlay_add_file(o, dest, 0600, data, len, "templates/wg-server.conf");
	}
	if (out.data)
		OPENSSL_cleanse(out.data, out.len);
	buf_free(&out);
	free(text);
	free(file);
	return errors;
}

unsigned emit_wg_exports(const struct emit_ctx *c, const struct tvars *vars, struct outputs *out)
{
	const char *iface = c->p->vpn.interface;
	char *conf = xasprintf("etc/wireguard/%s.conf", iface), *script = xasprintf("etc/wireguard/%s-isolate", iface);
	struct tvars v = { 0 };
	unsigned errors = 0;

	(void)vars;
	vars_from_profile(c->p, &v);
	tvars_set(&v, "expert.cn", "expert");
	tvars_set(&v, "wg.server_public", c->wg_server.pub);
	tvars_set(&v, "wg.expert_public", c->wg_expert.pub);
	tvars_set(&v, "wg.expert_psk", c->wg_expert.psk);
	if (c->wg_server.present && c->wg_expert.present) {
		tvars_set(&v, "wg.server_private", c->wg_server.priv);
		errors += server_conf(c, &v, conf, &out->server);
		errors += emit_render_mode(c->templates, "server-isolate", script, 0755, &v, c->d, &out->server);
		tvars_set(&v, "wg.expert_private", c->wg_expert.priv);
		errors += emit_render_mode(c->templates, "wg-expert.conf", conf, 0600, &v, c->d, &out->expert);
	}
	tvars_free(&v);
	free(conf);
	free(script);
	return errors;
}

void emit_wg_warnings(const struct emit_ctx *c, const struct emit_opts *opts)
{
	bool scouts = true;

	for (size_t i = 0; i < c->p->n_scouts; i++)
		scouts &= c->scouts[i].wg.present;
	if (!c->wg_server.present)
		diag_warning(c->d, opts->wg_keys, 0, 0,
			     "no server.key/server.pub: no tunnel in the overlay and no exports; ./build.sh makes them");
	else if (!scouts)
		diag_warning(c->d, opts->wg_keys, 0, 0, "a scout without its NAME.key/.pub/.psk: its overlay has no tunnel");
	else if (!c->wg_expert.present)
		diag_warning(c->d, opts->wg_keys, 0, 0, "no expert.key/.pub/.psk: no exports for the server and the expert");
}
