/* scout-netgen check: everything build does except writing. */
#include <stdio.h>

#include "cli.h"

int check_main(int argc, char **argv)
{
	struct cli_opts o;
	struct profile *p = NULL;
	struct outputs out = { 0 };
	int ret = cli_parse(argc, argv, "ckrtq", &o);

	if (ret)
		goto cleanup;
	ret = cli_generate(&o, &p, &out);
	if (!ret && !o.quiet)
		printf("%s: ok (%zu overlay entries)\n", o.config, out.overlay.n);
cleanup:
	outputs_free(&out);
	profile_free(p);
	cli_free(&o);
	return ret;
}
