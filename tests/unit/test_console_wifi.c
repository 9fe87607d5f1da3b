/* The Wi-Fi screen's words (console/wifi_text.c): iwd's signal (100 *
 * dBm) as bars and percent, Network.Type as the owner reads it, the check
 * of a typed passphrase, and SSIDs from the air escaped and cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "console/wifi_text.h"

static void test_signal(void **state)
{
	static const struct {
		int16_t centi_dbm;
		unsigned percent;
		const char *bars, *text;
	} cases[] = {
		{ 0, 100, "****", "0 dBm **** 100%" },
		{ -4000, 100, "****", "-40 dBm **** 100%" },
		{ -4800, 84, "****", "-48 dBm **** 84%" },
		{ -6000, 60, "****", "-60 dBm **** 60%" },
		{ -6001, 60, "*** ", "-60 dBm ***  60%" },
		{ -6500, 50, "*** ", "-65 dBm ***  50%" },
		{ -6700, 46, "*** ", "-67 dBm ***  46%" },
		{ -7000, 40, "**  ", "-70 dBm **   40%" },
		{ -7500, 30, "**  ", "-75 dBm **   30%" },
		{ -7501, 30, "*   ", "-75 dBm *    30%" },
		{ -8999, 2, "*   ", "-89 dBm *    2%" },
		{ -9000, 0, "*   ", "-90 dBm *    0%" },
		{ -10000, 0, "*   ", "-100 dBm *    0%" },
		{ INT16_MIN, 0, "*   ", "-327 dBm *    0%" },
		{ INT16_MAX, 100, "****", "327 dBm **** 100%" },
	};
	char buf[24];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(wifi_signal_percent(cases[i].centi_dbm), cases[i].percent);
		assert_string_equal(wifi_signal_bars(cases[i].centi_dbm), cases[i].bars);
		assert_string_equal(wifi_signal_text(cases[i].centi_dbm, buf), cases[i].text);
	}
}

static void test_security(void **state)
{
	(void)state;
	assert_string_equal(wifi_security("psk"), "WPA-PSK");
	assert_string_equal(wifi_security("open"), "open");
	assert_string_equal(wifi_security("8021x"), "802.1X");
	assert_string_equal(wifi_security("wep"), "WEP");
	assert_null(wifi_security("sae"));
	assert_null(wifi_security(""));
	assert_null(wifi_security(NULL));
}

static void test_passphrase(void **state)
{
	static const char *const good[] = {
		"12345678", "correct horse battery", " spaces at both ends ",
		"123456789012345678901234567890123456789012345678901234567890123", /* 63 */
		"0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789ABCDEF", /* the PSK in hex */
	};
	static const char *const short_long[] = {
		"", "1234567", "123456789012345678901234567890123456789012345678901234567890123g", /* 64, not hex */
		"0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789ABCDEF0", /* 65 hex */
	};
	static const char *const not_ascii[] = { "caf\xc3\xa9-passphrase", "tab\there-long", "esc\x1bhere-long",
						  "del\x7fhere-long" };

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_null(wifi_passphrase_check(good[i]));
	for (size_t i = 0; i < sizeof(short_long) / sizeof(short_long[0]); i++)
		assert_string_equal(wifi_passphrase_check(short_long[i]),
				    "Passphrase: 8 to 63 characters (WPA), or 64 hexadecimal digits");
	for (size_t i = 0; i < sizeof(not_ascii) / sizeof(not_ascii[0]); i++)
		assert_string_equal(wifi_passphrase_check(not_ascii[i]),
				    "Passphrase: only printable ASCII characters (WPA)");
}

static void same(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

/* D-Bus carries only valid UTF-8 (iwd lists no other SSID, sd-bus takes
 * no other string), but the text must not trust that. */
static void test_ssid(void **state)
{
	(void)state;
	same(wifi_ssid_text("scout-lab", 32), "scout-lab");
	same(wifi_ssid_text("evil\x1b[2J\x07", 32), "evil\\x1b[2J\\x07");
	same(wifi_ssid_text("\xc2\x9b" "31m", 32), "\\xc2\\x9b31m");
	same(wifi_ssid_text("a\\b\n\t\r", 32), "a\\\\b\\n\\t\\r");
	same(wifi_ssid_text("bad\xff\xfe utf8 \xc3", 0), "bad\\xff\\xfe utf8 \\xc3");
	/* 32 bytes: whole at 32 columns, cut with "..." below */
	same(wifi_ssid_text("0123456789abcdef0123456789ABCDEF", 32), "0123456789abcdef0123456789ABCDEF");
	same(wifi_ssid_text("0123456789abcdef0123456789ABCDEF", 31), "0123456789abcdef0123456789AB...");
	/* cut at a whole escape, never inside \xNN or \\ */
	same(wifi_ssid_text("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
			    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
			    32),
	     "\\xc3\\xa9\\xc3\\xa9\\xc3\\xa9\\xc3...");
	same(wifi_ssid_text("\xc3\xa9\xc3\xa9", 10), "\\xc3...");
	same(wifi_ssid_text("ab\\\\\\\\cdef", 8), "ab\\\\...");
	same(wifi_ssid_text("", 32), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_security),
		cmocka_unit_test(test_passphrase),
		cmocka_unit_test(test_ssid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
