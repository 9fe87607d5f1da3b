#include "template.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

void tvars_set(struct tvars *vars, const char *name, const char *value)
{
	vars->v = xgrow(vars->v, vars->n, sizeof(*vars->v));
	vars->v[vars->n++] = (struct tvar){ .name = xstrdup(name), .value = xstrdup(value) };
}

void tvars_set_list(struct tvars *vars, const char *name, char *const *items, size_t n)
{
	struct tvar t = { .name = xstrdup(name), .n_items = n };

	t.items = xcalloc(n, sizeof(*t.items));
	for (size_t i = 0; i < n; i++)
		t.items[i] = xstrdup(items[i]);
	vars->v = xgrow(vars->v, vars->n, sizeof(*vars->v));
	vars->v[vars->n++] = t;
}

void tvars_free(struct tvars *vars)
{
	for (size_t i = 0; i < vars->n; i++) {
		free(vars->v[i].name);
		/* Values may be keys (WireGuard's, in the exports' configs). */
		if (vars->v[i].value)
			explicit_bzero(vars->v[i].value, strlen(vars->v[i].value));
		free(vars->v[i].value);
		for (size_t j = 0; j < vars->v[i].n_items; j++)
			free(vars->v[i].items[j]);
		free(vars->v[i].items);
	}
	free(vars->v);
	*vars = (struct tvars){ 0 };
}

struct renderer {
	const char *file;
	const char *text;
	size_t len;
	const struct tvars *vars;
	struct diag *d;
	struct buf *out;
	unsigned errors;
};

struct tag {
	size_t start, end;   /* offsets of "{{" and just past "}}" */
	char kind;           /* '#', '/', '.', or 'v' for a variable */
	char name[64];
};

static void error_at(struct renderer *r, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void error_at(struct renderer *r, size_t off, const char *fmt, ...)
{
	unsigned line = 1, col = 1;
	va_list ap;

	for (size_t i = 0; i < off && i < r->len; i++) {
		if (r->text[i] == '\n')
			line++, col = 1;
		else
			col++;
	}
	va_start(ap, fmt);
	diag_verror(r->d, r->file, line, col, fmt, ap);
	va_end(ap);
	r->errors++;
}

static const struct tvar *lookup(const struct renderer *r, const char *name)
{
	for (size_t i = 0; i < r->vars->n; i++)
		if (!strcmp(r->vars->v[i].name, name))
			return &r->vars->v[i];
	return NULL;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* Parses the tag at off ("{{"). Returns false after reporting a malformed one. */
static bool parse_tag(struct renderer *r, size_t off, struct tag *t)
{
	size_t i = off + 2, name_start, name_len;

	t->start = off;
	while (i < r->len && r->text[i] == ' ')
		i++;
	t->kind = 'v';
	if (i < r->len && (r->text[i] == '#' || r->text[i] == '/'))
		t->kind = r->text[i++];
	name_start = i;
	while (i < r->len && is_name_char(r->text[i]))
		i++;
	name_len = i - name_start;
	while (i < r->len && r->text[i] == ' ')
		i++;
	if (i + 1 >= r->len || r->text[i] != '}' || r->text[i + 1] != '}') {
		error_at(r, off, "malformed tag: expected {{name}}, {{#name}}, {{/name}} or {{.}}");
		return false;
	}
	if (!name_len || name_len >= sizeof(t->name)) {
		error_at(r, off, "malformed tag: %s variable name", name_len ? "overlong" : "missing");
		return false;
	}
	memcpy(t->name, r->text + name_start, name_len);
	t->name[name_len] = '\0';
	if (t->kind == 'v' && !strcmp(t->name, "."))
		t->kind = '.';
	t->end = i + 2;
	return true;
}

/* A section tag alone on its line: returns the span of the whole line. */
static void standalone(const struct renderer *r, const struct tag *t, size_t *ret_from, size_t *ret_to)
{
	size_t from = t->start, to = t->end;

	while (from > 0 && (r->text[from - 1] == ' ' || r->text[from - 1] == '\t'))
		from--;
	while (to < r->len && (r->text[to] == ' ' || r->text[to] == '\t'))
		to++;
	if ((from == 0 || r->text[from - 1] == '\n') && (to == r->len || r->text[to] == '\n')) {
		*ret_from = from;
		*ret_to = to < r->len ? to + 1 : to;
	} else {
		*ret_from = t->start;
		*ret_to = t->end;
	}
}

static void emit_value(struct renderer *r, const struct tag *t, const char *value)
{
	const char *what;

	if (find_unsafe_char(value, strlen(value), &what) >= 0) {
		error_at(r, t->start, "the value of '%s' contains a character that must not reach a rendered file",
			 t->name);
		return;
	}
	buf_puts(r->out, value);
}

/* Renders text[from, to); item is the current list item inside a section. */
static void render_span(struct renderer *r, size_t from, size_t to, const char *item);

static size_t render_section(struct renderer *r, const struct tag *open, size_t body_start, size_t limit)
{
	const struct tvar *var = lookup(r, open->name);
	size_t i = body_start, body_end, after;
	struct tag close;

	/* Find the matching close tag; nested sections are refused. */
	for (;;) {
		const char *p = memmem(r->text + i, limit - i, "{{", 2);

		if (!p) {
			error_at(r, open->start, "section '%s' is never closed", open->name);
			return limit;
		}
		if (!parse_tag(r, (size_t)(p - r->text), &close))
			return limit;
		if (close.kind == '#') {
			error_at(r, close.start, "sections do not nest ('%s' inside another section)", close.name);
			return limit;
		}
		if (close.kind == '/')
			break;
		i = close.end;
	}
	if (strcmp(close.name, open->name)) {
		error_at(r, close.start, "'%s' closes a section that was not opened here", close.name);
		return limit;
	}
	standalone(r, &close, &body_end, &after);
	if (!var)
		error_at(r, open->start, "unknown variable '%s'", open->name);
	else if (var->value)
		error_at(r, open->start, "'%s' is not a list; use {{%s}}", open->name, open->name);
	else
		for (size_t k = 0; k < var->n_items; k++)
			render_span(r, body_start, body_end, var->items[k]);
	return after;
}

static void render_span(struct renderer *r, size_t from, size_t to, const char *item)
{
	size_t i = from;

	while (i < to) {
		const char *p = memmem(r->text + i, to - i, "{{", 2);
		struct tag t;
		const struct tvar *var;

		if (!p) {
			buf_append(r->out, r->text + i, to - i);
			return;
		}
		if (!parse_tag(r, (size_t)(p - r->text), &t))
			return;
		if (t.kind == '#' || t.kind == '/') {
			size_t line_from, line_to;

			standalone(r, &t, &line_from, &line_to);
			buf_append(r->out, r->text + i, line_from - i);
			if (t.kind == '/') {
				error_at(r, t.start, "'%s' closes a section that was never opened", t.name);
				return;
			}
			if (item) {
				error_at(r, t.start, "sections do not nest ('%s' inside another section)", t.name);
				return;
			}
			i = render_section(r, &t, line_to, to);
			continue;
		}
		buf_append(r->out, r->text + i, t.start - i);
		i = t.end;
		if (t.kind == '.') {
			if (item)
				emit_value(r, &t, item);
			else
				error_at(r, t.start, "{{.}} is only meaningful inside a section");
			continue;
		}
		var = lookup(r, t.name);
		if (!var)
			error_at(r, t.start, "unknown variable '%s'", t.name);
		else if (!var->value)
			error_at(r, t.start, "'%s' is a list; use a section {{#%s}}...{{/%s}}", t.name, t.name, t.name);
		else
			emit_value(r, &t, var->value);
	}
}

unsigned template_render(const char *file, const char *text, size_t len, const struct tvars *vars,
			 struct diag *d, struct buf *out)
{
	struct renderer r = { .file = file, .text = text, .len = len, .vars = vars, .d = d, .out = out };

	if (memchr(text, '\0', len)) {
		diag_error(d, file, 0, 0, "a template must be text; this one holds a NUL byte");
		return 1;
	}
	render_span(&r, 0, len, NULL);
	return r.errors;
}
