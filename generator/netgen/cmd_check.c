/* scout-netgen check: everything build does except writing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The networks the scout joins at boot, for the builder to review: each
 * SSID escaped (it is the one value of a profile that may hold any byte
 * but a control character). */
static void print_wifi(const struct profile *p)
{
	for (size_t i = 0; i < p->lan.n_wifi; i++) {
		const struct wifi_network *w = &p->lan.wifi[i];
		char *ssid = escape_text(w->ssid, w->ssid_len), *file = NULL;

		if (w->passphrase_file)
			file = escape_text(w->passphrase_file, strlen(w->passphrase_file));
		printf("  lan.wifi[%zu]: '%s', %s%s\n", i, ssid, file ? "psk from " : "open", file ? file : "");
		free(file);
		free(ssid);
	}
	if (p->lan.n_wifi_firmware) {
		printf("  lan.wifi_firmware:");
		for (size_t i = 0; i < p->lan.n_wifi_firmware; i++)
			printf(" %s", wifi_firmware_names[p->lan.wifi_firmware[i]]);
		printf("\n");
	}
}

static int check_main(const struct cli_opts *o)
{
	struct profile *p = NULL;
	struct outputs out = { 0 };
	int ret = cli_generate(o, &p, &out);

	if (!ret && !o->quiet) {
		printf("%s: ok (%zu overlay entries)\n", o->config, out.overlays[0].n);
		print_wifi(p);
	}
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
		"does, and reports every error; writes nothing. Then lists the Wi-Fi\n"
		"networks of lan.wifi (SSIDs escaped) and the firmware sets.",
};
