/* libFuzzer: a profile through load, validate and model, then everything
 * built from the model: the templates rendered with its variables, the
 * firewall rule set as text and as C. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "emit.h"
#include "profile_load.h"
#include "ruleset_build.h"
#include "template.h"
#include "util.h"
#include "vars.h"
#include "yaml_load.h"

static const char *const template_names[] = {
	"scout.conf", "container.nspawn", "host.network", "container.network",
	"server.conf", "expert.conf", "ccd-scout", "ccd-expert", "server-isolate", "wg.netdev", "wg.network",
	"wg-server.conf", "wg-server-peer.conf", "wg-expert.conf",
};
static const char *const wg_vars[] = {
	"wg.server_public", "wg.server_private", "wg.expert_public", "wg.expert_private", "wg.expert_psk",
	"wg.scout_public", "wg.scout_psk",
};
static char *templates[sizeof(template_names) / sizeof(template_names[0])];
static size_t template_len[sizeof(template_names) / sizeof(template_names[0])];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_TEMPLATES") ? getenv("FUZZ_TEMPLATES") : "templates";

	(void)argc;
	(void)argv;
	for (size_t i = 0; i < ARRAY_SIZE(template_names); i++) {
		char *path = xasprintf("%s/%s", dir, template_names[i]);

		if (read_file(path, TEMPLATE_MAX_BYTES, &templates[i], &template_len[i]) < 0) {
			fprintf(stderr, "fuzz_profile: cannot read %s (set FUZZ_TEMPLATES)\n", path);
			exit(1);
		}
		free(path);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = { 0 };
	struct profile *p = NULL;
	struct tvars vars = { 0 };
	struct rs_build fw;
	struct buf out = { 0 };

	if (size > PROFILE_MAX_BYTES || profile_parse("fuzz.yaml", (const char *)data, size, &d, &p))
		return 0;
	vars_from_profile(p, &vars);
	/* What the emit stage adds from the keys (emit_export.c, emit_wg.c). */
	tvars_set(&vars, "expert.cn", "expert");
	tvars_set_list(&vars, "vpn.crl", NULL, 0);
	for (size_t i = 0; i < ARRAY_SIZE(wg_vars); i++)
		tvars_set(&vars, wg_vars[i], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	for (size_t i = 0; i < ARRAY_SIZE(templates); i++) {
		if (template_render(template_names[i], templates[i], template_len[i], &vars, &d, &out))
			abort(); /* a valid profile must render the shipped templates */
		buf_free(&out);
	}
	ruleset_build(p, &fw);
	rs_format_family(&fw.rs, 4, fw.rs.boot_state, &out);
	rs_format_family(&fw.rs, 6, RS_LAN_ACCESS | RS_HOST_CONTROL, &out);
	ruleset_emit_c(&fw, &out);
	buf_free(&out);
	ruleset_build_free(&fw);
	tvars_free(&vars);
	profile_free(p);
	return 0;
}
