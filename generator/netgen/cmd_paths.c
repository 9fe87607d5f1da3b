/* scout-netgen paths: where the other commands read and write, with the
 * same options, for scripts (./build.sh image) that must not parse the
 * options a second time. NAME, NUL, VALUE, NUL for each. */
#include <stdio.h>

#include "cli.h"

static int paths_main(const struct cli_opts *o)
{
	const char *pairs[][2] = {
		{ "config", o->config }, { "out", o->out }, { "format", pack_format_suffix(o->format) },
		{ "keys", o->emit.keys }, { "ssh-keys", o->emit.ssh_keys },
		{ "templates", o->emit.templates }, { "resources", o->emit.resources },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		printf("%s%c%s%c", pairs[i][0], '\0', pairs[i][1], '\0');
	return fflush(stdout) == 0 ? 0 : 1;
}

const struct cli_command paths_command = {
	.name = "paths",
	.fn = paths_main,
	.options = "acofksKHrtq",
	.summary = "Prints where build reads and writes, given its options (for scripts)",
	.help = "Prints, for the options given (build's), each of config, out, format,\n"
		"keys, ssh-keys, templates and resources followed by its value, each\n"
		"ended by a NUL byte. Reads and writes nothing.",
};
