/* scout-netgen: the network side of a scout live image, from one profile. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util.h"
#include "version.h"

static const struct cli_command *const commands[] = {
	&build_command, &check_command, &keys_command, &rules_command, &paths_command,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "Usage: scout-netgen <command> [options]\n\nCommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-7s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f, "\n'scout-netgen <command> --help' lists the options of each; --version.\n"
		   "See scout-netgen(1).\n");
}

static int run(const struct cli_command *cmd, int argc, char **argv)
{
	struct cli_opts o;
	int ret = cli_parse(cmd, argc, argv, &o);

	if (ret == CLI_HELP)
		ret = 0;
	else if (!ret)
		ret = cmd->fn(&o);
	cli_free(&o);
	return ret;
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
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i]->name)) {
			argv[1] = argv[0];
			return run(commands[i], argc - 1, argv + 1);
		}
	print_error("scout-netgen: unknown command '%s' (try --help)", argv[1]);
	return EXIT_USAGE;
}
