/* The exports: the expert's OpenVPN server, serving every scout of the
 * profile, and the expert's machine, reaching every scout. */
#include <stdlib.h>
#include <string.h>

#include "emit_parts.h"
#include "keys.h"
#include "util.h"
#include "vars.h"

#define SERVER_UNIT_LINK "etc/systemd/system/multi-user.target.wants/openvpn-server@scout.service"
#define SERVER_UNIT "/lib/systemd/system/openvpn-server@.service"
#define SERVER_ISOLATE SERVER_KEYS_DIR "/isolate"

static const enum pki_file server_keys[] = { PKI_CA_CRT, PKI_SERVER_CRT, PKI_SERVER_KEY, PKI_TA_KEY };
static const enum pki_file expert_keys[] = { PKI_CA_CRT, PKI_EXPERT_CRT, PKI_EXPERT_KEY, PKI_TA_KEY };

/* Renders template name once per scout (selected in turn) into one text;
 * sep between the scouts'. Returns the number of errors. */
static unsigned render_per_scout(const struct emit_ctx *c, const char *name, const char *sep, struct buf *out)
{
	char *file = xasprintf("%s/%s", c->templates, name), *text = NULL;
	unsigned errors = 0;
	size_t len = 0;

	if (read_file(file, TEMPLATE_MAX_BYTES, &text, &len) < 0) {
		diag_error(c->d, file, 0, 0, "cannot read the template");
		free(file);
		return 1;
	}
	for (size_t i = 0; i < c->p->n_scouts && !errors; i++) {
		struct tvars vars = { 0 };

		profile_select_scout(c->p, i);
		vars_from_profile(c->p, &vars);
		if (i)
			buf_puts(out, sep);
		errors += template_render(file, text, len, &vars, c->d, out);
		tvars_free(&vars);
	}
	profile_select_scout(c->p, 0);
	free(text);
	free(file);
	return errors;
}

/* The expert's OpenVPN server: its config, its keys, and one
 * client-config-dir file per client, named by the certificate's CN. */
static unsigned emit_server(const struct emit_ctx *c, const struct tvars *vars, struct overlay *o)
{
	unsigned errors = emit_render(c->templates, "server.conf", "etc/openvpn/server/scout.conf", vars, c->d, o);
	char *ccd;

	/* A fleet's isolation: the server's kernel keeps the scouts apart. */
	if (c->p->fleet)
		errors += emit_render_mode(c->templates, "server-isolate", &SERVER_ISOLATE[1], 0755, vars, c->d, o);

	for (size_t i = 0; i < c->p->n_scouts; i++) {
		struct tvars sv = { 0 };

		if (!c->scouts[i].pki.present)
			continue;
		profile_select_scout(c->p, i);
		vars_from_profile(c->p, &sv);
		ccd = xasprintf("%s/ccd/%s", &SERVER_KEYS_DIR[1], c->scouts[i].pki.cn);
		errors += emit_render(c->templates, "ccd-scout", ccd, &sv, c->d, o);
		free(ccd);
		tvars_free(&sv);
	}
	profile_select_scout(c->p, 0);
	if (c->st.expert) {
		ccd = xasprintf("%s/ccd/%s", &SERVER_KEYS_DIR[1], c->st.expert_cn);
		errors += emit_render(c->templates, "ccd-expert", ccd, vars, c->d, o);
		free(ccd);
	}
	errors += keys_copy(c->keys, server_keys, ARRAY_SIZE(server_keys), SERVER_KEYS_DIR, o, c->d);
	if (c->st.crl) {
		char *crl = pki_crl_path(c->keys);

		errors += keys_copy_file(crl, SERVER_KEYS_DIR, PKI_CRL_FILE, o, c->d);
		free(crl);
	}
	overlay_add_symlink(o, SERVER_UNIT_LINK, SERVER_UNIT, "scout-netgen");
	return errors;
}

/* Whether every scout has its SSH keys: the expert's files pin them all. */
static bool all_ssh(const struct emit_ctx *c)
{
	for (size_t i = 0; i < c->p->n_scouts; i++)
		if (!c->scouts[i].ssh.present)
			return false;
	return true;
}

/* The expert's OpenSSH client config (Host NAME and NAME-host for each
 * scout), the expert's key and every scout's host keys pinned. */
static unsigned emit_ssh(const struct emit_ctx *c, struct overlay *o)
{
	const struct ssh_keys *first = &c->scouts[0].ssh;
	struct buf cfg = { 0 }, known = { 0 };
	unsigned errors = render_per_scout(c, "ssh_config", "\n", &cfg);
	size_t len;

	for (size_t i = 0; i < c->p->n_scouts; i++) {
		const struct ssh_keys *k = &c->scouts[i].ssh;
		const char *name = c->p->scouts[i].name;

		buf_printf(&known, "%s %s\n%s-host %s\n", name, k->pub[SSH_CONTAINER], name, k->pub[SSH_HOST]);
	}
	if (!errors) {
		char *data = buf_steal(&cfg, &len);

		overlay_add_file(o, EXPERT_SSH_DIR "/ssh_config", 0644, data, len, "templates/ssh_config");
		overlay_add_file(o, EXPERT_SSH_DIR "/id_ed25519", 0600,
				 xstrndup(first->priv[SSH_EXPERT], first->priv_len[SSH_EXPERT]),
				 first->priv_len[SSH_EXPERT], ssh_key_names[SSH_EXPERT]);
		data = buf_steal(&known, &len);
		overlay_add_file(o, EXPERT_SSH_DIR "/known_hosts", 0644, data, len, "scout-netgen");
	}
	buf_free(&cfg);
	buf_free(&known);
	return errors;
}

/* The expert's VPN client, and with the SSH keys, the expert's key, an
 * OpenSSH client config and the scouts' host keys pinned. */
static unsigned emit_expert(const struct emit_ctx *c, const struct tvars *vars, struct overlay *o)
{
	unsigned errors = emit_render(c->templates, "expert.conf", "etc/openvpn/client/expert.conf", vars, c->d, o);

	errors += keys_copy(c->keys, expert_keys, ARRAY_SIZE(expert_keys), EXPERT_KEYS_DIR, o, c->d);
	if (all_ssh(c))
		errors += emit_ssh(c, o);
	return errors;
}

unsigned emit_exports(struct emit_ctx *c, struct outputs *out)
{
	struct tvars vars = { 0 };
	unsigned errors = 0;

	profile_select_scout(c->p, 0);
	vars_from_profile(c->p, &vars);
	tvars_set(&vars, "expert.cn", c->st.expert ? c->st.expert_cn : "");
	tvars_set_list(&vars, "vpn.crl", (char *const[]){ "vpn.crl" }, c->st.crl);
	if (c->p->vpn.type == VPN_WIREGUARD) {
		errors += emit_wg_exports(c, &vars, out);
		/* The expert's SSH, as over OpenVPN, with the tunnel's config. */
		if (!errors && out->expert.n && all_ssh(c))
			errors += emit_ssh(c, &out->expert);
	} else {
		if (c->st.server)
			errors += emit_server(c, &vars, &out->server);
		if (c->st.expert)
			errors += emit_expert(c, &vars, &out->expert);
	}
	tvars_free(&vars);
	if (!errors)
		errors += overlay_finish(&out->server, c->d) + overlay_finish(&out->expert, c->d);
	return errors;
}
