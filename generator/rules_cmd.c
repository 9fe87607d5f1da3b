/* scout-netgen rules: the firewall rule set for host-iptables, as C
 * (rules.c) and as iptables-save text for review (rules.v4, rules.v6). */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "ruleset_build.h"

static size_t count_rules(const struct rs_ruleset *rs, int family, unsigned state)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->n_rules; i++)
		n += rs_tables[rs->rules[i].table].family == family && rs_rule_active(&rs->rules[i], state);
	return n;
}

int rules_main(int argc, char **argv)
{
	struct cli_opts o;
	struct diag d = { .stream = stderr };
	struct profile *p = NULL;
	struct rs_build fw = { 0 };
	struct buf c = { 0 }, v4 = { 0 }, v6 = { 0 };
	char *c_path = xstrdup("rules.c"), *v4_path = xstrdup("rules.v4"), *v6_path = xstrdup("rules.v6");
	int ret = cli_parse(argc, argv, "coq", &o);

	if (ret)
		goto cleanup;
	ret = EXIT_INPUT;
	profile_load(o.config, &d, &p);
	diag_flush(&d);
	if (d.errors)
		goto cleanup;
	ruleset_build(p, &fw);
	ruleset_emit_c(&fw, &c);
	rs_format_family(&fw.rs, 4, fw.rs.boot_state, &v4);
	rs_format_family(&fw.rs, 6, fw.rs.boot_state, &v6);
	if (cli_write(o.out, &c_path, c.data, c.len) < 0 ||
	    cli_write(o.out, &v4_path, v4.data, v4.len) < 0 ||
	    cli_write(o.out, &v6_path, v6.data, v6.len) < 0)
		goto cleanup;
	if (!o.quiet)
		printf("firewall   %s (%zu rules), %s (%zu rules), %s\n", v4_path,
		       count_rules(&fw.rs, 4, fw.rs.boot_state), v6_path,
		       count_rules(&fw.rs, 6, fw.rs.boot_state), c_path);
	ret = 0;
cleanup:
	buf_free(&c);
	buf_free(&v4);
	buf_free(&v6);
	free(c_path);
	free(v4_path);
	free(v6_path);
	ruleset_build_free(&fw);
	profile_free(p);
	cli_free(&o);
	return ret;
}
