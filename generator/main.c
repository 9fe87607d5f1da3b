/* scout-netgen: the network side of a scout live image, from one profile. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "version.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *description;
} subcommands[] = {
	{ "build", build_main, "Validates the profile and writes the overlay archive" },
	{ "check", check_main, "Validates the profile, templates, keys and resources; writes nothing" },
	{ "keys", keys_main, "Makes the VPN's keys (CA, server, scout, expert, tls-crypt) when there are none" },
	{ "rules", rules_main, "Writes the firewall rule set: rules.c for host-iptables, rules.v4, rules.v6" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: scout-netgen <command> [options]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-7s %s\n", subcommands[i].name, subcommands[i].description);
	fprintf(f, "\nOptions:\n"
		   "  -c, --config FILE     profile (default config/network.yaml)\n"
		   "  -o, --out DIR         output directory (default build)\n"
		   "  -f, --format FORMAT   tar.gz (default), tar.zst or tar\n"
		   "  -t, --templates DIR   templates (default templates)\n"
		   "  -r, --resources DIR   static files for the overlay (default resources)\n"
		   "  -k, --keys DIR        OpenVPN keys (default: openvpn/ beside the profile)\n"
		   "  -a, --add PATH=FILE   build: add FILE to the overlay at PATH\n"
		   "  -q, --quiet           no summary\n"
		   "  --help, --version\n\n"
		   "Errors are printed as FILE:LINE:COL: error: message. Exit status: 0 done,\n"
		   "1 an input is wrong (nothing was written), 2 usage error.\n"
		   "See scout-netgen(1).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("scout-netgen %s\n", SCOUT_NETGEN_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name)) {
			for (int j = 2; j < argc; j++)
				if (!strcmp(argv[j], "--help")) {
					usage(stdout);
					return 0;
				}
			argv[1] = argv[0];
			return subcommands[i].fn(argc - 1, argv + 1);
		}
	fprintf(stderr, "scout-netgen: unknown command '%s' (try --help)\n", argv[1]);
	return EXIT_USAGE;
}
