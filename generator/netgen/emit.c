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
#include "emit_parts.h"

/* systemd-networkd's own unit for ve-* links runs a DHCP server and NAT;
 * an empty file of the same name in /etc masks it. */
#define MASK_VE_NETWORK "etc/systemd/network/80-container-ve.network"
#define CLIENT_UNIT_LINK "etc/systemd/system/multi-user.target.wants/openvpn-client@scout.service"
#define SYSTEMD_UNITS "/lib/systemd/system/"
#define CLIENT_UNIT SYSTEMD_UNITS "openvpn-client@.service"

static const enum pki_file scout_keys[] = { PKI_CA_CRT, PKI_TA_KEY };

unsigned emit_render(const char *dir, const char *name, const char *dest,
			   const struct tvars *vars, struct diag *d, struct overlay *o)
{
	return emit_render_mode(dir, name, dest, 0644, vars, d, o);
}

unsigned emit_render_mode(const char *dir, const char *name, const char *dest, unsigned mode,
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

		overlay_add_file(o, dest, mode, data, out_len, file);
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
			errors += emit_render(opts->templates, r[i].tmpl, r[i].dest, vars, d, o);
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
	/* The units that may start only once the firewall is in. networkd's
	 * netlink socket too: listening, every link event (a driver loaded
	 * after the initramfs) would start networkd, and with it the failed
	 * firewall, again and again. */
	const char *fail_closed[] = {
		"systemd-networkd.service", "systemd-networkd.socket", "openvpn-client@scout.service", nspawn_unit,
		"ssh.service", "iwd.service",
	};
	unsigned errors = 0;

	bool wg = p->vpn.type == VPN_WIREGUARD;

	for (size_t i = 0; i < ARRAY_SIZE(fail_closed); i++) {
		char *dest;

		/* WireGuard's tunnel is systemd-networkd's, in the list. */
		if (wg && !strcmp(fail_closed[i], "openvpn-client@scout.service"))
			continue;
		dest = xasprintf("etc/systemd/system/%s.d/scout-firewall.conf", fail_closed[i]);

		errors += emit_render(opts->templates, "requires-firewall.conf", dest, vars, d, o);
		free(dest);
	}
	if (opts->console) {
		errors += emit_render(opts->templates, "console-getty.conf",
				     "etc/systemd/system/getty@tty1.service.d/scout-console.conf", vars, d, o);
		errors += emit_render(opts->templates, "console-getty.conf",
				     "etc/systemd/system/serial-getty@ttyS0.service.d/scout-console.conf", vars, d, o);
	}
	overlay_add_file(o, MASK_VE_NETWORK, 0644, xstrdup(""), 0, "scout-netgen");
	for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
		char *path;

		if (wg && !strcmp(links[i].path, CLIENT_UNIT_LINK))
			continue;
		path = links[i].in_container ? xasprintf("%s/%s", root, links[i].path) : xstrdup(links[i].path);

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

/* The scout's certificate and key, under the names its config uses. */
static unsigned copy_scout_keys(const struct emit_ctx *c, const char *name, struct overlay *o)
{
	unsigned errors = keys_copy(c->keys, scout_keys, ARRAY_SIZE(scout_keys), KEYS_DIR, o, c->d);

	for (int key = 0; key < 2; key++) {
		char *file = pki_scout_path(c->keys, name, key);

		errors += keys_copy_file(file, KEYS_DIR, pki_names[key ? PKI_CLIENT_KEY : PKI_CLIENT_CRT], o, c->d);
		free(file);
	}
	return errors;
}

static unsigned emit_scout(const struct emit_ctx *c, const struct emit_opts *opts, const struct emit_scout_keys *k,
			   const struct tvars *vars, struct overlay *o)
{
	const struct profile *p = c->p;
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
	const char *name = p->scouts[p->self].name;
	bool wg = p->vpn.type == VPN_WIREGUARD;
	unsigned errors = 0;

	/* A WireGuard scout has systemd-networkd's tunnel, no OpenVPN. */
	if (wg) {
		free(r[0].dest);
		r[0].dest = NULL;
		errors += emit_wg_scout(c, opts, p->self, vars, o);
	}
	overlay_shift_ids(o, root, CONTAINER_UID_BASE);
	errors += render_all(opts, r, ARRAY_SIZE(r), vars, c->d, o);
	errors += wire_units(p, opts, vars, c->d, o);
	errors += wifi_net_add(p, c->d, o);
	/* Which scout of the fleet this is, for the owner's console. */
	if (p->fleet)
		overlay_add_file(o, SCOUT_NAME_FILE + 1, 0644, xasprintf("%s\n", name), strlen(name) + 1, "scout-netgen");
	if (k->pki.present && !wg)
		errors += copy_scout_keys(c, name, o);
	if (k->ssh.present) {
		add_ssh(o, "", &k->ssh, SSH_HOST);
		add_ssh(o, root, &k->ssh, SSH_CONTAINER);
	}
	/* What the build makes goes first: a resource at the same path is
	 * the one reported. */
	errors += extras_add(opts->extras, opts->n_extras, o, c->d);
	errors += resources_add(opts->resources, o, c->d);
	return errors;
}

unsigned emit_overlay(struct emit_ctx *c, size_t i, const struct emit_opts *opts, struct overlay *ret)
{
	struct overlay o = { 0 };
	struct tvars vars = { 0 };
	unsigned errors;

	profile_select_scout(c->p, i);
	vars_from_profile(c->p, &vars);
	errors = emit_scout(c, opts, &c->scouts[i], &vars, &o);
	tvars_free(&vars);
	if (!errors)
		errors = overlay_finish(&o, c->d);
	if (!errors)
		errors = guard_resources(&o, opts->resources, c->d);
	if (errors)
		overlay_free(&o);
	else
		*ret = o;
	return errors;
}
