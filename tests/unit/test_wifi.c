/* Table-driven tests of generator/lib/wifi.c (the SSID, passphrase and
 * path checks, iwd's file names) and of lan.wifi in a parsed profile. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "profile_load.h"
#include "wifi.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct why_case {
	const char *in;
	size_t len;      /* 0: strlen(in) */
	const char *why; /* NULL: accepted */
};

static void expect_why(const char *in, const char *got, const char *want)
{
	if (!want && got)
		fail_msg("'%s' refused: %s", in, got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("'%s': got %s, want %s", in, got ? got : "(accepted)", want);
}

static void test_iwd_name(void **state)
{
	static const struct {
		const char *ssid;
		size_t len; /* 0: strlen */
		int open;
		const char *want;
	} cases[] = {
		{ "scout-lab", 0, 0, "scout-lab.psk" },
		{ "Hotel Guest_5G", 0, 0, "Hotel Guest_5G.psk" },
		{ "Library", 0, 1, "Library.open" },
		{ " lead", 0, 0, " lead.psk" },
		{ "a.b", 0, 0, "=612e62.psk" },
		{ "a/b", 0, 1, "=612f62.open" },
		{ "=x", 0, 0, "=3d78.psk" },
		{ "..", 0, 0, "=2e2e.psk" },
		{ "Caf\xc3\xa9", 0, 0, "=436166c3a9.psk" },
		{ "AZaz09", 0, 0, "AZaz09.psk" },
		{ "\xff\xfe", 0, 1, "=fffe.open" },
		{ "x\0y", 3, 0, "=780079.psk" },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].ssid);
		char *got = wifi_iwd_name(cases[i].ssid, len, cases[i].open);

		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, got, cases[i].want);
		free(got);
	}
}

static void test_ssid(void **state)
{
	static const struct why_case cases[] = {
		{ "scout-lab", 0, NULL },
		{ "x", 0, NULL },
		{ "12345678901234567890123456789012", 0, NULL },
		{ "123456789012345678901234567890123", 0, "is longer than 32 bytes" },
		{ "", 0, "is empty" },
		{ "Caf\xc3\xa9 #2 \"quoted\" \\", 0, NULL },
		{ "tab\there", 0, "holds a control character" },
		{ "esc\x1b[2J", 0, "holds a control character" },
		{ "del\x7f", 0, "holds a control character" },
		{ "nul\0x", 5, "holds a control character" },
		{ "c1\xc2\x85", 0, "holds a control character" },
		{ "c1\xc2\x9f", 0, "holds a control character" },
		{ "nbsp\xc2\xa0", 0, NULL },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		expect_why(cases[i].in, wifi_check_ssid(cases[i].in, cases[i].len ? cases[i].len : strlen(cases[i].in)),
			   cases[i].why);
}

static void test_passphrase(void **state)
{
	static const char *const not_8_63 = "is not 8-63 characters long (a WPA passphrase) nor 64 hex digits (a PSK)";
	static const char *const not_ascii =
		"holds a character that is not printable ASCII (a control character, or a byte from 0x7f on)";
	static const struct {
		const char *in;
		const char *why;
		size_t len; /* accepted: without the newline */
		int hex;
	} cases[] = {
		{ "12345678", NULL, 8, 0 },
		{ "12345678\n", NULL, 8, 0 },
		{ "1234567\n", not_8_63, 0, 0 },
		{ "correct horse battery staple\n", NULL, 28, 0 },
		{ " leading and trailing ", NULL, 22, 0 },
		{ "123456789012345678901234567890123456789012345678901234567890123", NULL, 63, 0 },
		{ "1234567890123456789012345678901234567890123456789012345678901234", NULL, 64, 1 },
		{ "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF\n", NULL, 64, 1 },
		{ "0011223344556677889gaabbccddeeff00112233445566778899aabbccddeeff", not_8_63, 0, 0 },
		{ "12345678901234567890123456789012345678901234567890123456789012345", not_8_63, 0, 0 },
		{ "one line\nand another\n", "holds more than one line", 0, 0 },
		{ "twelve chars\n\n", "holds more than one line", 0, 0 },
		{ "windows line\r\n", not_ascii, 0, 0 },
		{ "tab\tinside", not_ascii, 0, 0 },
		{ "caf\xc3\xa9 au lait", not_ascii, 0, 0 },
		{ "\n", not_8_63, 0, 0 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		size_t len = 99;
		bool hex = false;
		const char *why = wifi_check_passphrase(cases[i].in, strlen(cases[i].in), &len, &hex);

		expect_why(cases[i].in, why, cases[i].why);
		if (!why && (len != cases[i].len || hex != (bool)cases[i].hex))
			fail_msg("case %zu: length %zu hex %d, want %zu %d", i, len, hex, cases[i].len, cases[i].hex);
	}
}

static void test_passphrase_path(void **state)
{
	static const struct why_case cases[] = {
		{ "wifi/scout-lab.psk", 0, NULL },
		{ "lab.psk", 0, NULL },
		{ "a/b/c", 0, NULL },
		{ "", 0, "is empty" },
		{ "/etc/shadow", 0, "is absolute; name a file beside the profile (wifi/NAME.psk)" },
		{ "../openvpn/client.key", 0, "goes up with '..'; keep it below the profile's directory" },
		{ "wifi/../../x", 0, "goes up with '..'; keep it below the profile's directory" },
		{ "wifi//x", 0, "has an empty or '.' part" },
		{ "./x", 0, "has an empty or '.' part" },
		{ "wifi/", 0, "ends with '/'" },
		{ "..x/y", 0, NULL },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++)
		expect_why(cases[i].in, wifi_check_passphrase_path(cases[i].in), cases[i].why);
}

static void test_firmware_names(void **state)
{
	(void)state;
	assert_int_equal(wifi_firmware_find("iwlwifi"), FW_IWLWIFI);
	assert_int_equal(wifi_firmware_find("realtek"), FW_REALTEK);
	assert_int_equal(wifi_firmware_find("atheros"), FW_ATHEROS);
	assert_int_equal(wifi_firmware_find("mediatek"), FW_MEDIATEK);
	assert_int_equal(wifi_firmware_find("Intel"), -1);
	assert_int_equal(wifi_firmware_find(""), -1);
	assert_int_equal(wifi_firmware_find("iwlwifi "), -1);
}

/* lan.wifi as the model has it: bytes, open or not, and where the
 * passphrase_file was written (the build reports there). */
static void test_profile_model(void **state)
{
	static const char text[] = "vpn:\n  server: vpn.example.org\nlan:\n  wifi:\n"
				   "    - ssid: \"Caf\\u00e9\"\n      passphrase_file: wifi/cafe.psk\n"
				   "    - { ssid: Library, open: true }\n"
				   "  wifi_firmware: [mediatek, iwlwifi]\n";
	struct diag d = { 0 };
	struct profile *p = NULL;

	(void)state;
	assert_int_equal(profile_parse("t.yaml", text, sizeof(text) - 1, &d, &p), 0);
	assert_int_equal(p->lan.n_wifi, 2);
	assert_int_equal(p->lan.wifi[0].ssid_len, 5);
	assert_memory_equal(p->lan.wifi[0].ssid, "Caf\xc3\xa9", 5);
	assert_string_equal(p->lan.wifi[0].passphrase_file, "wifi/cafe.psk");
	assert_int_equal(p->lan.wifi[0].line, 6);
	assert_int_equal(p->lan.wifi[0].col, 24);
	assert_string_equal(p->lan.wifi[1].ssid, "Library");
	assert_null(p->lan.wifi[1].passphrase_file);
	assert_int_equal(p->lan.n_wifi_firmware, 2);
	assert_int_equal(p->lan.wifi_firmware[0], FW_MEDIATEK);
	assert_int_equal(p->lan.wifi_firmware[1], FW_IWLWIFI);
	profile_free(p);
}

/* Every lan.wifi mistake is an error, not a network (counted: the exact
 * messages are the bad-profile goldens'). */
static void test_profile_errors(void **state)
{
	static const struct {
		const char *lan;
		unsigned errors;
	} cases[] = {
		{ "  wifi: []\n", 0 },
		{ "  wifi:\n", 0 },
		{ "  wifi: [{ ssid: a, open: true }, { ssid: a, open: true }]\n", 1 },
		{ "  wifi: [{ ssid: a, open: true, passphrase_file: x }]\n", 1 },
		{ "  wifi: [{ ssid: a }]\n", 1 },
		{ "  wifi: [{ open: true }]\n", 1 },
		{ "  wifi: [{ ssid: a, open: yes }]\n", 1 },
		{ "  wifi: [{ ssid: a, open: \"true\" }]\n", 1 },
		{ "  wifi: [{ ssid: [a], open: true }]\n", 1 },
		{ "  wifi: [{ ssid: a, passphrase_file: /x }]\n", 1 },
		{ "  wifi: [{ ssid: a, passphrase_file: \"x#y\" }]\n", 1 },
		{ "  wifi: { ssid: a }\n", 1 },
		{ "  wifi_firmware: [iwlwifi, atheros, iwlwifi, atheros]\n", 2 },
		/* a list with a bad item is not checked for duplicates */
		{ "  wifi_firmware: [iwlwifi, iwlwifi, nvidia]\n", 1 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *text = NULL;
		struct diag d = { 0 };
		struct profile *p = NULL;
		unsigned got;

		assert_true(asprintf(&text, "vpn:\n  server: vpn.example.org\nlan:\n%s", cases[i].lan) > 0);
		got = profile_parse("t.yaml", text, strlen(text), &d, &p);
		if (got != cases[i].errors)
			fail_msg("case %zu: %u errors, want %u", i, got, cases[i].errors);
		profile_free(p);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iwd_name),
		cmocka_unit_test(test_ssid),
		cmocka_unit_test(test_passphrase),
		cmocka_unit_test(test_passphrase_path),
		cmocka_unit_test(test_firmware_names),
		cmocka_unit_test(test_profile_model),
		cmocka_unit_test(test_profile_errors),
	};

	return cmocka_run_group_tests_name("wifi", tests, NULL, NULL);
}
