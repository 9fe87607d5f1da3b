#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct diag_msg {
	char *file;
	unsigned line, col;
	size_t seq;
	char *text;
};

static void hold(struct diag *d, const char *kind, const char *file, unsigned line,
		 unsigned col, const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void hold(struct diag *d, const char *kind, const char *file, unsigned line,
		 unsigned col, const char *fmt, va_list ap)
{
	struct diag_msg *m;
	struct buf b = { 0 };
	char *text;

	if (!d->stream)
		return;
	if (line)
		buf_printf(&b, "%s:%u:%u: %s: ", file, line, col, kind);
	else
		buf_printf(&b, "%s: %s: ", file, kind);
	text = xvasprintf(fmt, ap);
	buf_puts(&b, text);
	free(text);
	d->held = xgrow(d->held, d->n_held, sizeof(*d->held));
	m = &d->held[d->n_held];
	*m = (struct diag_msg){ .file = xstrdup(file), .line = line, .col = col, .seq = d->n_held };
	/* The whole line, file name included: any part of it may come from
	 * an input (a key, a resource's name, a link's target), and the line
	 * goes to the builder's terminal. */
	m->text = escape_text(b.data, b.len);
	buf_free(&b);
	d->n_held++;
}

void diag_verror(struct diag *d, const char *file, unsigned line, unsigned col,
		 const char *fmt, va_list ap)
{
	d->errors++;
	hold(d, "error", file, line, col, fmt, ap);
}

void diag_error(struct diag *d, const char *file, unsigned line, unsigned col,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(d, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diag *d, const char *file, unsigned line, unsigned col,
		  const char *fmt, ...)
{
	va_list ap;

	d->warnings++;
	va_start(ap, fmt);
	hold(d, "warning", file, line, col, fmt, ap);
	va_end(ap);
}

static int msg_cmp(const void *a, const void *b)
{
	const struct diag_msg *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_flush(struct diag *d)
{
	if (d->n_held)
		qsort(d->held, d->n_held, sizeof(*d->held), msg_cmp);
	for (size_t i = 0; i < d->n_held; i++) {
		fprintf(d->stream, "%s\n", d->held[i].text);
		free(d->held[i].text);
		free(d->held[i].file);
	}
	if (d->stream)
		fflush(d->stream);
	free(d->held);
	d->held = NULL;
	d->n_held = 0;
}
