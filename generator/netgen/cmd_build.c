/* scout-netgen build: the overlay archive from the profile. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cmd_keys.h"
#include "cmd_rules.h"
#include "compile.h"
#include "export.h"
#include "fleet_profile.h"
#include "pki.h"
#include "profile_load.h"
#include "ruleset_build.h"
#include "stage.h"
#include "util.h"

/* Reproducible builds: SOURCE_DATE_EPOCH when set, else the Unix epoch. */
static int archive_mtime(int64_t *ret)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	uint32_t hi;

	if (!s) {
		*ret = 0;
		return 0;
	}
	/* Seconds up to 2^32-1 (year 2106) fit every tar header field. */
	if (parse_u32(s, 0, UINT32_MAX, &hi)) {
		print_error("scout-netgen: SOURCE_DATE_EPOCH='%s' is not a number of seconds (0-4294967295)", s);
		return -1;
	}
	*ret = hi;
	return 0;
}

static void print_ports(const char *proto, const struct port_list *l)
{
	struct buf b = { 0 };

	port_list_format(&b, l, ",");
	printf("%s %s", proto, l->n ? b.data : "none");
	buf_free(&b);
}

/* What one build made, for the summary. */
struct built {
	struct rs_build *fw;        /* one per scout, with --programs */
	struct pack_out *archives;  /* one per scout */
	char **dirs;                /* where each scout's outputs went */
	size_t n;
};

static void summary(const struct profile *p, const struct cli_opts *o, int keys_made, int ssh_made,
		    const char *name, const struct built *b, const struct outputs *out)
{
	const char *dir = o->out, *suffix = pack_format_suffix(o->format);
	char scout[16];

	keys_print_made(&o->emit, keys_made, ssh_made);
	printf("profile    %s\n", p->path);
	ipv4_format(p->scouts[0].address, scout);
	if (p->n_scouts == 1)
		printf("vpn        %s port %u/%s, %s, scout %s\n", p->vpn.server, p->vpn.port,
		       p->vpn.protocol == PROTO_UDP ? "udp" : "tcp", p->vpn.interface, scout);
	else
		printf("vpn        %s port %u/%s, %s, %zu scouts\n", p->vpn.server, p->vpn.port,
		       p->vpn.protocol == PROTO_UDP ? "udp" : "tcp", p->vpn.interface, p->n_scouts);
	printf("forwarded  ");
	print_ports("tcp", &p->forward.tcp);
	fputs("; ", stdout);
	print_ports("udp", &p->forward.udp);
	printf(" -> %s\n", p->container.name);
	for (size_t i = 0; i < b->n; i++) {
		if (p->n_scouts > 1) {
			ipv4_format(p->scouts[i].address, scout);
			printf("scout      %s at %s\n", p->scouts[i].name, scout);
		}
		if (o->programs)
			printf("firewall   /%s, %s/rules.v4 (%zu rules), rules.v6 (%zu rules)\n", HOST_IPTABLES_PATH,
			       b->dirs[i], ruleset_count(&b->fw[i].rs, 4), ruleset_count(&b->fw[i].rs, 6));
		printf("output     %s/%s (%zu bytes)\n", b->dirs[i], name, b->archives[i].size);
		printf("sha256     %s\n", b->archives[i].sha256);
	}
	if (out->server.n)
		printf("server     %s/exports/server/ and server.%s\n", dir, suffix);
	if (out->expert.n)
		printf("expert     %s/exports/expert/ and expert.%s\n", dir, suffix);
}

/* A fleet scout's profile for its console, in its scratch directory:
 * only its own entry in scouts:. */
static int console_profile(const struct profile *p, size_t i, const char *dir)
{
	char *file = xasprintf("%s/network.yaml", dir);
	struct buf b = { 0 };
	int r = fleet_profile_text(p->path, p->scouts[i].name, &b);

	if (r < 0)
		print_error("%s: error: cannot rewrite it for scout '%s': %s", p->path, p->scouts[i].name, strerror(-r));
	else if ((r = write_file_new(file, b.data, b.len, 0644)) < 0)
		print_error("%s: error: cannot write: %s", file, strerror(-r));
	buf_free(&b);
	free(file);
	return r < 0 ? -1 : 0;
}

/* Scout i's host-iptables, compiled for its rule set in the run's scratch
 * directory (one directory per scout), with scout-console beside it. The
 * rule set's files go beside the scout's overlay at the commit. */
static int compile_scout(struct profile *p, size_t i, struct stage *st, struct built *b)
{
	char *dir = xasprintf("%s/%s", st->scratch, p->scouts[i].name);
	int r = mkdir_p(dir, 0700);

	profile_select_scout(p, i);
	ruleset_build(p, &b->fw[i]);
	if (r < 0)
		print_error("%s: error: cannot create: %s", dir, strerror(-r));
	if (r < 0 || host_iptables_compile(&b->fw[i], dir) < 0) {
		free(dir);
		return -1;
	}
	if (p->n_scouts > 1 && console_profile(p, i, dir) < 0) {
		free(dir);
		return -1;
	}
	for (size_t f = 0; f < RULESET_FILES; f++) {
		char *file = xasprintf("%s/%s", dir, ruleset_files[f]);

		stage_move(st, file, b->dirs[i], ruleset_files[f]);
		free(file);
	}
	free(dir);
	return 0;
}

/* The programs of every scout; the extras that put them in each overlay
 * (the first, HOST_IPTABLES_PATH, points at the scout's own at its turn):
 * the firewall, the console and the profile the console reads. */
static int add_programs(struct profile *p, struct stage *st, const char *out, struct emit_opts *emit,
			struct built *b, size_t *ret_fw_extra)
{
	if (stage_scratch(st, out) < 0)
		return -1;
	for (size_t i = 0; i < p->n_scouts; i++)
		if (compile_scout(p, i, st, b) < 0)
			return -1;
	*ret_fw_extra = emit->n_extras;
	extra_append(emit, xstrdup(HOST_IPTABLES_PATH), xasprintf("%s/%s/host-iptables", st->scratch, p->scouts[0].name),
		     "host-iptables (compiled for the profile)");
	extra_append(emit, xstrdup(CONSOLE_PATH), xasprintf("%s/%s/scout-console", st->scratch, p->scouts[0].name),
		     "scout-console (compiled)");
	/* A fleet's scouts each read their own (emit_scouts). */
	extra_append(emit, xstrdup(CONSOLE_PROFILE_PATH), xstrdup(p->path), NULL);
	emit->console = true;
	return 0;
}

/* Scout i's overlay as NAME in its directory, the client config beside it
 * (by the name the original document tells builders to look for). */
static int stage_scout(struct stage *st, const struct overlay *ov, const struct cli_opts *o, const char *dir,
		       const char *name, int64_t mtime, struct pack_out *ret_archive)
{
	const struct entry *client = overlay_find(ov, "etc/openvpn/client/scout.conf");

	if (archive_stage(st, ov, dir, name, o->format, mtime, ret_archive) < 0 ||
	    (client && stage_file(st, dir, "scout.conf.client", client->data, client->len, 0644) < 0))
		return -1;
	return 0;
}

/* What an earlier run left that this one's outputs make stale, gone at the
 * commit, so no builder ships an old scout's overlay or ISO: one scout's
 * outputs are in OUT, a fleet's in OUT/scouts/NAME/. */
static void discard_stale(struct stage *st, const struct profile *p, const struct cli_opts *o, const char *name)
{
	static const char *const single[] = { "scout.conf.client", "rules.c", "rules.v4", "rules.v6", "scout.iso" };
	char *scouts = xasprintf("%s/%s", o->out, BUILD_SCOUTS_DIR), *path;
	struct dirent *e;
	DIR *dir;

	if (p->n_scouts == 1) {
		stage_discard(st, scouts);
		free(scouts);
		return;
	}
	path = xasprintf("%s/%s", o->out, name);
	stage_discard(st, path);
	free(path);
	for (size_t i = 0; i < sizeof(single) / sizeof(*single); i++) {
		path = xasprintf("%s/%s", o->out, single[i]);
		stage_discard(st, path);
		free(path);
	}
	dir = opendir(scouts);
	while (dir && (e = readdir(dir))) {
		if (e->d_name[0] == '.' || profile_find_scout(p, e->d_name) >= 0)
			continue;
		path = xasprintf("%s/%s", scouts, e->d_name);
		stage_discard(st, path);
		free(path);
	}
	if (dir)
		closedir(dir);
	free(scouts);
}

/* Every output, written as one transaction. */
static int stage_outputs(struct stage *st, const struct profile *p, const struct outputs *out, const struct cli_opts *o, const char *name,
			 int64_t mtime, struct built *b)
{
	for (size_t i = 0; i < out->n_overlays; i++)
		if (stage_scout(st, &out->overlays[i], o, b->dirs[i], name, mtime, &b->archives[i]) < 0)
			return -1;
	if ((out->server.n && export_stage(st, &out->server, o->out, "server", o->format, mtime) < 0) ||
	    (out->expert.n && export_stage(st, &out->expert, o->out, "expert", o->format, mtime) < 0))
		return -1;
	discard_stale(st, p, o, name);
	return stage_commit(st);
}

/* Each scout's overlay, its own firewall in it when compiled. */
static unsigned emit_scouts(struct profile *p, struct emit_opts *emit, size_t fw_extra, const struct stage *st,
			    struct diag *d, struct outputs *out)
{
	struct emit_ctx c;
	unsigned errors = emit_begin(p, emit, d, &c);

	out->overlays = xcalloc(p->n_scouts, sizeof(*out->overlays));
	for (size_t i = 0; i < p->n_scouts && !errors; i++) {
		if (emit->console && emit->extras) {
			free(emit->extras[fw_extra].file);
			emit->extras[fw_extra].file = xasprintf("%s/%s/host-iptables", st->scratch, p->scouts[i].name);
		}
		if (emit->console && emit->extras && p->n_scouts > 1) {
			free(emit->extras[fw_extra + 2].file);
			emit->extras[fw_extra + 2].file = xasprintf("%s/%s/network.yaml", st->scratch, p->scouts[i].name);
		}
		errors += emit_overlay(&c, i, emit, &out->overlays[i]);
		out->n_overlays += !errors;
	}
	if (!errors)
		errors += emit_exports(&c, out);
	if (!errors)
		emit_warnings(&c, emit);
	emit_end(&c);
	return errors;
}

static void built_init(struct built *b, const struct profile *p, const char *out)
{
	b->n = p->n_scouts;
	b->fw = xcalloc(b->n, sizeof(*b->fw));
	b->archives = xcalloc(b->n, sizeof(*b->archives));
	b->dirs = xcalloc(b->n, sizeof(*b->dirs));
	for (size_t i = 0; i < b->n; i++)
		b->dirs[i] = b->n == 1 ? xstrdup(out) : xasprintf("%s/%s/%s", out, BUILD_SCOUTS_DIR, p->scouts[i].name);
}

static void built_free(struct built *b)
{
	for (size_t i = 0; i < b->n; i++) {
		ruleset_build_free(&b->fw[i]);
		free(b->dirs[i]);
	}
	free(b->fw);
	free(b->archives);
	free(b->dirs);
}

static int build_main(const struct cli_opts *o)
{
	struct diag d = { .stream = stderr };
	struct emit_opts emit = o->emit;
	struct profile *p = NULL;
	struct outputs out = { 0 };
	struct stage st = { 0 };
	struct built b = { 0 };
	char *name = NULL;
	size_t fw_extra = 0;
	int64_t mtime;
	int ret = EXIT_USAGE, made = 0, ssh_made = 0;

	/* Our own copy of the extras, to add host-iptables to. */
	emit.extras = NULL;
	emit.n_extras = 0;
	for (size_t i = 0; i < o->emit.n_extras; i++)
		extra_append(&emit, xstrdup(o->emit.extras[i].path), xstrdup(o->emit.extras[i].file),
			     o->emit.extras[i].origin);
	if (archive_mtime(&mtime) < 0)
		goto cleanup;
	ret = EXIT_INPUT;
	if (profile_load_or_report(o->config, &d, &p))
		goto cleanup;
	built_init(&b, p, o->out);
	if (o->make_keys && keys_make(p, &o->emit, &d, &made, &ssh_made) < 0)
		goto cleanup;
	if (o->programs && add_programs(p, &st, o->out, &emit, &b, &fw_extra) < 0)
		goto cleanup;
	emit_scouts(p, &emit, fw_extra, &st, &d, &out);
	diag_flush(&d);
	if (d.errors)
		goto cleanup;
	name = xasprintf("overlay.%s", pack_format_suffix(o->format));
	if (stage_outputs(&st, p, &out, o, name, mtime, &b) < 0)
		goto cleanup;
	if (!o->quiet)
		summary(p, o, made, ssh_made, name, &b, &out);
	ret = 0;
cleanup:
	stage_free(&st);
	free(name);
	built_free(&b);
	outputs_free(&out);
	profile_free(p);
	for (size_t i = 0; i < emit.n_extras; i++) {
		free(emit.extras[i].path);
		free(emit.extras[i].file);
	}
	free(emit.extras);
	return ret;
}

const struct cli_command build_command = {
	.name = "build",
	.fn = build_main,
	.options = "acofkswKPrtq",
	.summary = "Validates the profile and writes the overlay archive and the exports",
	.help = "Validates the profile, checks the keys, renders the templates and writes\n"
		"DIR/overlay.FORMAT (with several scouts, DIR/scouts/NAME/overlay.FORMAT for\n"
		"each), and DIR/exports/ for the server and the expert when their keys are\n"
		"there. Nothing is written unless everything succeeds.\n"
		"./build.sh runs it with --make-keys --programs.",
};
