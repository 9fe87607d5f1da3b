/* scout-netgen check: everything build does except writing. */
#include <stdio.h>

#include "cli.h"

static int check_main(const struct cli_opts *o)
{
	struct profile *p = NULL;
	struct outputs out = { 0 };
	int ret = cli_generate(o, &p, &out);

	if (!ret && !o->quiet)
		printf("%s: ok (%zu overlay entries)\n", o->config, out.overlay.n);
	outputs_free(&out);
	profile_free(p);
	return ret;
}

const struct cli_command check_command = {
	.name = "check",
	.fn = check_main,
	.options = "cksrtq",
	.summary = "Validates the profile, templates, keys and resources; writes nothing",
	.help = "Validates the profile, the templates, the keys and the resources as build\n"
		"does, and reports every error; writes nothing.",
};
