/* The emit stage's keys: checked once for the build, every scout's with
 * them; and emit_all, the whole stage with one set of options. */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "emit_parts.h"
#include "util.h"

/* In a fleet the server names a scout's client-config-dir file, and the
 * expert's ssh_config its host, by the scout's name: the certificate must
 * carry it. Two clients of one CN would take each other's place. */
static unsigned check_names(const struct emit_ctx *c)
{
	unsigned errors = 0;

	for (size_t i = 0; i < c->p->n_scouts; i++) {
		const struct pki_scout *k = &c->scouts[i].pki;
		const char *name = c->p->scouts[i].name;
		char *f = pki_scout_path(c->keys, name, false);

		if (!k->present) {
			free(f);
			continue;
		}
		if (c->p->fleet && strcmp(k->cn, name)) {
			diag_error(c->d, f, 0, 0, "its common name is '%s', not the scout's name '%s'", k->cn, name);
			errors++;
		} else if (c->st.expert && !strcmp(k->cn, c->st.expert_cn)) {
			char *e = xasprintf("%s/expert.crt", c->keys);

			diag_error(c->d, e, 0, 0, "has the same common name as %s ('%s'); the server tells them apart by it",
				   f + strlen(c->keys) + 1, k->cn);
			free(e);
			errors++;
		}
		free(f);
	}
	return errors;
}

unsigned emit_begin(struct profile *p, const struct emit_opts *opts, struct diag *d, struct emit_ctx *ret)
{
	struct emit_ctx c = { .p = p, .keys = opts->keys, .ssh_keys = opts->ssh_keys, .templates = opts->templates,
			      .d = d };
	bool wg = p->vpn.type == VPN_WIREGUARD;
	/* A WireGuard profile uses no OpenVPN key, and checks none. */
	unsigned errors = wg ? 0 : pki_check(opts->keys, d, &c.st);

	c.scouts = xcalloc(p->n_scouts, sizeof(*c.scouts));
	for (size_t i = 0; i < p->n_scouts; i++) {
		if (!wg)
			errors += pki_check_scout(opts->keys, p->scouts[i].name, &c.st, d, &c.scouts[i].pki);
		errors += ssh_keys_load(opts->ssh_keys, p->scouts[i].name, d, &c.scouts[i].ssh);
	}
	if (wg)
		errors += emit_wg_begin(&c, opts);
	else
		errors += check_names(&c);
	*ret = c;
	return errors;
}

void emit_end(struct emit_ctx *c)
{
	for (size_t i = 0; c->scouts && i < c->p->n_scouts; i++)
		ssh_keys_free(&c->scouts[i].ssh);
	if (c->scouts)
		OPENSSL_cleanse(c->scouts, c->p->n_scouts * sizeof(*c->scouts));
	free(c->scouts);
	c->scouts = NULL;
	OPENSSL_cleanse(&c->wg_server, sizeof(c->wg_server));
	OPENSSL_cleanse(&c->wg_expert, sizeof(c->wg_expert));
	profile_select_scout(c->p, 0);
}

static void warn_missing(const struct emit_ctx *c)
{
	bool scout = true;

	for (size_t i = 0; i < c->p->n_scouts; i++)
		scout &= c->scouts[i].pki.present;
	if (!c->scouts[0].pki.present && !c->st.server && !c->st.expert) {
		diag_warning(c->d, c->keys, 0, 0, "no keys: the overlay has none and there are no exports; ./build.sh makes them");
		return;
	}
	if (!scout)
		diag_warning(c->d, c->keys, 0, 0, "no client.crt/client.key: the overlay has no keys and the VPN will not start");
	if (!c->st.server)
		diag_warning(c->d, c->keys, 0, 0, "no server.crt/server.key: no export for the server");
	if (!c->st.expert)
		diag_warning(c->d, c->keys, 0, 0, "no expert.crt/expert.key: no export for the expert");
}

void emit_warnings(const struct emit_ctx *c, const struct emit_opts *opts)
{
	if (c->p->vpn.type == VPN_WIREGUARD)
		emit_wg_warnings(c, opts);
	else
		warn_missing(c);
	if (!c->scouts[0].ssh.present)
		diag_warning(c->d, c->ssh_keys, 0, 0,
			     "no SSH keys: nobody can log in to the container or the host; ./build.sh makes them");
}

unsigned emit_all(struct profile *p, const struct emit_opts *opts, struct diag *d, struct outputs *ret)
{
	struct outputs out = { 0 };
	struct emit_ctx c;
	unsigned errors = emit_begin(p, opts, d, &c);

	out.overlays = xcalloc(p->n_scouts, sizeof(*out.overlays));
	for (size_t i = 0; i < p->n_scouts && !errors; i++) {
		errors += emit_overlay(&c, i, opts, &out.overlays[i]);
		out.n_overlays += !errors;
	}
	if (!errors)
		errors += emit_exports(&c, &out);
	if (!errors)
		emit_warnings(&c, opts);
	out.cert_end = xcalloc(p->n_scouts, sizeof(*out.cert_end));
	out.wg_key = xcalloc(p->n_scouts, sizeof(*out.wg_key));
	for (size_t i = 0; i < p->n_scouts; i++) {
		out.cert_end[i] = c.scouts[i].pki.present ? c.scouts[i].pki.not_after : 0;
		out.wg_key[i] = c.scouts[i].wg.present;
	}
	emit_end(&c);
	if (errors) {
		outputs_free(&out);
		return errors;
	}
	*ret = out;
	return 0;
}

void outputs_free(struct outputs *o)
{
	for (size_t i = 0; i < o->n_overlays; i++)
		overlay_free(&o->overlays[i]);
	free(o->overlays);
	overlay_free(&o->server);
	overlay_free(&o->expert);
	free(o->cert_end);
	free(o->wg_key);
	*o = (struct outputs){ 0 };
}
