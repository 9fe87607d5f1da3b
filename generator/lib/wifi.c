#include "wifi.h"

#include <string.h>

#include "util.h"

const char *const wifi_firmware_names[FW_COUNT] = {
	[FW_IWLWIFI] = "iwlwifi",
	[FW_REALTEK] = "realtek",
	[FW_ATHEROS] = "atheros",
	[FW_MEDIATEK] = "mediatek",
};

const char *wifi_check_ssid(const char *s, size_t len)
{
	if (len == 0)
		return "is empty";
	if (len > WIFI_SSID_MAX)
		return "is longer than 32 bytes";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		/* C1 controls are U+0080-U+009F, 0xc2 0x80-0x9f in UTF-8 (the
		 * loader accepts only UTF-8). */
		if (c < ' ' || c == 0x7f || (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] < 0xa0))
			return "holds a control character";
	}
	return NULL;
}

const char *wifi_check_passphrase_path(const char *s)
{
	const char *part = s;

	if (!*s)
		return "is empty";
	if (*s == '/')
		return "is absolute; name a file beside the profile (wifi/NAME.psk)";
	while (*part) {
		size_t n = strcspn(part, "/");

		if (n == 0 || (n == 1 && part[0] == '.'))
			return "has an empty or '.' part";
		if (n == 2 && !strncmp(part, "..", 2))
			return "goes up with '..'; keep it below the profile's directory";
		part += n + (part[n] == '/');
	}
	return s[strlen(s) - 1] == '/' ? "ends with '/'" : NULL;
}

static bool all_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return false;
	return true;
}

const char *wifi_check_passphrase(const char *s, size_t len, size_t *ret_len, bool *ret_hex)
{
	size_t n = len && s[len - 1] == '\n' ? len - 1 : len;

	if (memchr(s, '\n', n))
		return "holds more than one line";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || (unsigned char)s[i] > '~')
			return "holds a character that is not printable ASCII (a control character, or a byte from 0x7f on)";
	if (n == 64 && all_hex(s, n)) {
		*ret_hex = true;
		*ret_len = n;
		return NULL;
	}
	if (n < 8 || n > 63)
		return "is not 8-63 characters long (a WPA passphrase) nor 64 hex digits (a PSK)";
	*ret_hex = false;
	*ret_len = n;
	return NULL;
}

static bool iwd_verbatim(const char *ssid, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = ssid[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == ' ' || c == '-' || c == '_'))
			return false;
	}
	return true;
}

char *wifi_iwd_name(const char *ssid, size_t len, bool open)
{
	const char *ext = open ? ".open" : ".psk";
	struct buf b = { 0 };

	if (iwd_verbatim(ssid, len)) {
		buf_append(&b, ssid, len);
	} else {
		buf_puts(&b, "=");
		for (size_t i = 0; i < len; i++)
			buf_printf(&b, "%02x", (unsigned char)ssid[i]);
	}
	buf_puts(&b, ext);
	return buf_steal(&b, NULL);
}

int wifi_firmware_find(const char *s)
{
	for (int i = 0; i < FW_COUNT; i++)
		if (!strcmp(s, wifi_firmware_names[i]))
			return i;
	return -1;
}
