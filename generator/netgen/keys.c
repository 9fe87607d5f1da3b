/* Keys and certificates copied from the builder's key directory into an
 * overlay or an export, after pki_check() has accepted them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "keys.h"
#include "util.h"

unsigned keys_copy(const char *dir, const enum pki_file *files, size_t n, const char *dest_dir,
		   struct overlay *o, struct diag *d)
{
	unsigned errors = 0;

	for (size_t i = 0; i < n; i++) {
		const char *name = pki_names[files[i]];
		char *file = xasprintf("%s/%s", dir, name), *data = NULL;
		char *dest = xasprintf("%s/%s", &dest_dir[1], name);
		size_t len = 0;
		int r = read_file(file, PKI_FILE_MAX, &data, &len);

		if (r < 0) {
			diag_error(d, file, 0, 0, "cannot read: %s", strerror(-r));
			errors++;
		} else {
			overlay_add_file(o, dest, strstr(name, ".key") ? 0600 : 0644, data, len, file);
		}
		free(dest);
		free(file);
	}
	return errors;
}
