/* scout-netgen keys: makes the VPN's keys when the key directory has none. */
#include <stdio.h>

#include "cli.h"
#include "pki.h"
#include "sshkeys.h"

/* Reports through d; returns pki_generate's result. */
static int keys_main(const struct cli_opts *o)
{
	struct diag d = { .stream = stderr };
	int made = pki_generate(o->emit.keys, &d), ssh_made = made < 0 ? 0 : ssh_keys_generate(o->emit.ssh_keys, &d);

	diag_flush(&d);
	if (made < 0 || ssh_made < 0)
		return EXIT_INPUT;
	if (!o->quiet)
		keys_print_made(o->emit.keys, made, o->emit.ssh_keys, ssh_made);
	return 0;
}

const struct cli_command keys_command = {
	.name = "keys",
	.fn = keys_main,
	.options = "cksq",
	.summary = "Makes the VPN's keys (CA, server, scout, expert, tls-crypt) when there are none",
	.help = "When the key directory holds none of the files, makes an EC P-256 CA, the\n"
		"server's, the scout's and the expert's certificates and a tls-crypt key.\n"
		"Existing keys are never replaced; the directory becomes 0700. Likewise the\n"
		"SSH keys (ssh-keygen, ed25519): the expert's, and the scout's and its\n"
		"container's host keys.",
};
