#include "emit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "keys.h"
#include "pki.h"
#include "sshkeys.h"
#include "util.h"
#include "vars.h"
#include "wifi_net.h"

/* systemd-networkd's own unit for ve-* links runs a DHCP server and NAT;
 * an empty file of the same name in /etc masks it. */
#define MASK_VE_NETWORK "etc/systemd/network/80-container-ve.network"
#define CLIENT_UNIT_LINK "etc/systemd/system/multi-user.target.wants/openvpn-client@scout.service"
#define SYSTEMD_UNITS "/lib/systemd/system/"
#define CLIENT_UNIT SYSTEMD_UNITS "openvpn-client@.service"
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

/* Text files the scout's overlay gets from templates. */
struct rendered {
	const char *tmpl;
	char *dest;
};

/* Enabling symlinks, as `systemctl enable` makes them. */
struct link {
	const char *path;   /* in the overlay, relative to the root or to the container's root */
	const char *target;
	bool in_container;
};

static const struct link links[] = {
	{ "etc/systemd/system/sysinit.target.wants/scout-firewall.service", "/etc/systemd/system/scout-firewall.service", false },
	{ CLIENT_UNIT_LINK, CLIENT_UNIT, false },
	{ "etc/systemd/system/multi-user.target.wants/systemd-networkd.service", SYSTEMD_UNITS "systemd-networkd.service", false },
	{ "etc/systemd/system/sockets.target.wants/systemd-networkd.socket", SYSTEMD_UNITS "systemd-networkd.socket", false },
	{ "etc/systemd/system/network-online.target.wants/systemd-networkd-wait-online.service",
	  SYSTEMD_UNITS "systemd-networkd-wait-online.service", false },
	{ "etc/systemd/system/multi-user.target.wants/machines.target", SYSTEMD_UNITS "machines.target", false },
	/* Debian's iwd runs only when asked over D-Bus: the scout joins lan.wifi at boot. */
	{ "etc/systemd/system/multi-user.target.wants/iwd.service", SYSTEMD_UNITS "iwd.service", false },
	{ "etc/systemd/system/multi-user.target.wants/systemd-networkd.service", SYSTEMD_UNITS "systemd-networkd.service", true },
	{ "etc/systemd/system/sockets.target.wants/systemd-networkd.socket", SYSTEMD_UNITS "systemd-networkd.socket", true },
};

static unsigned render_all(const struct emit_opts *opts, struct rendered *r, size_t n, const struct tvars *vars,
			   struct diag *d, struct overlay *o)
{
	unsigned errors = 0;

	for (size_t i = 0; i < n; i++) {
		if (r[i].dest)
			errors += render_one(opts->templates, r[i].tmpl, r[i].dest, vars, d, o);
		free(r[i].dest);
	}
	return errors;
}

/* The expert's key authorized for root, and a host key, in a root. */
static void add_ssh(struct overlay *o, const char *root, const struct ssh_keys *k, enum ssh_key host)
{
	char *path = xasprintf("%s%sroot/.ssh/authorized_keys", root, *root ? "/" : "");

	overlay_add_file(o, path, 0600, xasprintf("%s\n", k->pub[SSH_EXPERT]), strlen(k->pub[SSH_EXPERT]) + 1,
			 ssh_key_names[SSH_EXPERT]);
	free(path);
	path = xasprintf("%s%setc/ssh/ssh_host_ed25519_key", root, *root ? "/" : "");
	overlay_add_file(o, path, 0600, xstrndup(k->priv[host], k->priv_len[host]), k->priv_len[host],
			 ssh_key_names[host]);
	free(path);
	path = xasprintf("%s%setc/ssh/ssh_host_ed25519_key.pub", root, *root ? "/" : "");
	overlay_add_file(o, path, 0644, xasprintf("%s\n", k->pub[host]), strlen(k->pub[host]) + 1, ssh_key_names[host]);
	free(path);
}

/* The boot wiring: the fail-closed drop-ins, the console on the
 * terminals, the masked ve-* network and the enabling links. */
static unsigned wire_units(const struct profile *p, const struct emit_opts *opts, const struct tvars *vars,
			   struct diag *d, struct overlay *o)
{
	const char *root = p->container.root + 1;
	char *nspawn_unit = xasprintf("systemd-nspawn@%s.service", p->container.name);
	/* The units that may start only once the firewall is in. */
	const char *fail_closed[] = {
		"systemd-networkd.service", "openvpn-client@scout.service", nspawn_unit, "ssh.service", "iwd.service",
	};
	unsigned errors = 0;

	for (size_t i = 0; i < ARRAY_SIZE(fail_closed); i++) {
		char *dest = xasprintf("etc/systemd/system/%s.d/scout-firewall.conf", fail_closed[i]);

		errors += render_one(opts->templates, "requires-firewall.conf", dest, vars, d, o);
		free(dest);
	}
	if (opts->console) {
		errors += render_one(opts->templates, "console-getty.conf",
				     "etc/systemd/system/getty@tty1.service.d/scout-console.conf", vars, d, o);
		errors += render_one(opts->templates, "console-getty.conf",
				     "etc/systemd/system/serial-getty@ttyS0.service.d/scout-console.conf", vars, d, o);
	}
	overlay_add_file(o, MASK_VE_NETWORK, 0644, xstrdup(""), 0, "scout-netgen");
	for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
		char *path = links[i].in_container ? xasprintf("%s/%s", root, links[i].path) : xstrdup(links[i].path);

		overlay_add_symlink(o, path, links[i].target, "scout-netgen");
		free(path);
	}
	{
		char *path = xasprintf("etc/systemd/system/machines.target.wants/%s", nspawn_unit);

		overlay_add_symlink(o, path, SYSTEMD_UNITS "systemd-nspawn@.service", "scout-netgen");
		free(path);
	}
	free(nspawn_unit);
	return errors;
}

static unsigned emit_scout(const struct profile *p, const struct emit_opts *opts, const struct pki_status *st,
			   const struct ssh_keys *ssh, const struct tvars *vars, struct diag *d, struct overlay *o)
{
	const char *root = p->container.root + 1;
	struct rendered r[] = {
		{ "scout.conf", xstrdup("etc/openvpn/client/scout.conf") },
		{ "container.nspawn", xasprintf("etc/systemd/nspawn/%s.nspawn", p->container.name) },
		{ "host.network", xasprintf("etc/systemd/network/70-scout-%s.network", p->container.host_interface) },
		/* No LAN interfaces: no file, for a [Match] without Name= would match all. */
		{ "lan.network", p->lan.n_interfaces ? xstrdup("etc/systemd/network/80-scout-lan.network") : NULL },
		{ "wait-online.conf", xstrdup("etc/systemd/system/systemd-networkd-wait-online.service.d/scout-any.conf") },
		{ "scout-firewall.service", xstrdup("etc/systemd/system/scout-firewall.service") },
		{ "sysctl.conf", xstrdup("etc/sysctl.d/50-scout-network.conf") },
		{ "host-sshd.conf", xstrdup("etc/ssh/sshd_config.d/scout.conf") },
		{ "console-sysctl.conf", xstrdup("etc/sysctl.d/50-scout-console.conf") },
		{ "console-journald.conf", xstrdup("etc/systemd/journald.conf.d/50-scout-console.conf") },
		{ "iwd-main.conf", xstrdup("etc/iwd/main.conf") },
		{ "iwd-run.conf", xstrdup("etc/systemd/system/iwd.service.d/scout-run.conf") },
		{ "container.network", xasprintf("%s/etc/systemd/network/70-scout-%s.network", root, p->container.interface) },
		{ "container-resolv.conf", xasprintf("%s/etc/resolv.conf", root) },
		{ "container-sshd.conf", xasprintf("%s/etc/ssh/sshd_config.d/scout.conf", root) },
	};
	unsigned errors = 0;

	overlay_shift_ids(o, root, CONTAINER_UID_BASE);
	errors += render_all(opts, r, ARRAY_SIZE(r), vars, d, o);
	errors += wire_units(p, opts, vars, d, o);
	errors += wifi_net_add(p, d, o);
	if (st->scout)
		errors += keys_copy(opts->keys, scout_keys, ARRAY_SIZE(scout_keys), KEYS_DIR, o, d);
	if (ssh->present) {
		add_ssh(o, "", ssh, SSH_HOST);
		add_ssh(o, root, ssh, SSH_CONTAINER);
	}
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

/* The expert's VPN client, and with the SSH keys, the expert's key, an
 * OpenSSH client config and the scout's host keys pinned. */
static unsigned emit_expert(const struct emit_opts *opts, const struct ssh_keys *ssh, const struct tvars *vars,
			    struct diag *d, struct overlay *o)
{
	unsigned errors = render_one(opts->templates, "expert.conf", "etc/openvpn/client/expert.conf", vars, d, o);

	errors += keys_copy(opts->keys, expert_keys, ARRAY_SIZE(expert_keys), EXPERT_KEYS_DIR, o, d);
	if (!ssh->present)
		return errors;
	errors += render_one(opts->templates, "ssh_config", EXPERT_SSH_DIR "/ssh_config", vars, d, o);
	overlay_add_file(o, EXPERT_SSH_DIR "/id_ed25519", 0600, xstrndup(ssh->priv[SSH_EXPERT], ssh->priv_len[SSH_EXPERT]),
			 ssh->priv_len[SSH_EXPERT], ssh_key_names[SSH_EXPERT]);
	{
		char *known = xasprintf("scout %s\nscout-host %s\n", ssh->pub[SSH_CONTAINER], ssh->pub[SSH_HOST]);

		overlay_add_file(o, EXPERT_SSH_DIR "/known_hosts", 0644, known, strlen(known), "scout-netgen");
	}
	return errors;
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

static void warn_no_ssh(const struct emit_opts *opts, const struct ssh_keys *ssh, struct diag *d)
{
	if (!ssh->present)
		diag_warning(d, opts->ssh_keys, 0, 0,
			     "no SSH keys: nobody can log in to the container or the host; ./build.sh makes them");
}

unsigned emit_all(const struct profile *p, const struct emit_opts *opts, struct diag *d, struct outputs *ret)
{
	struct outputs out = { 0 };
	struct pki_status st;
	struct ssh_keys ssh;
	struct tvars vars = { 0 };
	unsigned errors = pki_check(opts->keys, d, &st) + ssh_keys_load(opts->ssh_keys, d, &ssh);

	if (st.scout && st.expert && !strcmp(st.scout_cn, st.expert_cn)) {
		char *f = xasprintf("%s/expert.crt", opts->keys);

		diag_error(d, f, 0, 0, "has the same common name as client.crt ('%s'); the server tells them apart by it",
			   st.expert_cn);
		free(f);
		errors++;
	}
	vars_from_profile(p, &vars);
	errors += emit_scout(p, opts, &st, &ssh, &vars, d, &out.overlay);
	if (st.server)
		errors += emit_server(opts, &st, &vars, d, &out.server);
	if (st.expert)
		errors += emit_expert(opts, &ssh, &vars, d, &out.expert);
	tvars_free(&vars);
	if (!errors) {
		errors += overlay_finish(&out.overlay, d);
		errors += errors ? 0 : guard_resources(&out.overlay, opts->resources, d);
		errors += overlay_finish(&out.server, d);
		errors += overlay_finish(&out.expert, d);
	}
	if (errors) {
		ssh_keys_free(&ssh);
		outputs_free(&out);
		return errors;
	}
	warn_missing(opts, &st, d);
	warn_no_ssh(opts, &ssh, d);
	ssh_keys_free(&ssh);
	*ret = out;
	return 0;
}

void outputs_free(struct outputs *o)
{
	overlay_free(&o->overlay);
	overlay_free(&o->server);
	overlay_free(&o->expert);
}
