/* scout-netgen keys: makes the VPN's keys when the key directory has none. */
#include <stdio.h>

#include "cli.h"
#include "pki.h"

int keys_main(int argc, char **argv)
{
	struct cli_opts o;
	struct diag d = { .stream = stderr };
	int ret = cli_parse(argc, argv, "ckq", &o), made;

	if (ret)
		goto cleanup;
	made = pki_generate(o.emit.keys, &d);
	diag_flush(&d);
	if (made < 0) {
		ret = EXIT_INPUT;
		goto cleanup;
	}
	if (made && !o.quiet)
		printf("keys       made in %s (a CA, the server, the scout, the expert, tls-crypt); back up %s/ca.key\n",
		       o.emit.keys, o.emit.keys);
cleanup:
	cli_free(&o);
	return ret;
}
