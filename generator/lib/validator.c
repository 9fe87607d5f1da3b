#include "validator.h"

#include <stdarg.h>

void node_error(struct validator *v, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(v->d, v->file, n ? n->line : 1, n ? n->col : 1, fmt, ap);
	va_end(ap);
}
