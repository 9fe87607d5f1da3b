#include "yaml_load.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util.h"

struct loader {
	const char *file;
	const char *text;
	size_t len;
	struct diag *d;
	yaml_parser_t parser;
	unsigned depth;
	unsigned errors;
};

static void load_error(struct loader *l, const yaml_mark_t *m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void load_error(struct loader *l, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(l->d, l->file, (unsigned)m->line + 1, (unsigned)m->column + 1, fmt, ap);
	va_end(ap);
	l->errors++;
}

static struct ynode *node_new(enum ynode_kind kind, const yaml_mark_t *m)
{
	struct ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	return n;
}

static void node_push(struct ynode *parent, struct ynode *child)
{
	parent->items = xgrow(parent->items, parent->n, sizeof(*parent->items));
	parent->items[parent->n++] = child;
}

void ynode_free(struct ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		ynode_free(n->items[i]);
	free(n->items);
	free(n->value);
	free(n);
}

/* Reader errors (bad UTF-8, control characters) carry a byte offset, the
 * others a mark. */
static void reader_error_position(const struct loader *l, unsigned *line, unsigned *col)
{
	*line = *col = 1;
	for (size_t i = 0; i < l->parser.problem_offset && i < l->len; i++) {
		if (l->text[i] == '\n')
			(*line)++, *col = 1;
		else if (((unsigned char)l->text[i] & 0xc0) != 0x80)
			(*col)++;
	}
}

/* Reports a syntax error from libyaml and returns false. */
static bool next_event(struct loader *l, yaml_event_t *ev)
{
	const char *problem;
	unsigned line, col;

	if (yaml_parser_parse(&l->parser, ev))
		return true;
	problem = l->parser.problem ? l->parser.problem : "syntax error";
	l->errors++;
	if (l->parser.error == YAML_READER_ERROR) {
		reader_error_position(l, &line, &col);
		if (l->parser.problem_value >= 0)
			diag_error(l->d, l->file, line, col, "%s (byte 0x%02x)", problem,
				   (unsigned)l->parser.problem_value & 0xff);
		else
			diag_error(l->d, l->file, line, col, "%s", problem);
		return false;
	}
	line = (unsigned)l->parser.problem_mark.line + 1;
	col = (unsigned)l->parser.problem_mark.column + 1;
	if (l->parser.context)
		diag_error(l->d, l->file, line, col, "%s %s", problem, l->parser.context);
	else
		diag_error(l->d, l->file, line, col, "%s", problem);
	return false;
}

static bool check_tag(struct loader *l, const yaml_mark_t *m, const yaml_char_t *tag)
{
	if (!tag)
		return true;
	load_error(l, m, "YAML tags such as '%s' are not supported", (const char *)tag);
	return false;
}

static struct ynode *load_node(struct loader *l, yaml_event_t *ev);

/* Loads the children of a sequence or mapping until its end event. */
static bool load_children(struct loader *l, struct ynode *parent, yaml_event_type_t end)
{
	for (;;) {
		yaml_event_t ev;
		struct ynode *child;

		if (!next_event(l, &ev))
			return false;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return true;
		}
		child = load_node(l, &ev);
		yaml_event_delete(&ev);
		if (!child)
			return false;
		node_push(parent, child);
	}
}

static int key_cmp(const void *a, const void *b)
{
	const struct ynode *x = *(const struct ynode *const *)a, *y = *(const struct ynode *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->value, y->value, n);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	/* Equal keys in document order, so the first one leads its run. */
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* Sorting keeps this O(n log n) for mappings with very many keys. */
static void check_duplicate_keys(struct loader *l, const struct ynode *map)
{
	size_t n = 0, count = ynode_map_len(map);
	const struct ynode **keys;

	if (count < 2)
		return;
	keys = xcalloc(count, sizeof(*keys));
	for (size_t i = 0; i < count; i++)
		if (ynode_map_key(map, i)->kind == YNODE_SCALAR)
			keys[n++] = ynode_map_key(map, i);
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 1, first = 0; i < n; i++) {
		if (keys[i]->len != keys[first]->len ||
		    memcmp(keys[i]->value, keys[first]->value, keys[i]->len)) {
			first = i;
			continue;
		}
		diag_error(l->d, l->file, keys[i]->line, keys[i]->col,
			   "duplicate key '%s' (first at line %u)", keys[i]->value, keys[first]->line);
		l->errors++;
	}
	free(keys);
}

static struct ynode *load_node(struct loader *l, yaml_event_t *ev)
{
	struct ynode *n = NULL;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		load_error(l, &ev->start_mark, "YAML aliases (*%s) are not supported",
			   (const char *)ev->data.alias.anchor);
		return NULL;
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor) {
			load_error(l, &ev->start_mark, "YAML anchors (&%s) are not supported",
				   (const char *)ev->data.scalar.anchor);
			return NULL;
		}
		if (!check_tag(l, &ev->start_mark, ev->data.scalar.tag))
			return NULL;
		n = node_new(YNODE_SCALAR, &ev->start_mark);
		n->value = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return n;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
		const yaml_char_t *anchor = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
		const yaml_char_t *tag = seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag;

		if (anchor) {
			load_error(l, &ev->start_mark, "YAML anchors (&%s) are not supported",
				   (const char *)anchor);
			return NULL;
		}
		if (!check_tag(l, &ev->start_mark, tag))
			return NULL;
		if (l->depth >= YAML_MAX_DEPTH) {
			load_error(l, &ev->start_mark, "nesting deeper than %d levels", YAML_MAX_DEPTH);
			return NULL;
		}
		n = node_new(seq ? YNODE_SEQ : YNODE_MAP, &ev->start_mark);
		l->depth++;
		if (!load_children(l, n, seq ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT)) {
			ynode_free(n);
			return NULL;
		}
		l->depth--;
		if (!seq)
			check_duplicate_keys(l, n);
		return n;
	}
	default:
		load_error(l, &ev->start_mark, "unexpected YAML event");
		return NULL;
	}
}

/* Expects the next event to be of the given type; anything else is a second
 * document or trailing content. */
static bool expect_event(struct loader *l, yaml_event_type_t type)
{
	yaml_event_t ev;
	bool ok;

	if (!next_event(l, &ev))
		return false;
	ok = ev.type == type;
	if (!ok)
		load_error(l, &ev.start_mark, "a profile holds one YAML document");
	yaml_event_delete(&ev);
	return ok;
}

unsigned yaml_load(const char *file, const char *text, size_t len, struct diag *d,
		   struct ynode **ret_root)
{
	struct loader l = { .file = file, .text = text, .len = len, .d = d };
	struct ynode *root = NULL;
	yaml_event_t ev;

	if (!yaml_parser_initialize(&l.parser)) {
		diag_error(d, file, 0, 0, "cannot initialise the YAML parser");
		return 1;
	}
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	if (!expect_event(&l, YAML_STREAM_START_EVENT))
		goto cleanup;
	if (!next_event(&l, &ev))
		goto cleanup;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		goto cleanup; /* empty file: no root */
	}
	yaml_event_delete(&ev); /* DOCUMENT-START */
	if (!next_event(&l, &ev))
		goto cleanup;
	root = load_node(&l, &ev);
	yaml_event_delete(&ev);
	if (!root)
		goto cleanup;
	if (!expect_event(&l, YAML_DOCUMENT_END_EVENT))
		goto cleanup;
	expect_event(&l, YAML_STREAM_END_EVENT);
cleanup:
	yaml_parser_delete(&l.parser);
	if (l.errors) {
		ynode_free(root);
		return l.errors;
	}
	*ret_root = root;
	return 0;
}

size_t ynode_map_len(const struct ynode *map)
{
	return map->n / 2;
}

const struct ynode *ynode_map_key(const struct ynode *map, size_t i)
{
	return map->items[2 * i];
}

const struct ynode *ynode_map_value(const struct ynode *map, size_t i)
{
	return map->items[2 * i + 1];
}

bool ynode_is_null(const struct ynode *n)
{
	return n->kind == YNODE_SCALAR && n->plain &&
	       (!n->len || !strcmp(n->value, "~") || !strcmp(n->value, "null") ||
		!strcmp(n->value, "Null") || !strcmp(n->value, "NULL"));
}
