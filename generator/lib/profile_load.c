#include "profile_load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "util.h"
#include "validate.h"
#include "yaml_load.h"

unsigned profile_parse(const char *file, const char *text, size_t len, struct diag *d,
		       struct profile **ret)
{
	struct ynode *root = NULL;
	struct profile *p;
	char hex[65];
	unsigned errors;

	errors = yaml_load(file, text, len, d, &root);
	if (errors)
		return errors;
	p = xcalloc(1, sizeof(*p));
	errors = validate_tree(file, root, d, p);
	ynode_free(root);
	if (errors) {
		profile_free(p);
		return errors;
	}
	p->path = xstrdup(file);
	sha256_hex(text, len, hex);
	p->sha256 = xstrdup(hex);
	*ret = p;
	return 0;
}

unsigned profile_load(const char *path, struct diag *d, struct profile **ret)
{
	char *text = NULL;
	size_t len = 0;
	unsigned errors;
	int r;

	r = read_file(path, PROFILE_MAX_BYTES, &text, &len);
	if (r == -EFBIG) {
		diag_error(d, path, 0, 0, "the profile is larger than %u bytes", PROFILE_MAX_BYTES);
		return 1;
	}
	if (r < 0) {
		diag_error(d, path, 0, 0, "cannot read the profile: %s", strerror(-r));
		return 1;
	}
	errors = profile_parse(path, text, len, d, ret);
	free(text);
	return errors;
}

unsigned profile_load_or_report(const char *path, struct diag *d, struct profile **ret)
{
	unsigned errors = profile_load(path, d, ret);

	diag_flush(d);
	return errors;
}
