#include "wifi_net.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "wifi.h"

/* iwd's settings syntax (iwd.network(5)): a value is written as it is,
 * but for a backslash, doubled, and a space, which is \s (a leading one
 * would be dropped; all of them are written so for the same reason). */
static void put_value(struct buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\')
			buf_puts(b, "\\\\");
		else if (s[i] == ' ')
			buf_puts(b, "\\s");
		else
			buf_append(b, &s[i], 1);
	}
}

/* The passphrase_file's path: beside the profile. */
static char *passphrase_path(const struct profile *p, const struct wifi_network *w)
{
	const char *slash = strrchr(p->path, '/');

	return slash ? xasprintf("%.*s/%s", (int)(slash - p->path), p->path, w->passphrase_file)
		     : xstrdup(w->passphrase_file);
}

/* The [Security] group of network i from its passphrase file, into b. */
static unsigned security(const struct profile *p, size_t i, struct diag *d, struct buf *b)
{
	const struct wifi_network *w = &p->lan.wifi[i];
	char *path = passphrase_path(p, w), *data = NULL;
	size_t len = 0, n = 0;
	bool hex = false;
	const char *why = NULL;
	int r = read_file(path, WIFI_PASSPHRASE_FILE_MAX, &data, &len);

	if (r == -EFBIG)
		why = "is larger than 4096 bytes; it holds one passphrase";
	else if (r < 0)
		why = strerror(-r);
	else if (len == 0)
		why = "is empty";
	else
		why = wifi_check_passphrase(data, len, &n, &hex);
	if (why) {
		diag_error(d, p->path, w->line, w->col, "lan.wifi[%zu].passphrase_file: '%s' %s%s", i, w->passphrase_file,
			   r < 0 && r != -EFBIG ? "cannot be read: " : "", why);
	} else {
		buf_puts(b, hex ? "[Security]\nPreSharedKey=" : "[Security]\nPassphrase=");
		put_value(b, data, n);
		buf_puts(b, "\n\n");
	}
	if (data)
		explicit_bzero(data, len);
	free(data);
	free(path);
	return why != NULL;
}

unsigned wifi_net_add(const struct profile *p, struct diag *d, struct overlay *o)
{
	unsigned errors = 0;

	overlay_add_dir(o, WIFI_NET_DIR, "scout-netgen");
	for (size_t i = 0; i < p->lan.n_wifi; i++) {
		const struct wifi_network *w = &p->lan.wifi[i];
		bool open = !w->passphrase_file;
		struct buf b = { 0 };

		buf_printf(&b, "# lan.wifi[%zu] of the profile, written by scout-netgen.\n", i);
		if (!open && security(p, i, d, &b)) {
			errors++;
			explicit_bzero(b.data, b.len);
			buf_free(&b);
			continue;
		}
		buf_puts(&b, "[Settings]\nAutoConnect=true\n");
		{
			char *name = wifi_iwd_name(w->ssid, w->ssid_len, open);
			char *path = xasprintf(WIFI_NET_DIR "/%s", name);
			size_t len;
			char *data = buf_steal(&b, &len);

			/* The overlay owns data (the passphrase) from here. */
			overlay_add_file(o, path, 0600, data, len, p->path);
			free(path);
			free(name);
		}
	}
	return errors;
}
