/* scout-netgen keys: makes the VPN's keys when the key directory has none. */
#include "cmd_keys.h"

#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "pki.h"
#include "profile_load.h"
#include "sshkeys.h"
#include "wgkeys.h"

/* Each scout's own keys, when it has none: a scout added to the fleet
 * gets its certificate and host keys, the others keep theirs. */
static int scouts_make(const struct profile *p, const char *keys, const char *ssh_keys, struct diag *d, int *made,
		       int *ssh_made)
{
	for (size_t i = 0; p && i < p->n_scouts; i++) {
		int r = keys ? pki_scout_generate(keys, p->scouts[i].name, d) : 0;
		int s = r < 0 ? -1 : ssh_scout_keys_generate(ssh_keys, p->scouts[i].name, d);

		if (r < 0 || s < 0)
			return -1;
		*made |= r ? KEYS_MADE_SCOUT : 0;
		*ssh_made |= s ? KEYS_MADE_SCOUT : 0;
	}
	return 0;
}

int keys_make(const struct profile *p, const struct emit_opts *e, struct diag *d, int *ret_made, int *ret_ssh_made)
{
	const char *keys = e->keys, *ssh_keys = e->ssh_keys;
	bool wg = p && p->vpn.type == VPN_WIREGUARD;
	/* A WireGuard profile's VPN keys are WireGuard's alone. */
	int made = wg ? wg_keys_generate(e->wg_keys, p, d) : pki_generate(keys, d);
	int ssh_made = made < 0 ? 0 : ssh_keys_generate(ssh_keys, d);

	if (wg && made > 0)
		made = KEYS_MADE_WG;
	if (made >= 0 && ssh_made >= 0 && scouts_make(p, wg ? NULL : keys, ssh_keys, d, &made, &ssh_made) < 0)
		made = -1;
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
	struct profile *p = NULL;
	int made, ssh_made, r;

	if (o->revoke) {
		r = pki_revoke(o->emit.keys, o->revoke, &d);
		diag_flush(&d);
		if (r < 0)
			return EXIT_INPUT;
		if (!o->quiet)
			printf(r ? "revoked    scout %s: its certificate is in %s/%s; build again and install the server's "
				   "export\n"
				 : "revoked    scout %s: it already was, in %s/%s\n",
			       o->revoke, o->emit.keys, PKI_CRL_FILE);
		return 0;
	}
	/* With a profile, its fleet's keys too. */
	if (access(o->config, F_OK) == 0 && profile_load_or_report(o->config, &d, &p))
		return EXIT_INPUT;
	r = keys_make(p, &o->emit, &d, &made, &ssh_made);
	profile_free(p);
	if (r < 0)
		return EXIT_INPUT;
	if (!o->quiet)
		keys_print_made(&o->emit, made, ssh_made);
	return 0;
}

const struct cli_command keys_command = {
	.name = "keys",
	.fn = keys_main,
	.options = "ckswqR",
	.summary = "Makes the VPN's keys (CA, server, scout, expert, tls-crypt) when there are none",
	.help = "When the key directory holds none of the files, makes an EC P-256 CA, the\n"
		"server's, the scout's and the expert's certificates and a tls-crypt key;\n"
		"with a profile (-c), each scout of its scouts: list that has none gets its\n"
		"certificate (CN = its name) and host keys.\n"
		"Existing keys are never replaced; the directory becomes 0700. Likewise the\n"
		"SSH keys (ssh-keygen, ed25519): the expert's, and the scout's and its\n"
		"container's host keys.\n"
		"With --revoke NAME, instead: adds scout NAME's certificate to crl.pem in the\n"
		"key directory (signed by ca.key); the server's export then carries it, and\n"
		"the server refuses that scout.",
};
