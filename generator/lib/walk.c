/* The first pass over the tree: which known key the user wrote where, and
 * every unknown key, with a suggestion. */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "validator.h"
#include "walk.h"

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of neighbours ("prot" for "port") each cost one. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), w = lb + 1;
	unsigned *d = xcalloc((la + 1) * w, sizeof(*d)), result;

	for (size_t i = 0; i <= la; i++)
		d[i * w] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = d[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1]);

			if (d[(i - 1) * w + j] + 1 < best)
				best = d[(i - 1) * w + j] + 1;
			if (d[i * w + j - 1] + 1 < best)
				best = d[i * w + j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[(i - 2) * w + j - 2] + 1 < best)
				best = d[(i - 2) * w + j - 2] + 1;
			d[i * w + j] = best;
		}
	}
	result = d[la * w + lb];
	free(d);
	return result;
}

/* Suggests the closest known key in the same section, or the same key in
 * another section ("port" at the top level: "vpn.port"). */
static void unknown_key(struct validator *v, const struct ynode *key, const char *section)
{
	const char *best = NULL;
	unsigned best_d = 0, limit = strlen(key->value) > 5 ? 2 : 1;
	const char *elsewhere = NULL;

	if (key->len > 64) {
		node_error(v, key, "unknown key of %zu bytes", key->len);
		return;
	}

	if (!section) {
		for (size_t i = 0; i < SCHEMA_N_SECTIONS; i++) {
			unsigned dist = edit_distance(key->value, schema_sections[i]);

			if (dist <= limit && (!best || dist < best_d))
				best = schema_sections[i], best_d = dist;
		}
	}
	for (size_t f = 0; f < FLD_COUNT; f++) {
		bool same = (!section && !schema_fields[f].section) ||
			    (section && schema_fields[f].section && !strcmp(section, schema_fields[f].section));
		unsigned dist = edit_distance(key->value, schema_fields[f].key);

		if (same && dist <= limit && (!best || dist < best_d))
			best = schema_fields[f].key, best_d = dist;
		if (!same && !strcmp(key->value, schema_fields[f].key) && !elsewhere)
			elsewhere = schema_fields[f].name;
	}
	if (section && best)
		node_error(v, key, "unknown key '%s.%s'; did you mean '%s.%s'?", section, key->value,
			   section, best);
	else if (best)
		node_error(v, key, "unknown key '%s'; did you mean '%s'?", key->value, best);
	else if (elsewhere)
		node_error(v, key, "unknown key '%s%s%s'; did you mean '%s'?", section ? section : "",
			   section ? "." : "", key->value, elsewhere);
	else
		node_error(v, key, "unknown key '%s%s%s'", section ? section : "", section ? "." : "",
			   key->value);
}

static bool is_known_section(const char *key)
{
	for (size_t i = 0; i < SCHEMA_N_SECTIONS; i++)
		if (!strcmp(key, schema_sections[i]))
			return true;
	return false;
}

/* The field of a key outside the sections (version, scouts), or FLD_COUNT. */
static size_t top_level_field(const char *key)
{
	size_t f;

	for (f = 0; f < FLD_COUNT; f++)
		if (!schema_fields[f].section && !strcmp(schema_fields[f].key, key))
			break;
	return f;
}

/* Every key in a mapping must be a plain scalar; reports what is not. */
static bool key_ok(struct validator *v, const struct ynode *key)
{
	const char *what;

	if (key->kind != YNODE_SCALAR) {
		node_error(v, key, "a key must be a plain name, not a list or a mapping");
		return false;
	}
	if (find_unsafe_char(key->value, key->len, &what) >= 0 || memchr(key->value, '\0', key->len)) {
		node_error(v, key, "unknown key with %s", what ? what : "a NUL byte");
		return false;
	}
	return true;
}

/* Records the user's node for every known key of a section; reports the rest. */
static void walk_section(struct validator *v, const struct ynode *sec_key, const struct ynode *map)
{
	const char *section = sec_key->value;

	if (ynode_is_null(map))
		return; /* "lan:" with nothing under it: all defaults */
	if (map->kind != YNODE_MAP) {
		node_error(v, map, "'%s' must be a mapping of keys to values", section);
		v->section_bad = true;
		return;
	}
	for (size_t i = 0; i < ynode_map_len(map); i++) {
		const struct ynode *key = ynode_map_key(map, i);
		size_t f;

		if (!key_ok(v, key))
			continue;
		for (f = 0; f < FLD_COUNT; f++)
			if (schema_fields[f].section && !strcmp(schema_fields[f].section, section) &&
			    !strcmp(schema_fields[f].key, key->value))
				break;
		if (f == FLD_COUNT)
			unknown_key(v, key, section);
		else
			v->node[f] = ynode_map_value(map, i);
	}
}

bool walk_tree(struct validator *v)
{
	const struct ynode *root = v->root;

	if (!root || ynode_is_null(root)) {
		diag_error(v->d, v->file, 1, 1, "the profile is empty; it needs at least vpn.server");
		return false;
	}
	if (root->kind != YNODE_MAP) {
		node_error(v, root, "the profile must be a mapping (key: value lines)");
		return false;
	}
	for (size_t i = 0; i < ynode_map_len(root); i++) {
		const struct ynode *key = ynode_map_key(root, i);

		if (!key_ok(v, key))
			continue;
		size_t f = top_level_field(key->value);

		if (f < FLD_COUNT)
			v->node[f] = ynode_map_value(root, i);
		else if (is_known_section(key->value))
			walk_section(v, key, ynode_map_value(root, i));
		else
			unknown_key(v, key, NULL);
	}
	return true;
}
