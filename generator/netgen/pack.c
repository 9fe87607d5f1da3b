#include "pack.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "digest.h"
#include "util.h"

/* What the write callback and the file reader share. */
struct packer {
	struct archive *a;
	struct pack_out *out;
	struct sha256 *sum;
	int write_err; /* errno of a failed write to out->fd */
	bool failed;   /* nothing more is written */
};

static const char *const suffixes[] = {
	[PACK_TAR] = "tar",
	[PACK_TAR_GZ] = "tar.gz",
	[PACK_TAR_ZST] = "tar.zst",
};

int pack_format_parse(const char *s, enum pack_format *ret)
{
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++)
		if (!strcmp(s, suffixes[i])) {
			*ret = (enum pack_format)i;
			return 0;
		}
	return -1;
}

const char *pack_format_suffix(enum pack_format f)
{
	return suffixes[f];
}

static la_ssize_t to_fd(struct archive *a, void *ctx, const void *data, size_t len)
{
	struct packer *p = ctx;
	int r = p->failed ? -ECANCELED : write_fd(p->out->fd, data, len);

	if (r < 0) {
		p->write_err = -r;
		archive_set_error(a, -r, "%s", strerror(-r));
		return -1;
	}
	sha256_update(p->sum, data, len);
	p->out->size += len;
	return (la_ssize_t)len;
}

static int to_archive(void *ctx, const void *data, size_t len)
{
	struct packer *p = ctx;

	return archive_write_data(p->a, data, len) == (la_ssize_t)len ? 0 : -ECANCELED;
}

/* The contents of e, from memory or from its file. */
static int write_contents(struct packer *p, const struct entry *e)
{
	int r;

	if (!e->src)
		return !e->len || archive_write_data(p->a, e->data, e->len) == (la_ssize_t)e->len ? 0 : -1;
	r = read_chunks(e->src, e->len, to_archive, p);
	if (r == -ECANCELED || !r)
		return r ? -1 : 0;
	fprintf(stderr, "%s: error: %s\n", e->src,
		r == -ESTALE ? "changed while the build read it" : strerror(-r));
	return -2; /* reported */
}

static int set_filter(struct archive *a, enum pack_format f)
{
	switch (f) {
	case PACK_TAR:
		return ARCHIVE_OK;
	case PACK_TAR_GZ:
		/* gzip stores the time of compression unless told not to. */
		if (archive_write_add_filter_gzip(a) != ARCHIVE_OK)
			return ARCHIVE_FATAL;
		return archive_write_set_filter_option(a, "gzip", "timestamp", NULL);
	case PACK_TAR_ZST:
		return archive_write_add_filter_zstd(a);
	}
	return ARCHIVE_FATAL;
}

static int write_entry(struct packer *p, struct archive_entry *ae, const struct entry *e, int64_t mtime)
{
	struct archive *a = p->a;
	static const unsigned types[] = {
		[ENTRY_DIR] = AE_IFDIR, [ENTRY_FILE] = AE_IFREG, [ENTRY_SYMLINK] = AE_IFLNK,
	};

	archive_entry_clear(ae);
	archive_entry_set_pathname(ae, e->path);
	archive_entry_set_filetype(ae, types[e->type]);
	archive_entry_set_perm(ae, e->mode);
	archive_entry_set_uid(ae, e->owner);
	archive_entry_set_gid(ae, e->owner);
	/* Names only for root: tar would map another name to whatever id it
	 * has on the machine that unpacks; the container's ids are numbers. */
	if (!e->owner) {
		archive_entry_set_uname(ae, "root");
		archive_entry_set_gname(ae, "root");
	}
	archive_entry_set_mtime(ae, (time_t)mtime, 0);
	archive_entry_set_size(ae, e->type == ENTRY_FILE ? (la_int64_t)e->len : 0);
	if (e->type == ENTRY_SYMLINK)
		archive_entry_set_symlink(ae, e->target);
	if (archive_write_header(a, ae) != ARCHIVE_OK)
		return -1;
	return e->type == ENTRY_FILE ? write_contents(p, e) : 0;
}

int pack_overlay(const struct overlay *o, enum pack_format f, int64_t mtime, struct pack_out *out)
{
	struct packer p = { .a = archive_write_new(), .out = out, .sum = sha256_new() };
	struct archive_entry *ae = archive_entry_new();
	int r = -1;

	out->size = 0;
	/* pax adds extended headers only for what ustar cannot hold (long
	 * names); atime and ctime are never set, so none is recorded. */
	if (p.a && ae && archive_write_set_format_pax_restricted(p.a) == ARCHIVE_OK &&
	    set_filter(p.a, f) == ARCHIVE_OK &&
	    /* Block padding is for tape; after compression it would only be
	     * trailing garbage for gzip and zstd to skip. */
	    (f == PACK_TAR || archive_write_set_bytes_in_last_block(p.a, 1) == ARCHIVE_OK) &&
	    archive_write_open2(p.a, &p, NULL, to_fd, NULL, NULL) == ARCHIVE_OK)
		r = 0;
	for (size_t i = 0; i < o->n && !r; i++)
		r = write_entry(&p, ae, &o->e[i], mtime);
	if (!r && archive_write_close(p.a) != ARCHIVE_OK)
		r = -1;
	if (r == -1 && p.write_err)
		fprintf(stderr, "%s: error: cannot write: %s\n", out->path, strerror(p.write_err));
	else if (r == -1)
		fprintf(stderr, "%s: error: cannot write the archive: %s\n", out->path,
			p.a && archive_error_string(p.a) ? archive_error_string(p.a) : "cannot allocate");
	/* After a failure, freeing must not finish the archive (archive_write_fail
	 * would leak libarchive's buffers). */
	p.failed = r != 0;
	archive_entry_free(ae);
	archive_write_free(p.a);
	sha256_final_hex(p.sum, out->sha256);
	return r ? -1 : 0;
}
