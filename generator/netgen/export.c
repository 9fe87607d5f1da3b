/* The archives a build writes: the overlay, and the exports for the
 * expert's server and for the expert, each as a directory tree to copy
 * onto that machine and as an archive packed like the overlay. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "export.h"
#include "util.h"

int archive_stage(struct stage *s, const struct overlay *o, const char *dir, const char *name,
		  enum pack_format f, int64_t mtime, struct pack_out *ret)
{
	char *path = xasprintf("%s/%s", dir, name);
	int fd = stage_open(s, dir, name), r = -1;

	*ret = (struct pack_out){ .fd = fd, .path = path };
	if (fd >= 0 && pack_overlay(o, f, mtime, ret) < 0)
		close(fd);
	else if (fd >= 0)
		r = stage_close(s, fd, overlay_archive_mode(o));
	ret->path = NULL;
	free(path);
	return r;
}

int export_stage(struct stage *s, const struct overlay *o, const char *dir, const char *name,
		 enum pack_format f, int64_t mtime)
{
	char *exports = xasprintf("%s/exports", dir), *archive_name = xasprintf("%s.%s", name, pack_format_suffix(f));
	struct pack_out archive;
	int ret = -1;

	/* exports/ holds the server's and the expert's keys. */
	if (stage_private_dir(s, exports) < 0 ||
	    archive_stage(s, o, exports, archive_name, f, mtime, &archive) < 0 ||
	    stage_tree(s, exports, name, o) < 0)
		goto cleanup;
	ret = 0;
cleanup:
	free(archive_name);
	free(exports);
	return ret;
}
