/* The template renderer: output for good templates, exact errors for bad. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

static struct tvars vars;

static int setup(void **state)
{
	char *dns[] = { "1.1.1.1", "8.8.8.8" };

	(void)state;
	tvars_set(&vars, "vpn.server", "vpn.example.org");
	tvars_set(&vars, "vpn.port", "1194");
	tvars_set(&vars, "bad", "x\nup /bin/sh");
	tvars_set_list(&vars, "dns", dns, 2);
	tvars_set_list(&vars, "none", NULL, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tvars_free(&vars);
	return 0;
}

/* Renders text; returns the output, or the diagnostics when it failed. */
static char *render(const char *text, unsigned *ret_errors)
{
	char *diags = NULL;
	size_t diags_len = 0;
	FILE *f = open_memstream(&diags, &diags_len);
	struct diag d = { .stream = f };
	struct buf out = { 0 };
	unsigned errors = template_render("t", text, strlen(text), &vars, &d, &out);

	diag_flush(&d);
	fclose(f);
	*ret_errors = errors;
	if (errors) {
		buf_free(&out);
		return diags;
	}
	free(diags);
	return buf_steal(&out, NULL);
}

static void test_good(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "plain text\n", "plain text\n" },
		{ "remote {{vpn.server}} {{vpn.port}}\n", "remote vpn.example.org 1194\n" },
		{ "{{ vpn.server }}", "vpn.example.org" },
		{ "a } b }} c {", "a } b }} c {" },
		{ "[N]\n{{#dns}}\nDNS={{.}}\n{{/dns}}\nend\n", "[N]\nDNS=1.1.1.1\nDNS=8.8.8.8\nend\n" },
		{ "  {{#dns}}  \nx={{.}}\n  {{/dns}}\n", "x=1.1.1.1\nx=8.8.8.8\n" },
		{ "DNS={{#dns}}{{.}} {{/dns}}.\n", "DNS=1.1.1.1 8.8.8.8 .\n" },
		{ "a\n{{#none}}\nnever\n{{/none}}\nb\n", "a\nb\n" },
		{ "{{#dns}}{{vpn.port}}{{/dns}}", "11941194" },
		{ "{{#dns}}\n{{.}}\n{{/dns}}", "1.1.1.1\n8.8.8.8\n" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned errors;
		char *got = render(cases[i].in, &errors);

		assert_int_equal(errors, 0);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void test_bad(void **state)
{
	static const struct {
		const char *in, *err;
	} cases[] = {
		{ "x {{vpn.sever}}", "t:1:3: error: unknown variable 'vpn.sever'\n" },
		{ "\n\n  {{bad}}", "t:3:3: error: the value of 'bad' contains a character that must not reach a rendered file\n" },
		{ "{{dns}}", "t:1:1: error: 'dns' is a list; use a section {{#dns}}...{{/dns}}\n" },
		{ "{{#vpn.port}}x{{/vpn.port}}", "t:1:1: error: 'vpn.port' is not a list; use {{vpn.port}}\n" },
		{ "{{#dns}}x", "t:1:1: error: section 'dns' is never closed\n" },
		{ "x{{/dns}}", "t:1:2: error: 'dns' closes a section that was never opened\n" },
		{ "{{#dns}}{{/none}}", "t:1:9: error: 'none' closes a section that was not opened here\n" },
		{ "{{#dns}}{{#none}}{{/none}}{{/dns}}", "t:1:9: error: sections do not nest ('none' inside another section)\n" },
		{ "{{.}}", "t:1:1: error: {{.}} is only meaningful inside a section\n" },
		{ "{{vpn.server", "t:1:1: error: malformed tag: expected {{name}}, {{#name}}, {{/name}} or {{.}}\n" },
		{ "{{VPN}}", "t:1:1: error: malformed tag: expected {{name}}, {{#name}}, {{/name}} or {{.}}\n" },
		{ "{{}}", "t:1:1: error: malformed tag: missing variable name\n" },
		{ "{{#nothere}}\n{{/nothere}}\n", "t:1:1: error: unknown variable 'nothere'\n" },
		{ "{{a}}{{b}}", "t:1:1: error: unknown variable 'a'\nt:1:6: error: unknown variable 'b'\n" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned errors;
		char *got = render(cases[i].in, &errors);

		assert_true(errors > 0);
		assert_string_equal(got, cases[i].err);
		free(got);
	}
}

static void test_nul_byte(void **state)
{
	struct diag d = { 0 };
	struct buf out = { 0 };
	(void)state;
	assert_int_equal(template_render("t", "a\0b", 3, &vars, &d, &out), 1);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_nul_byte),
	};

	return cmocka_run_group_tests_name("template", tests, setup, teardown);
}
