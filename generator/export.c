/* The exports for the expert's server and for the expert: each as a
 * directory tree to copy onto that machine and as an archive packed like
 * the overlay. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "util.h"

int export_stage(struct stage *s, const struct overlay *o, const char *dir, const char *name,
		 enum pack_format f, int64_t mtime)
{
	char *exports = xasprintf("%s/exports", dir), *archive_name = xasprintf("%s.%s", name, pack_format_suffix(f));
	char *error = NULL;
	struct buf archive = { 0 };
	int ret = -1;

	if (pack_overlay(o, f, mtime, &archive, &error) < 0) {
		fprintf(stderr, "scout-netgen: %s\n", error);
		goto cleanup;
	}
	/* exports/ holds the server's and the expert's keys. */
	if (stage_private_dir(s, exports) < 0 ||
	    stage_file(s, exports, archive_name, archive.data, archive.len, overlay_archive_mode(o)) < 0 ||
	    stage_tree(s, exports, name, o) < 0)
		goto cleanup;
	ret = 0;
cleanup:
	buf_free(&archive);
	free(error);
	free(archive_name);
	free(exports);
	return ret;
}
