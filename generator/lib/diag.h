/* The one way the generator reports problems in its inputs:
 * FILE:LINE:COL: error: message (1-based line and column).
 * Messages are held until diag_flush(), which prints them in file order. */
#ifndef SCOUT_DIAG_H
#define SCOUT_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct diag_msg;

struct diag {
	FILE *stream;   /* NULL: count only (fuzzers, unit tests) */
	unsigned errors;
	unsigned warnings;
	struct diag_msg *held;
	size_t n_held;
};

/* line 0 means "the whole file": FILE: error: message. */
void diag_error(struct diag *d, const char *file, unsigned line, unsigned col,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same with a va_list, for the stages' own reporting wrappers. */
void diag_verror(struct diag *d, const char *file, unsigned line, unsigned col,
		 const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
void diag_warning(struct diag *d, const char *file, unsigned line, unsigned col,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Prints the held messages sorted by file, line and column (stable), and
 * forgets them. */
void diag_flush(struct diag *d);

#endif
