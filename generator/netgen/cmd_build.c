/* scout-netgen build: the overlay archive from the profile. */
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

static void summary(const struct profile *p, const struct cli_opts *o, int keys_made, int ssh_made,
		    const struct rs_build *fw,
		    const char *name, const struct pack_out *archive, const struct outputs *out)
{
	const char *dir = o->out, *suffix = pack_format_suffix(o->format);
	char scout[16];

	ipv4_format(p->vpn.scout_address, scout);
	keys_print_made(o->emit.keys, keys_made, o->emit.ssh_keys, ssh_made);
	printf("profile    %s\n", p->path);
	printf("vpn        %s port %u/%s, %s, scout %s\n", p->vpn.server, p->vpn.port,
	       p->vpn.protocol == PROTO_UDP ? "udp" : "tcp", p->vpn.interface, scout);
	printf("forwarded  ");
	print_ports("tcp", &p->forward.tcp);
	fputs("; ", stdout);
	print_ports("udp", &p->forward.udp);
	printf(" -> %s\n", p->container.name);
	if (o->programs)
		printf("firewall   /%s, %s/rules.v4 (%zu rules), rules.v6 (%zu rules)\n", HOST_IPTABLES_PATH, dir,
		       ruleset_count(&fw->rs, 4), ruleset_count(&fw->rs, 6));
	printf("output     %s/%s (%zu bytes)\n", dir, name, archive->size);
	printf("sha256     %s\n", archive->sha256);
	if (out->server.n)
		printf("server     %s/exports/server/ and server.%s\n", dir, suffix);
	if (out->expert.n)
		printf("expert     %s/exports/expert/ and expert.%s\n", dir, suffix);
}

/* The scout's programs, compiled in the run's scratch directory:
 * host-iptables for p's rule set and scout-console. The rule set's files
 * go beside the overlay at the commit, the programs into the overlay with
 * the profile the console reads. */
static int add_programs(const struct profile *p, struct stage *st, const char *out,
			struct emit_opts *emit, struct rs_build *fw)
{
	ruleset_build(p, fw);
	if (stage_scratch(st, out) < 0 || host_iptables_compile(fw, st->scratch) < 0)
		return -1;
	for (size_t i = 0; i < RULESET_FILES; i++) {
		char *file = xasprintf("%s/%s", st->scratch, ruleset_files[i]);

		stage_move(st, file, out, ruleset_files[i]);
		free(file);
	}
	extra_append(emit, xstrdup(HOST_IPTABLES_PATH), xasprintf("%s/host-iptables", st->scratch),
		     "host-iptables (compiled for the profile)");
	/* The owner's console reads the profile the image was built from. */
	extra_append(emit, xstrdup(CONSOLE_PATH), xasprintf("%s/scout-console", st->scratch),
		     "scout-console (compiled)");
	extra_append(emit, xstrdup(CONSOLE_PROFILE_PATH), xstrdup(p->path), NULL);
	emit->console = true;
	return 0;
}

/* The overlay as NAME, the client config beside it (by the name the
 * original document tells builders to look for) and the exports, written
 * as one transaction. */
static int stage_outputs(struct stage *st, const struct outputs *out, const struct cli_opts *o, const char *name,
			 int64_t mtime, struct pack_out *ret_archive)
{
	const struct entry *client = overlay_find(&out->overlay, "etc/openvpn/client/scout.conf");

	if (archive_stage(st, &out->overlay, o->out, name, o->format, mtime, ret_archive) < 0 ||
	    (client && stage_file(st, o->out, "scout.conf.client", client->data, client->len, 0644) < 0) ||
	    (out->server.n && export_stage(st, &out->server, o->out, "server", o->format, mtime) < 0) ||
	    (out->expert.n && export_stage(st, &out->expert, o->out, "expert", o->format, mtime) < 0))
		return -1;
	return stage_commit(st);
}

static int build_main(const struct cli_opts *o)
{
	struct diag d = { .stream = stderr };
	struct emit_opts emit = o->emit;
	struct profile *p = NULL;
	struct outputs out = { 0 };
	struct stage st = { 0 };
	struct rs_build fw = { 0 };
	struct pack_out archive;
	char *name = NULL;
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
	if (o->make_keys && keys_make(o->emit.keys, o->emit.ssh_keys, &d, &made, &ssh_made) < 0)
		goto cleanup;
	if (o->programs && add_programs(p, &st, o->out, &emit, &fw) < 0)
		goto cleanup;
	emit_all(p, &emit, &d, &out);
	diag_flush(&d);
	if (d.errors)
		goto cleanup;
	name = xasprintf("overlay.%s", pack_format_suffix(o->format));
	if (stage_outputs(&st, &out, o, name, mtime, &archive) < 0)
		goto cleanup;
	if (!o->quiet)
		summary(p, o, made, ssh_made, &fw, name, &archive, &out);
	ret = 0;
cleanup:
	stage_free(&st);
	free(name);
	ruleset_build_free(&fw);
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
	.options = "acofksKPrtq",
	.summary = "Validates the profile and writes the overlay archive and the exports",
	.help = "Validates the profile, checks the keys, renders the templates and writes\n"
		"DIR/overlay.FORMAT, and DIR/exports/ for the server and the expert when\n"
		"their keys are there. Nothing is written unless everything succeeds.\n"
		"./build.sh runs it with --make-keys --programs.",
};
