/* The exports for the expert's server and for the expert: each as a
 * directory tree to copy onto that machine and as an archive packed like
 * the overlay. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

static int write_entry(const char *root, const struct entry *e)
{
	char *path = xasprintf("%s/%s", root, e->path);
	int ret = 0, fd;

	switch (e->type) {
	case ENTRY_DIR:
		if (mkdir(path, 0700) < 0 || chmod(path, e->mode) < 0)
			ret = -errno;
		break;
	case ENTRY_SYMLINK:
		if (symlink(e->target, path) < 0)
			ret = -errno;
		break;
	case ENTRY_FILE:
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			ret = -errno;
			break;
		}
		if (write(fd, e->data, e->len) != (ssize_t)e->len || fchmod(fd, e->mode) < 0)
			ret = errno ? -errno : -EIO;
		if (close(fd) < 0 && !ret)
			ret = -errno;
		break;
	}
	free(path);
	return ret;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes the tree beside its place, then swaps it in: readers see the old
 * tree or the new one. Entries are sorted, so parents come first. */
static int write_tree(const struct overlay *o, const char *dir, const char *name)
{
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name), *final = xasprintf("%s/%s", dir, name);
	int ret = 0;

	if (!mkdtemp(tmp)) {
		ret = -errno;
		goto cleanup;
	}
	chmod(tmp, 0755);
	for (size_t i = 0; i < o->n && !ret; i++)
		ret = write_entry(tmp, &o->e[i]);
	if (!ret && renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_EXCHANGE) == 0)
		; /* tmp now holds the old tree */
	else if (!ret && errno == ENOENT && rename(tmp, final) == 0)
		tmp[0] = '\0';
	else if (!ret)
		ret = -errno;
	if (tmp[0])
		remove_tree(tmp);
cleanup:
	if (ret)
		fprintf(stderr, "%s: error: cannot write: %s\n", final, strerror(-ret));
	free(tmp);
	free(final);
	return ret;
}

int export_write(const struct overlay *o, const char *dir, const char *name, enum pack_format f,
		 int64_t mtime)
{
	char *exports = xasprintf("%s/exports", dir), *archive_name = xasprintf("%s.%s", name, pack_format_suffix(f));
	char *error = NULL;
	struct buf archive = { 0 };
	int ret = -1;

	if (pack_overlay(o, f, mtime, &archive, &error) < 0) {
		fprintf(stderr, "scout-netgen: %s\n", error);
		goto cleanup;
	}
	if (cli_write(exports, &archive_name, archive.data, archive.len) < 0 || write_tree(o, exports, name) < 0)
		goto cleanup;
	ret = 0;
cleanup:
	buf_free(&archive);
	free(error);
	free(archive_name);
	free(exports);
	return ret;
}
