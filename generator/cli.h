/* Command-line plumbing shared by the subcommands. */
#ifndef SCOUT_CLI_H
#define SCOUT_CLI_H

#include <stdbool.h>

#include "emit.h"
#include "pack.h"
#include "profile.h"

#define EXIT_INPUT 1 /* a profile, template, key or resource is wrong */
#define EXIT_USAGE 2

struct cli_opts {
	const char *config;
	const char *out;
	enum pack_format format;
	struct emit_opts emit;
	char *keys_default; /* owned: dirname(config)/openvpn */
	bool quiet;
};

/* Parses the options a subcommand accepts; allowed is a string of the long
 * option names' first letters ("cofkrtq"). Returns 0, or EXIT_USAGE after
 * printing why. */
int cli_parse(int argc, char **argv, const char *allowed, struct cli_opts *ret);
void cli_free(struct cli_opts *o);

/* Load, validate, model and emit, reporting every error once. Returns 0 or
 * EXIT_INPUT. */
int cli_generate(const struct cli_opts *o, struct profile **ret_profile, struct outputs *ret);

/* Writes DIR/NAME atomically, creating DIR; *name becomes the path.
 * Reports a failure itself. */
int cli_write(const char *dir, char **name, const void *data, size_t len);

int build_main(int argc, char **argv);
int rules_main(int argc, char **argv);
int keys_main(int argc, char **argv);

/* export.c: writes DIR/exports/NAME/ (the files, replaced as a whole) and
 * DIR/exports/NAME.FORMAT. Reports a failure itself. */
int export_write(const struct overlay *o, const char *dir, const char *name, enum pack_format f,
		 int64_t mtime);
int check_main(int argc, char **argv);

#endif
