/* scout-netgen check: everything build does except writing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The fleet, for the builder to review: each scout's name, address and
 * the end of its certificate (pki_check warned already when it is near),
 * or whether it has its WireGuard keys. */
static void print_scouts(const struct profile *p, const struct outputs *out)
{
	for (size_t i = 0; i < p->n_scouts; i++) {
		char a[16], end[32] = "no certificate";
		time_t t = (time_t)out->cert_end[i];
		struct tm tm;

		ipv4_format(p->scouts[i].address, a);
		if (p->vpn.type == VPN_WIREGUARD)
			snprintf(end, sizeof(end), "%s", out->wg_key[i] ? "WireGuard keys" : "no WireGuard keys");
		else if (t && gmtime_r(&t, &tm))
			strftime(end, sizeof(end), "certificate until %Y-%m-%d", &tm);
		printf("  scout %s: %s, %s\n", p->scouts[i].name, a, end);
	}
}

static int check_main(const struct cli_opts *o)
{
	struct profile *p = NULL;
	struct outputs out = { 0 };
	int ret = cli_generate(o, &p, &out);

	if (!ret && !o->quiet) {
		printf("%s: ok (%zu overlay entries)\n", o->config, out.overlays[0].n);
		print_scouts(p, &out);
		print_wifi(p);
	}
	outputs_free(&out);
	profile_free(p);
	return ret;
}

const struct cli_command check_command = {
	.name = "check",
	.fn = check_main,
	.options = "ckswrtq",
	.summary = "Validates the profile, templates, keys and resources; writes nothing",
	.help = "Validates the profile, the templates, the keys and the resources as build\n"
		"does, and reports every error; writes nothing. Then lists the scouts\n"
		"(name, address, the end of the certificate: a warning comes 30 days\n"
		"before), the Wi-Fi networks of lan.wifi (SSIDs escaped) and the firmware sets.",
};
