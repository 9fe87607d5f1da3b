/* A fleet scout's copy of the profile, for its owner's console: the
 * builder's profile with every other scout taken out of scouts:, so the
 * owner of one case never reads the names and addresses of the team's
 * other cases. libyaml's document API loads, edits and dumps it; the
 * comments go, the rest is the builder's. */
#include "fleet_profile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yaml_load.h"

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The value of key in mapping node m, or NULL. */
static yaml_node_t *map_get(yaml_document_t *doc, yaml_node_t *m, const char *key)
{
	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++) {
		const char *k = scalar(yaml_document_get_node(doc, pr->key));

		if (k && !strcmp(k, key))
			return yaml_document_get_node(doc, pr->value);
	}
	return NULL;
}

static int write_out(void *data, unsigned char *bytes, size_t size)
{
	buf_append(data, bytes, size);
	return 1;
}

int fleet_profile_text(const char *path, const char *name, struct buf *ret)
{
	char *text = NULL;
	size_t len = 0;
	int r = read_file(path, PROFILE_MAX_BYTES, &text, &len), ok;
	yaml_parser_t parser;
	yaml_emitter_t emitter;
	yaml_document_t doc;
	yaml_node_t *seq;

	if (r < 0)
		return r;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	ok = yaml_parser_load(&parser, &doc);
	yaml_parser_delete(&parser);
	free(text);
	/* The profile was loaded and checked before: a failure here is not
	 * the builder's input but memory. */
	if (!ok || !yaml_document_get_root_node(&doc)) {
		if (ok)
			yaml_document_delete(&doc);
		return -EINVAL;
	}
	seq = map_get(&doc, yaml_document_get_root_node(&doc), "scouts");
	if (seq && seq->type == YAML_SEQUENCE_NODE) {
		yaml_node_item_t *w = seq->data.sequence.items.start;

		for (yaml_node_item_t *it = w; it < seq->data.sequence.items.top; it++) {
			const char *n = scalar(map_get(&doc, yaml_document_get_node(&doc, *it), "name"));

			if (n && !strcmp(n, name))
				*w++ = *it;
		}
		seq->data.sequence.items.top = w;
	}
	yaml_emitter_initialize(&emitter);
	yaml_emitter_set_output(&emitter, write_out, ret);
	yaml_emitter_set_unicode(&emitter, 1);
	yaml_emitter_set_width(&emitter, -1);
	/* yaml_emitter_dump destroys the document, failing or not. */
	ok = yaml_emitter_open(&emitter) && yaml_emitter_dump(&emitter, &doc) && yaml_emitter_close(&emitter) &&
	     yaml_emitter_flush(&emitter);
	yaml_emitter_delete(&emitter);
	return ok ? 0 : -ENOMEM;
}
