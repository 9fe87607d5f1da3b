/* The Wi-Fi screen's words for what iwd says: signal, security, and the
 * check of a typed passphrase. No D-Bus and no terminal here (unit tests). */
#ifndef SCOUT_CONSOLE_WIFI_TEXT_H
#define SCOUT_CONSOLE_WIFI_TEXT_H

#include <stdint.h>

/* iwd's signal strength is 100 * dBm (0 the strongest, -10000 the
 * weakest). The percent maps -90 dBm and below to 0, -40 dBm and above to
 * 100, linearly between (rounded down). */
unsigned wifi_signal_percent(int16_t centi_dbm);
/* Four bars as ASCII, as iwctl draws them ("****", "*** ", "**  ",
 * "*   "): above -60, -67, -75 dBm, and below. */
const char *wifi_signal_bars(int16_t centi_dbm);
/* "-52 dBm **** 76%" into buf. */
const char *wifi_signal_text(int16_t centi_dbm, char buf[static 24]);
/* Network.Type in the owner's words, 7 columns at most: "WPA-PSK",
 * "open", "802.1X", "WEP"; NULL for a type iwd does not document. */
const char *wifi_security(const char *type);
/* NULL when the passphrase is one iwd takes for WPA (8-63 printable ASCII
 * characters, or 64 hexadecimal digits: the PSK itself), or what is wrong
 * with it (never quoting it: it is a secret). */
const char *wifi_passphrase_check(const char *passphrase);
/* An SSID (up to 32 bytes from the air) as the screens show it: escaped
 * with escape_text, and cut to at most max columns with "..." (to be
 * freed). */
char *wifi_ssid_text(const char *ssid, unsigned max);

#endif
