#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile_load.h"
#include "util.h"

/* Every option of every subcommand; each subcommand names the ones it
 * takes by their short letters, and its --help lists just those. */
static const struct cli_option {
	char letter;
	const char *name;
	const char *arg; /* NULL: a flag */
	const char *help;
} options[] = {
	{ 'c', "config", "FILE", "the profile (default config/network.yaml)" },
	{ 'o', "out", "DIR", "output directory (default build)" },
	{ 'f', "format", "FORMAT", "tar.gz (default), tar.zst or tar" },
	{ 't', "templates", "DIR", "templates (default templates)" },
	{ 'r', "resources", "DIR", "static files for the overlay (default resources; missing: none)" },
	{ 'k', "keys", "DIR", "OpenVPN keys (default: openvpn/ beside the profile)" },
	{ 's', "ssh-keys", "DIR", "SSH keys (default: ssh/ beside the profile)" },
	{ 'w', "wireguard-keys", "DIR", "WireGuard keys, for vpn.type: wireguard (default: wireguard/\n"
					"beside the profile)" },
	{ 'K', "make-keys", NULL, "first make the keys where there are none (as the keys command)" },
	{ 'P', "programs", NULL, "compile the scout's programs into the overlay: host-iptables\n"
				"for the rule set as /usr/sbin/host-iptables (rules.c, rules.v4,\n"
				"rules.v6 beside the overlay), and the owner's console\n"
				"/usr/sbin/scout-console, which replaces the login prompts of tty1\n"
				"and the serial consoles (needs this source tree, make and a C\n"
				"compiler; CC is used)" },
	{ 'a', "add", "PATH=FILE", "add FILE to the overlay at PATH" },
	{ 'R', "revoke", "NAME", "revoke scout NAME's certificate (crl.pem beside the keys)" },
	{ 'q', "quiet", NULL, "no summary" },
	{ 'h', "help", NULL, "this text" },
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static void usage(const struct cli_command *cmd)
{
	printf("Usage: scout-netgen %s [options]\n\n%s\n\nOptions:\n", cmd->name, cmd->help);
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const char *h = options[i].help, *nl;
		char left[40];

		if (options[i].letter != 'h' && !strchr(cmd->options, options[i].letter))
			continue;
		snprintf(left, sizeof(left), "-%c, --%s%s%s", options[i].letter, options[i].name,
			 options[i].arg ? " " : "", options[i].arg ? options[i].arg : "");
		for (; (nl = strchr(h, '\n')); h = nl + 1, left[0] = '\0')
			printf("  %-24s %.*s\n", left, (int)(nl - h), h);
		printf("  %-24s %s\n", left, h);
	}
	printf("\nErrors are printed as FILE:LINE:COL: error: message. Exit status: 0 done,\n"
	       "1 an input is wrong (nothing was written), 2 usage error. See scout-netgen(1).\n");
}

static int add_extra(struct cli_opts *o, const char *prog, const char *spec)
{
	const char *eq = strchr(spec, '=');

	if (!eq || eq == spec || !eq[1]) {
		print_error("%s: --add wants PATH=FILE, not '%s'", prog, spec);
		return EXIT_USAGE;
	}
	extra_append(&o->emit, xstrndup(spec, (size_t)(eq - spec)), xstrdup(eq + 1), NULL);
	return 0;
}

/* One option; returns 0 or EXIT_USAGE. */
static int take(struct cli_opts *o, const char *prog, int c, const char **keys)
{
	switch (c) {
	case 'c': o->config = optarg; break;
	case 'o': o->out = optarg; break;
	case 'f':
		if (pack_format_parse(optarg, &o->format) < 0) {
			print_error("%s: --format must be tar.gz, tar.zst or tar, not '%s'", prog, optarg);
			return EXIT_USAGE;
		}
		break;
	case 'k': *keys = optarg; break;
	case 's': o->emit.ssh_keys = optarg; break;
	case 'w': o->emit.wg_keys = optarg; break;
	case 'K': o->make_keys = true; break;
	case 'P': o->programs = true; break;
	case 'r': o->emit.resources = optarg; break;
	case 't': o->emit.templates = optarg; break;
	case 'q': o->quiet = true; break;
	case 'a': return add_extra(o, prog, optarg);
	case 'R': o->revoke = optarg; break;
	}
	return 0;
}

/* DIR/name for the profile DIR/FILE. */
static char *beside(const char *config, const char *name)
{
	const char *slash = strrchr(config, '/');

	return slash ? xasprintf("%.*s/%s", (int)(slash - config), config, name) : xstrdup(name);
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_opts *o)
{
	/* The options, and --host-iptables: --programs' old name, from before
	 * it built scout-console too, kept for the scripts that use it. */
	struct option long_opts[N_OPTIONS + 2] = { 0 };
	char short_opts[2 * N_OPTIONS + 1], *s = short_opts;
	const char *keys = NULL;
	int c, ret = 0;

	for (size_t i = 0; i < N_OPTIONS; i++) {
		long_opts[i] = (struct option){ options[i].name, options[i].arg ? required_argument : no_argument,
						NULL, options[i].letter };
		*s++ = options[i].letter;
		if (options[i].arg)
			*s++ = ':';
	}
	long_opts[N_OPTIONS] = (struct option){ "host-iptables", no_argument, NULL, 'P' };
	*s = '\0';
	*o = (struct cli_opts){
		.config = "config/network.yaml",
		.out = "build",
		.format = PACK_TAR_GZ,
		.emit = { .templates = "templates", .resources = "resources" },
	};
	optind = 1;
	while (!ret && (c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(cmd);
			return CLI_HELP;
		}
		if (c == '?')
			return EXIT_USAGE;
		if (!strchr(cmd->options, c)) {
			fprintf(stderr, "%s: option -%c is not accepted here\n", argv[0], c);
			return EXIT_USAGE;
		}
		ret = take(o, argv[0], c, &keys);
	}
	if (ret)
		return ret;
	if (optind != argc) {
		print_error("%s: unexpected argument '%s'", argv[0], argv[optind]);
		return EXIT_USAGE;
	}
	if (!*o->config || !*o->out || (keys && !*keys) || (o->emit.ssh_keys && !*o->emit.ssh_keys) ||
	    (o->emit.wg_keys && !*o->emit.wg_keys)) {
		fprintf(stderr, "%s: --config, --out, --keys, --ssh-keys and --wireguard-keys need a name\n", argv[0]);
		return EXIT_USAGE;
	}
	if (!keys)
		keys = o->keys_default = beside(o->config, "openvpn");
	if (!o->emit.ssh_keys)
		o->emit.ssh_keys = o->ssh_default = beside(o->config, "ssh");
	if (!o->emit.wg_keys)
		o->emit.wg_keys = o->wg_default = beside(o->config, "wireguard");
	o->emit.keys = keys;
	return 0;
}

void cli_free(struct cli_opts *o)
{
	free(o->keys_default);
	free(o->ssh_default);
	free(o->wg_default);
	for (size_t i = 0; i < o->emit.n_extras; i++) {
		free(o->emit.extras[i].path);
		free(o->emit.extras[i].file);
	}
	free(o->emit.extras);
	*o = (struct cli_opts){ 0 };
}

int cli_generate(const struct cli_opts *o, struct profile **ret_profile, struct outputs *ret)
{
	struct diag d = { .stream = stderr };
	struct profile *p = NULL;
	struct outputs out = { 0 };

	if (profile_load_or_report(o->config, &d, &p))
		return EXIT_INPUT;
	emit_all(p, &o->emit, &d, &out);
	diag_flush(&d);
	if (d.errors) {
		profile_free(p);
		outputs_free(&out);
		return EXIT_INPUT;
	}
	*ret_profile = p;
	*ret = out;
	return 0;
}
