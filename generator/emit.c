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

unsigned emit_overlay(const struct profile *p, const struct emit_opts *opts, struct diag *d,
		      struct overlay *ret)
{
	struct overlay o = { 0 };
	struct tvars vars = { 0 };
	unsigned errors = 0;

	/* Each template and where its output goes. */
	const char *templates[] = {
		"scout.conf", "container.nspawn", "host.network", "container.network", "sysctl.conf",
	};
	char *dests[] = {
		xstrdup("etc/openvpn/client/scout.conf"),
		xasprintf("etc/systemd/nspawn/%s.nspawn", p->container.name),
		xasprintf("etc/systemd/network/70-scout-%s.network", p->container.host_interface),
		xasprintf("%s/etc/systemd/network/70-scout-%s.network", p->container.root + 1,
			  p->container.interface),
		xstrdup("etc/sysctl.d/70-scout-forward.conf"),
	};

	_Static_assert(ARRAY_SIZE(templates) == ARRAY_SIZE(dests), "one destination per template");
	vars_from_profile(p, &vars);
	for (size_t i = 0; i < ARRAY_SIZE(templates); i++) {
		errors += render_one(opts->templates, templates[i], dests[i], &vars, d, &o);
		free(dests[i]);
	}
	tvars_free(&vars);
	overlay_add_file(&o, MASK_VE_NETWORK, 0644, xstrdup(""), 0, "scout-netgen");
	overlay_add_symlink(&o, CLIENT_UNIT_LINK, CLIENT_UNIT, "scout-netgen");
	errors += keys_add(opts->keys, &o, d);
	errors += resources_add(opts->resources, &o, d);
	errors += extras_add(opts->extras, opts->n_extras, &o, d);
	if (!errors)
		errors += overlay_finish(&o, d);
	if (errors) {
		overlay_free(&o);
		return errors;
	}
	*ret = o;
	return 0;
}
