/* The Wi-Fi screen's words for iwd's values: pure functions, unit-tested. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "wifi_text.h"

unsigned wifi_signal_percent(int16_t centi_dbm)
{
	int dbm = centi_dbm / 100;

	if (dbm <= -90)
		return 0;
	if (dbm >= -40)
		return 100;
	return (unsigned)((dbm + 90) * 2);
}

const char *wifi_signal_bars(int16_t centi_dbm)
{
	if (centi_dbm >= -6000)
		return "****";
	if (centi_dbm >= -6700)
		return "*** ";
	if (centi_dbm >= -7500)
		return "**  ";
	return "*   ";
}

const char *wifi_signal_text(int16_t centi_dbm, char buf[static 24])
{
	snprintf(buf, 24, "%d dBm %s %u%%", centi_dbm / 100, wifi_signal_bars(centi_dbm),
		 wifi_signal_percent(centi_dbm));
	return buf;
}

const char *wifi_security(const char *type)
{
	static const struct {
		const char *type, *words;
	} names[] = {
		{ "psk", "WPA-PSK" },
		{ "open", "open" },
		{ "8021x", "802.1X" },
		{ "wep", "WEP" },
	};

	for (size_t i = 0; type && i < ARRAY_SIZE(names); i++)
		if (!strcmp(type, names[i].type))
			return names[i].words;
	return NULL;
}

const char *wifi_passphrase_check(const char *passphrase)
{
	size_t len = strlen(passphrase), hex = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)passphrase[i];

		if (c < ' ' || c > '~')
			return "Passphrase: only printable ASCII characters (WPA)";
		hex += isxdigit(c) != 0;
	}
	if (len == 64 && hex == 64)
		return NULL; /* the PSK itself, in hexadecimal */
	if (len < 8 || len > 63)
		return "Passphrase: 8 to 63 characters (WPA), or 64 hexadecimal digits";
	return NULL;
}

char *wifi_ssid_text(const char *ssid, unsigned max)
{
	char *s = escape_text(ssid, strlen(ssid));

	if (max >= 4 && strlen(s) > max) {
		/* Cut at a whole escape, never inside "\xNN". */
		size_t cut = max - 3, i = 0;

		while (i < cut) {
			size_t step = s[i] != '\\' ? 1 : s[i + 1] == 'x' ? 4 : 2;

			if (i + step > cut)
				break;
			i += step;
		}
		memcpy(s + i, "...", 4);
	}
	return s;
}
