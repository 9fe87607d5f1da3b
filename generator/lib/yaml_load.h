/* Load stage: libyaml events into a tree that remembers where each node was.
 * No libyaml type leaves yaml_load.c. */
#ifndef SCOUT_YAML_LOAD_H
#define SCOUT_YAML_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define YAML_MAX_DEPTH 32
#define PROFILE_MAX_BYTES (1024 * 1024)

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_kind kind;
	unsigned line, col; /* 1-based */
	/* scalar */
	char *value;
	size_t len;
	bool plain; /* unquoted, so it may be a number, a boolean or null */
	/* sequence: items[i]; mapping: items[2i] key, items[2i+1] value */
	struct ynode **items;
	size_t n;
};

/* Parses text into *ret_root. Reports syntax errors, aliases, tags, several
 * documents, duplicate keys and excessive nesting through d and returns the
 * number of errors (0: *ret_root set, possibly NULL for an empty document). */
unsigned yaml_load(const char *file, const char *text, size_t len, struct diag *d,
		   struct ynode **ret_root);
void ynode_free(struct ynode *n);

size_t ynode_map_len(const struct ynode *map);
const struct ynode *ynode_map_key(const struct ynode *map, size_t i);
const struct ynode *ynode_map_value(const struct ynode *map, size_t i);
bool ynode_is_null(const struct ynode *n);

#endif
