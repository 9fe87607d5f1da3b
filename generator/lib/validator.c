#include "validator.h"

#include <stdarg.h>
#include <string.h>

void node_error(struct validator *v, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(v->d, v->file, n ? n->line : 1, n ? n->col : 1, fmt, ap);
	va_end(ap);
}

bool item_keys(struct validator *v, const char *list, size_t i, const struct ynode *n, const char *const *keys,
	       size_t n_keys, const char *hint, const struct ynode **ret)
{
	bool ok = true;

	for (size_t k = 0; k < ynode_map_len(n); k++) {
		const struct ynode *key = ynode_map_key(n, k);
		size_t w = 0;

		while (key->kind == YNODE_SCALAR && w < n_keys && strcmp(key->value, keys[w]))
			w++;
		if (key->kind != YNODE_SCALAR || w == n_keys) {
			node_error(v, key, "%s[%zu]: unknown key '%s'; use %s", list, i,
				   key->kind == YNODE_SCALAR ? key->value : "?", hint);
			ok = false;
			continue;
		}
		ret[w] = ynode_map_value(n, k);
	}
	return ok;
}
