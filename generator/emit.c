#include "emit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* systemd-networkd's own unit for ve-* links runs a DHCP server and NAT;
 * an empty file of the same name in /etc masks it. */
#define MASK_VE_NETWORK "etc/systemd/network/80-container-ve.network"
#define CLIENT_UNIT_LINK "etc/systemd/system/multi-user.target.wants/openvpn-client@scout.service"
#define CLIENT_UNIT "/lib/systemd/system/openvpn-client@.service"
#define SERVER_UNIT_LINK "etc/systemd/system/multi-user.target.wants/openvpn-server@scout.service"
#define SERVER_UNIT "/lib/systemd/system/openvpn-server@.service"

static const enum pki_file scout_keys[] = { PKI_CA_CRT, PKI_CLIENT_CRT, PKI_CLIENT_KEY, PKI_TA_KEY };
static const enum pki_file server_keys[] = { PKI_CA_CRT, PKI_SERVER_CRT, PKI_SERVER_KEY, PKI_TA_KEY };
static const enum pki_file expert_keys[] = { PKI_CA_CRT, PKI_EXPERT_CRT, PKI_EXPERT_KEY, PKI_TA_KEY };

static unsigned render_one(const char *dir, const char *name, const char *dest,
			   const struct tvars *vars, struct diag *d, struct overlay *o)
{
	char *file = xasprintf("%s/%s", dir, name), *text = NULL;
	struct buf out = { 0 };
	size_t len = 0, out_len;
	unsigned errors = 0;
	int r;

	r = read_file(file, TEMPLATE_MAX_BYTES, &text, &len);
	if (r == -EFBIG) {
		diag_error(d, file, 0, 0, "the template is larger than %u bytes", TEMPLATE_MAX_BYTES);
		errors = 1;
	} else if (r < 0) {
		diag_error(d, file, 0, 0, "cannot read the template: %s", strerror(-r));
		errors = 1;
	} else {
		errors = template_render(file, text, len, vars, d, &out);
	}
	if (!errors) {
		char *data = buf_steal(&out, &out_len);

		overlay_add_file(o, dest, 0644, data, out_len, file);
	}
	buf_free(&out);
	free(text);
	free(file);
	return errors;
}

static unsigned emit_scout(const struct profile *p, const struct emit_opts *opts, const struct pki_status *st,
			   const struct tvars *vars, struct diag *d, struct overlay *o)
{
	/* Each template and where its output goes. */
	const char *templates[] = {
		"scout.conf", "container.nspawn", "host.network", "container.network",
	};
	char *dests[] = {
		xstrdup("etc/openvpn/client/scout.conf"),
		xasprintf("etc/systemd/nspawn/%s.nspawn", p->container.name),
		xasprintf("etc/systemd/network/70-scout-%s.network", p->container.host_interface),
		xasprintf("%s/etc/systemd/network/70-scout-%s.network", p->container.root + 1,
			  p->container.interface),
	};
	unsigned errors = 0;

	_Static_assert(ARRAY_SIZE(templates) == ARRAY_SIZE(dests), "one destination per template");
	for (size_t i = 0; i < ARRAY_SIZE(templates); i++) {
		errors += render_one(opts->templates, templates[i], dests[i], vars, d, o);
		free(dests[i]);
	}
	overlay_add_file(o, MASK_VE_NETWORK, 0644, xstrdup(""), 0, "scout-netgen");
	overlay_add_symlink(o, CLIENT_UNIT_LINK, CLIENT_UNIT, "scout-netgen");
	if (st->scout)
		errors += keys_copy(opts->keys, scout_keys, ARRAY_SIZE(scout_keys), KEYS_DIR, o, d);
	/* What the build makes goes first: a resource at the same path is
	 * the one reported. */
	errors += extras_add(opts->extras, opts->n_extras, o, d);
	errors += resources_add(opts->resources, o, d);
	return errors;
}

/* The expert's OpenVPN server: its config, its keys, and one
 * client-config-dir file per client, named by the certificate's CN. */
static unsigned emit_server(const struct emit_opts *opts, const struct pki_status *st,
			    const struct tvars *vars, struct diag *d, struct overlay *o)
{
	char *ccd;
	unsigned errors = render_one(opts->templates, "server.conf", "etc/openvpn/server/scout.conf", vars, d, o);

	if (st->scout) {
		ccd = xasprintf("%s/ccd/%s", &SERVER_KEYS_DIR[1], st->scout_cn);
		errors += render_one(opts->templates, "ccd-scout", ccd, vars, d, o);
		free(ccd);
	}
	if (st->expert) {
		ccd = xasprintf("%s/ccd/%s", &SERVER_KEYS_DIR[1], st->expert_cn);
		errors += render_one(opts->templates, "ccd-expert", ccd, vars, d, o);
		free(ccd);
	}
	errors += keys_copy(opts->keys, server_keys, ARRAY_SIZE(server_keys), SERVER_KEYS_DIR, o, d);
	overlay_add_symlink(o, SERVER_UNIT_LINK, SERVER_UNIT, "scout-netgen");
	return errors;
}

static unsigned emit_expert(const struct emit_opts *opts, const struct tvars *vars, struct diag *d,
			    struct overlay *o)
{
	unsigned errors = render_one(opts->templates, "expert.conf", "etc/openvpn/client/expert.conf", vars, d, o);

	return errors + keys_copy(opts->keys, expert_keys, ARRAY_SIZE(expert_keys), EXPERT_KEYS_DIR, o, d);
}

static void warn_missing(const struct emit_opts *opts, const struct pki_status *st, struct diag *d)
{
	if (!st->scout && !st->server && !st->expert) {
		diag_warning(d, opts->keys, 0, 0, "no keys: the overlay has none and there are no exports; ./build.sh makes them");
		return;
	}
	if (!st->scout)
		diag_warning(d, opts->keys, 0, 0, "no client.crt/client.key: the overlay has no keys and the VPN will not start");
	if (!st->server)
		diag_warning(d, opts->keys, 0, 0, "no server.crt/server.key: no export for the server");
	if (!st->expert)
		diag_warning(d, opts->keys, 0, 0, "no expert.crt/expert.key: no export for the expert");
}

unsigned emit_all(const struct profile *p, const struct emit_opts *opts, struct diag *d, struct outputs *ret)
{
	struct outputs out = { 0 };
	struct pki_status st;
	struct tvars vars = { 0 };
	unsigned errors = pki_check(opts->keys, d, &st);

	if (st.scout && st.expert && !strcmp(st.scout_cn, st.expert_cn)) {
		char *f = xasprintf("%s/expert.crt", opts->keys);

		diag_error(d, f, 0, 0, "has the same common name as client.crt ('%s'); the server tells them apart by it",
			   st.expert_cn);
		free(f);
		errors++;
	}
	vars_from_profile(p, &vars);
	errors += emit_scout(p, opts, &st, &vars, d, &out.overlay);
	if (st.server)
		errors += emit_server(opts, &st, &vars, d, &out.server);
	if (st.expert)
		errors += emit_expert(opts, &vars, d, &out.expert);
	tvars_free(&vars);
	if (!errors) {
		errors += overlay_finish(&out.overlay, d);
		errors += overlay_finish(&out.server, d);
		errors += overlay_finish(&out.expert, d);
	}
	if (errors) {
		outputs_free(&out);
		return errors;
	}
	warn_missing(opts, &st, d);
	*ret = out;
	return 0;
}

void outputs_free(struct outputs *o)
{
	overlay_free(&o->overlay);
	overlay_free(&o->server);
	overlay_free(&o->expert);
}
