/* Command-line plumbing: one parser for every subcommand's options, and
 * what the subcommands share. */
#ifndef SCOUT_CLI_H
#define SCOUT_CLI_H

#include <stdbool.h>

#include "emit.h"
#include "pack.h"
#include "profile.h"
#include "ruleset_build.h"
#include "stage.h"

#define EXIT_INPUT 1 /* a profile, template, key or resource is wrong */
#define EXIT_USAGE 2
#define CLI_HELP (-1) /* cli_parse printed the help: exit 0 */

struct cli_opts {
	const char *config;
	const char *out;
	enum pack_format format;
	struct emit_opts emit;
	char *keys_default; /* owned: dirname(config)/openvpn */
	char *ssh_default;  /* owned: dirname(config)/ssh */
	bool quiet;
	bool make_keys;     /* build: make the keys first when there are none */
	bool host_iptables; /* build: compile host-iptables and add it */
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

/* cmd_rules.c: the rule set's three files, rules.c (for host-iptables),
 * rules.v4 and rules.v6 (iptables-save text for review). */
#define RULESET_FILES 3
extern const char *const ruleset_files[RULESET_FILES];
void ruleset_texts(const struct rs_build *fw, struct buf ret[RULESET_FILES]);
/* Rules in family 4 or 6 in the boot state, for summaries. */
size_t ruleset_count(const struct rs_ruleset *rs, int family);

/* compile.c: writes the rule set into dir and compiles dir/host-iptables
 * from it, and dir/scout-console, with the Makefile of the source tree
 * this generator was built in. Reports a failure itself. */
int host_iptables_compile(const struct rs_build *fw, const char *dir);

/* export.c: stages DIR/NAME, the overlay o packed, 0600 when o is private
 * (overlay_archive_mode); *ret tells its size and SHA-256. Reports a
 * failure itself. */
int archive_stage(struct stage *s, const struct overlay *o, const char *dir, const char *name,
		  enum pack_format f, int64_t mtime, struct pack_out *ret);
/* export.c: stages DIR/exports/NAME/ (the files, replaced as a whole) and
 * DIR/exports/NAME.FORMAT. Reports a failure itself. */
int export_stage(struct stage *s, const struct overlay *o, const char *dir, const char *name,
		 enum pack_format f, int64_t mtime);

#endif
