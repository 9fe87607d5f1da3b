/* The outputs of one run as a transaction: every file and tree is first
 * written beside its place under a temporary name, and only when all of
 * them are written are they renamed into place, one after the other. A
 * failure before the commit leaves every previous output byte-identical
 * and no temporary file behind. */
#ifndef SCOUT_STAGE_H
#define SCOUT_STAGE_H

#include <stddef.h>

#include "overlay.h"

struct stage_item {
	char *tmp;   /* what was written */
	char *final; /* where it goes */
	int tree;    /* a directory tree, swapped in whole */
	unsigned mode; /* tmp NULL: final, a directory, gets this mode */
	int discard; /* final, when there, goes at the commit (a stale output) */
};

struct stage {
	struct stage_item *items;
	size_t n;
	char *scratch; /* a work directory of this run, removed at the end */
};

/* Each reports its own failure ("PATH: error: cannot write: ...") and
 * returns 0 or -1. */
/* DIR/NAME with data and mode; DIR is made when missing. */
int stage_file(struct stage *s, const char *dir, const char *name, const void *data, size_t len,
	       unsigned mode);
/* DIR/NAME written piece by piece: stage_open makes DIR when missing and
 * returns a fd to a temporary file beside DIR/NAME (0600), staged, or -1;
 * stage_close gives the file stage_open staged last its mode, syncs and
 * closes it. */
int stage_open(struct stage *s, const char *dir, const char *name);
int stage_close(struct stage *s, int fd, unsigned mode);
/* An existing file moved to DIR/NAME at the commit (one the run made in
 * its scratch directory). */
void stage_move(struct stage *s, const char *file, const char *dir, const char *name);
/* DIR/NAME as a directory tree holding the overlay's entries. */
int stage_tree(struct stage *s, const char *dir, const char *name, const struct overlay *o);
/* DIR for outputs that hold secrets: made 0700 when missing; when it
 * exists open to others, it is made 0700 at the commit, before anything
 * staged after this is renamed into it. */
int stage_private_dir(struct stage *s, const char *dir);
/* A work directory DIR/.scout-netgen.XXXXXX (DIR made when missing), in
 * s->scratch. */
int stage_scratch(struct stage *s, const char *dir);
/* PATH (a file or a tree), when there, removed at the commit: an output
 * of an earlier run that this run's outputs make stale. */
void stage_discard(struct stage *s, const char *path);
/* Renames everything into place, in the order staged. */
int stage_commit(struct stage *s);
/* Removes whatever is left (everything, when nothing was committed). */
void stage_free(struct stage *s);

#endif
