/* Wi-Fi: what lan.wifi's values must be, and the names iwd gives their
 * files (wifi.c). Pure functions: the validate stage and scout-netgen's
 * emit stage both use them, and so do the unit tests. */
#ifndef SCOUT_WIFI_H
#define SCOUT_WIFI_H

#include <stdbool.h>
#include <stddef.h>

/* IEEE 802.11: an SSID is 0-32 bytes; an empty one is a hidden network's
 * beacon, never a network to join. */
#define WIFI_SSID_MAX 32
/* A passphrase file holds one short line; anything much larger is not one. */
#define WIFI_PASSPHRASE_FILE_MAX 4096

/* The firmware sets the image recipe can pack (lan.wifi_firmware), in the
 * order the recipe layers them. */
enum wifi_firmware { FW_IWLWIFI, FW_REALTEK, FW_ATHEROS, FW_MEDIATEK, FW_COUNT };
extern const char *const wifi_firmware_names[FW_COUNT];

/* One network of lan.wifi. */
struct wifi_network {
	char *ssid;            /* its bytes, NUL-terminated (never holds a NUL) */
	size_t ssid_len;
	char *passphrase_file; /* relative to the profile's directory; NULL: open */
	unsigned line, col;    /* of passphrase_file's value (the build reads it) */
};

/* NULL, or why s (len bytes) cannot be an SSID: empty, over 32 bytes, or
 * holding a control character (C0, DEL or C1) that no terminal shows. */
const char *wifi_check_ssid(const char *s, size_t len);
/* NULL, or why s cannot be a passphrase_file: it must name a file below the
 * profile's directory (relative, no '..', no empty part). */
const char *wifi_check_passphrase_path(const char *s);
/* A passphrase file's bytes: one line (a final newline allowed) of 8-63
 * printable ASCII characters (a WPA passphrase) or 64 hex digits (the PSK
 * itself). NULL with *ret_len (without the newline) and *ret_hex set, or
 * why not. */
const char *wifi_check_passphrase(const char *s, size_t len, size_t *ret_len, bool *ret_hex);
/* iwd's file name for a network (iwd.network(5), NAMING): the SSID as it is
 * when it has only letters, digits, ' ', '-' and '_', else '=' and its
 * lower-case hex; then .open or .psk. To be freed. */
char *wifi_iwd_name(const char *ssid, size_t len, bool open);
/* The firmware set named s, or -1. */
int wifi_firmware_find(const char *s);

#endif
