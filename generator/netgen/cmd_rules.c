/* scout-netgen rules: the firewall rule set for host-iptables, as C
 * (rules.c) and as iptables-save text for review (rules.v4, rules.v6). */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "cmd_rules.h"
#include "profile_load.h"
#include "ruleset_build.h"
#include "stage.h"

const char *const ruleset_files[RULESET_FILES] = { "rules.c", "rules.v4", "rules.v6" };

void ruleset_texts(const struct rs_build *fw, struct buf ret[RULESET_FILES])
{
	ruleset_emit_c(fw, &ret[0]);
	rs_format_family(&fw->rs, 4, fw->rs.boot_state, &ret[1]);
	rs_format_family(&fw->rs, 6, fw->rs.boot_state, &ret[2]);
}

size_t ruleset_count(const struct rs_ruleset *rs, int family)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->n_rules; i++)
		n += rs_tables[rs->rules[i].table].family == family && rs_rule_active(&rs->rules[i], rs->boot_state);
	return n;
}

static int rules_main(const struct cli_opts *o)
{
	struct diag d = { .stream = stderr };
	struct profile *p = NULL;
	struct rs_build fw = { 0 };
	struct buf texts[RULESET_FILES] = { 0 };
	struct stage st = { 0 };
	int ret = EXIT_INPUT;

	if (profile_load_or_report(o->config, &d, &p))
		goto cleanup;
	ruleset_build(p, &fw);
	ruleset_texts(&fw, texts);
	for (size_t i = 0; i < RULESET_FILES; i++)
		if (stage_file(&st, o->out, ruleset_files[i], texts[i].data, texts[i].len, 0644) < 0)
			goto cleanup;
	if (stage_commit(&st) < 0)
		goto cleanup;
	if (!o->quiet)
		printf("firewall   %s/rules.v4 (%zu rules), rules.v6 (%zu rules), rules.c\n", o->out,
		       ruleset_count(&fw.rs, 4), ruleset_count(&fw.rs, 6));
	ret = 0;
cleanup:
	stage_free(&st);
	for (size_t i = 0; i < RULESET_FILES; i++)
		buf_free(&texts[i]);
	ruleset_build_free(&fw);
	profile_free(p);
	return ret;
}

const struct cli_command rules_command = {
	.name = "rules",
	.fn = rules_main,
	.options = "coq",
	.summary = "Writes the firewall rule set: rules.c for host-iptables, rules.v4, rules.v6",
	.help = "Writes the profile's firewall rule set into the output directory: rules.c,\n"
		"the C tables host-iptables is compiled with, and rules.v4 and rules.v6,\n"
		"the same rules in iptables-save format. With scouts:, the first scout's\n"
		"(build writes each scout's beside its overlay).",
};
