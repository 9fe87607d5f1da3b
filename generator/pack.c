#include "pack.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>
#include <sys/stat.h>

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

static la_ssize_t to_buf(struct archive *a, void *ctx, const void *data, size_t len)
{
	(void)a;
	buf_append(ctx, data, len);
	return (la_ssize_t)len;
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

static int write_entry(struct archive *a, struct archive_entry *ae, const struct entry *e,
		       int64_t mtime)
{
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
	if (e->type == ENTRY_FILE && e->len &&
	    archive_write_data(a, e->data, e->len) != (la_ssize_t)e->len)
		return -1;
	return 0;
}

int pack_overlay(const struct overlay *o, enum pack_format f, int64_t mtime, struct buf *out,
		 char **ret_error)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ae = archive_entry_new();
	struct buf b = { 0 };
	int ret = -1;

	if (!a || !ae) {
		*ret_error = xstrdup("cannot allocate the archive writer");
		goto cleanup;
	}
	/* pax adds extended headers only for what ustar cannot hold (long
	 * names); atime and ctime are never set, so none is recorded. */
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    set_filter(a, f) != ARCHIVE_OK ||
	    /* Block padding is for tape; after compression it would only be
	     * trailing garbage for gzip and zstd to skip. */
	    (f != PACK_TAR && archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK) ||
	    archive_write_open2(a, &b, NULL, to_buf, NULL, NULL) != ARCHIVE_OK)
		goto fail;
	for (size_t i = 0; i < o->n; i++)
		if (write_entry(a, ae, &o->e[i], mtime) < 0)
			goto fail;
	if (archive_write_close(a) != ARCHIVE_OK)
		goto fail;
	*out = b;
	b = (struct buf){ 0 };
	ret = 0;
	goto cleanup;
fail:
	*ret_error = xasprintf("cannot write the archive: %s",
			       archive_error_string(a) ? archive_error_string(a) : "unknown error");
cleanup:
	buf_free(&b);
	archive_entry_free(ae);
	archive_write_free(a);
	return ret;
}
