/* Table-driven tests of escape_text (generator/lib/util.c): what messages and
 * the console print of untrusted bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void test_escape_text(void **state)
{
	static const struct {
		const char *in;
		size_t len; /* 0: strlen(in) */
		const char *want;
	} cases[] = {
		{ "", 0, "" },
		{ "eth0 192.168.1.1/24 ~!@#$%^&*()_+{}|:\"<>?`-=[];',./", 0,
		  "eth0 192.168.1.1/24 ~!@#$%^&*()_+{}|:\"<>?`-=[];',./" },
		{ "a\\b", 0, "a\\\\b" },              /* a backslash: unambiguous */
		{ "\\x1b", 0, "\\\\x1b" },            /* the text, not an ESC */
		{ "\x1b[2J", 0, "\\x1b[2J" },         /* ESC: clear screen */
		{ "\x1b]0;title\a", 0, "\\x1b]0;title\\x07" },
		{ "l1\nl2\r\tx", 0, "l1\\nl2\\r\\tx" },
		{ "\x01\x1f\x7f", 0, "\\x01\\x1f\\x7f" },
		{ "\x9b" "31m", 0, "\\x9b31m" },      /* raw C1 CSI */
		{ "\xc2\x9b" "2J", 0, "\\xc2\\x9b2J" }, /* U+009B, CSI in UTF-8 */
		{ "caf\xc3\xa9", 0, "caf\\xc3\\xa9" }, /* printable UTF-8 too */
		{ "\xff\xfe", 0, "\\xff\\xfe" },
		{ "a\0b", 3, "a\\x00b" },              /* a NUL does not end it */
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		char *got = escape_text(cases[i].in, len);

		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
