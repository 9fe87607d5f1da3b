/* Command-line plumbing: one parser for every subcommand's options, and
 * what the subcommands share. */
#ifndef SCOUT_CLI_H
#define SCOUT_CLI_H

#include <stdbool.h>

#include "emit.h"
#include "pack.h"
#include "profile.h"
#include "util.h"

#define EXIT_INPUT 1 /* a profile, template, key or resource is wrong */
#define CLI_HELP (-1) /* cli_parse printed the help: exit 0 */

struct cli_opts {
	const char *config;
	const char *out;
	enum pack_format format;
	struct emit_opts emit;
	char *keys_default; /* owned: dirname(config)/openvpn */
	char *ssh_default;  /* owned: dirname(config)/ssh */
	char *wg_default;   /* owned: dirname(config)/wireguard */
	bool quiet;
	bool make_keys;     /* build: make the keys first when there are none */
	bool programs;      /* build: compile host-iptables and scout-console, add them */
	const char *revoke; /* keys: the scout whose certificate to revoke */
};

struct cli_command {
	const char *name;
	int (*fn)(const struct cli_opts *o);
	const char *options; /* the short letters of the options it takes */
	const char *summary; /* one line, for scout-netgen --help */
	const char *help;    /* what it does, for its own --help */
};

extern const struct cli_command build_command, check_command, keys_command, rules_command, paths_command;

/* Parses argv (argv[0] names the program in messages) for cmd. Returns 0,
 * CLI_HELP after printing cmd's help, or EXIT_USAGE after saying why. */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_opts *ret);
void cli_free(struct cli_opts *o);

/* Load, validate, model and emit, reporting every error once. Returns 0 or
 * EXIT_INPUT. */
int cli_generate(const struct cli_opts *o, struct profile **ret_profile, struct outputs *ret);

#endif
