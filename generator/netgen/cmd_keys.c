/* scout-netgen keys: makes the VPN's keys when the key directory has none. */
#include "cmd_keys.h"

#include <stdio.h>

#include "cli.h"
#include "pki.h"
#include "sshkeys.h"

int keys_make(const char *keys, const char *ssh_keys, struct diag *d, int *ret_made, int *ret_ssh_made)
{
	int made = pki_generate(keys, d), ssh_made = made < 0 ? 0 : ssh_keys_generate(ssh_keys, d);

	diag_flush(d);
	if (made < 0 || ssh_made < 0)
		return -1;
	*ret_made = made;
	*ret_ssh_made = ssh_made;
	return 0;
}

static int keys_main(const struct cli_opts *o)
{
	struct diag d = { .stream = stderr };
	int made, ssh_made;

	if (keys_make(o->emit.keys, o->emit.ssh_keys, &d, &made, &ssh_made) < 0)
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
