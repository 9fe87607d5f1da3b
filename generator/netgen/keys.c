/* Keys and certificates copied from the builder's key directory into an
 * overlay or an export, after pki_check() has accepted them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "keys.h"
#include "util.h"

unsigned keys_copy_file(const char *file, const char *dest_dir, const char *name, struct overlay *o, struct diag *d)
{
	char *dest = xasprintf("%s/%s", &dest_dir[1], name), *data = NULL;
	size_t len = 0;
	int r = read_file(file, PKI_FILE_MAX, &data, &len);

	if (r < 0)
		diag_error(d, file, 0, 0, "cannot read: %s", strerror(-r));
	else
		overlay_add_file(o, dest, strstr(name, ".key") ? 0600 : 0644, data, len, file);
	free(dest);
	return r < 0;
}

unsigned keys_copy(const char *dir, const enum pki_file *files, size_t n, const char *dest_dir,
		   struct overlay *o, struct diag *d)
{
	unsigned errors = 0;

	for (size_t i = 0; i < n; i++) {
		char *file = xasprintf("%s/%s", dir, pki_names[files[i]]);

		errors += keys_copy_file(file, dest_dir, pki_names[files[i]], o, d);
		free(file);
	}
	return errors;
}
