/* The scout's OpenVPN credentials, copied from the builder's key directory. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "util.h"

#define KEY_MAX_BYTES (64 * 1024)

static const struct {
	const char *name;
	unsigned mode;
} keys[] = {
	{ "ca.crt", 0644 },
	{ "client.crt", 0644 },
	{ "client.key", 0600 },
	{ "ta.key", 0600 },
};

unsigned keys_add(const char *dir, struct overlay *o, struct diag *d)
{
	struct buf missing = { 0 };
	unsigned errors = 0, found = 0;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		char *file = xasprintf("%s/%s", dir, keys[i].name), *data = NULL;
		char *dest = xasprintf("%s/%s", KEYS_DIR + 1, keys[i].name);
		size_t len = 0;
		int r = read_file(file, KEY_MAX_BYTES, &data, &len);

		if (r == -ENOENT) {
			buf_printf(&missing, "%s%s", missing.len ? ", " : "", keys[i].name);
		} else if (r < 0) {
			diag_error(d, file, 0, 0, "cannot read: %s",
				   r == -EFBIG ? "larger than 64 KiB, not a key" : strerror(-r));
			errors++;
		} else {
			overlay_add_file(o, dest, keys[i].mode, data, len, file);
			found++;
		}
		free(dest);
		free(file);
	}
	if (missing.len && !errors && !found)
		diag_warning(d, dir, 0, 0, "no keys (%s): the overlay has none, and the VPN will not start until they are added",
			     missing.data);
	else if (missing.len && !errors)
		diag_warning(d, dir, 0, 0, "missing %s: the VPN will not start until they are added",
			     missing.data);
	buf_free(&missing);
	return errors;
}
