#include "stage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int report(const char *path, int err)
{
	print_error("%s: error: cannot write: %s", path, strerror(err));
	return -1;
}

static void add(struct stage *s, char *tmp, char *final, int tree)
{
	s->items = xgrow(s->items, s->n, sizeof(*s->items));
	s->items[s->n++] = (struct stage_item){ .tmp = tmp, .final = final, .tree = tree };
}

int stage_file(struct stage *s, const char *dir, const char *name, const void *data, size_t len,
	       unsigned mode)
{
	char *final = xasprintf("%s/%s", dir, name), *tmp = NULL;
	int r = mkdir_p(dir, 0755);

	if (r < 0) {
		free(final);
		return report(dir, -r);
	}
	tmp = write_file_temp(final, data, len, mode, &r);
	if (!tmp) {
		report(final, -r);
		free(final);
		return -1;
	}
	add(s, tmp, final, 0);
	return 0;
}

int stage_open(struct stage *s, const char *dir, const char *name)
{
	char *final = xasprintf("%s/%s", dir, name), *tmp = NULL;
	int r = mkdir_p(dir, 0755), fd;

	if (r < 0) {
		free(final);
		return report(dir, -r);
	}
	fd = open_temp(final, &tmp);
	if (fd < 0) {
		report(final, -fd);
		free(final);
		return -1;
	}
	add(s, tmp, final, 0);
	return fd;
}

int stage_close(struct stage *s, int fd, unsigned mode)
{
	int r = finish_fd(fd, mode);

	return r < 0 ? report(s->items[s->n - 1].final, -r) : 0;
}

void stage_move(struct stage *s, const char *file, const char *dir, const char *name)
{
	add(s, xstrdup(file), xasprintf("%s/%s", dir, name), 0);
}

static int write_entry(const char *root, const struct entry *e)
{
	char *path = xasprintf("%s/%s", root, e->path);
	int ret = 0;

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
		ret = e->src ? copy_file_new(path, e->src, e->len, e->mode) : write_file_new(path, e->data, e->len, e->mode);
		break;
	}
	if (ret)
		report(path, -ret);
	free(path);
	return ret;
}

int stage_tree(struct stage *s, const char *dir, const char *name, const struct overlay *o)
{
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	int r = mkdir_p(dir, 0755);

	if (r < 0 || !mkdtemp(tmp)) {
		report(dir, r < 0 ? -r : errno);
		free(tmp);
		return -1;
	}
	/* Entries are sorted, so parents come first. */
	r = chmod(tmp, 0755) < 0 ? report(tmp, errno) : 0;
	for (size_t i = 0; i < o->n && !r; i++)
		r = write_entry(tmp, &o->e[i]);
	add(s, tmp, xasprintf("%s/%s", dir, name), 1);
	return r;
}

void stage_discard(struct stage *s, const char *path)
{
	add(s, NULL, xstrdup(path), 1);
	s->items[s->n - 1].discard = 1;
}

int stage_private_dir(struct stage *s, const char *dir)
{
	struct stat st;
	int r = mkdir_p(dir, 0700);

	if (r < 0 || lstat(dir, &st) < 0)
		return report(dir, r < 0 ? -r : errno);
	if (st.st_mode & 077) {
		add(s, NULL, xstrdup(dir), 0);
		s->items[s->n - 1].mode = 0700;
	}
	return 0;
}

int stage_scratch(struct stage *s, const char *dir)
{
	char *tmp = xasprintf("%s/.scout-netgen.XXXXXX", dir);
	int r = mkdir_p(dir, 0755);

	if (r < 0 || !mkdtemp(tmp)) {
		report(dir, r < 0 ? -r : errno);
		free(tmp);
		return -1;
	}
	s->scratch = tmp;
	return 0;
}

/* A tree is swapped with the old one, which then goes; a file replaces
 * the old one in one rename. */
static int commit_one(struct stage_item *it)
{
	if (it->discard) {
		/* Out of the way in one rename; stage_free removes it. */
		char *old = xasprintf("%s.old.%ld", it->final, (long)getpid());

		if (rename(it->final, old) < 0) {
			int e = errno;

			free(old);
			return e == ENOENT ? 0 : -e;
		}
		it->tmp = old;
		return 0;
	}
	if (!it->tmp)
		return chmod(it->final, it->mode) < 0 ? -errno : 0;
	if (!it->tree) {
		if (rename(it->tmp, it->final) < 0)
			return -errno;
		free(it->tmp);
		it->tmp = NULL;
		return 0;
	}
	if (renameat2(AT_FDCWD, it->tmp, AT_FDCWD, it->final, RENAME_EXCHANGE) == 0)
		return 0; /* it->tmp now holds the old tree, removed by stage_free */
	if (errno != ENOENT || rename(it->tmp, it->final) < 0)
		return -errno;
	free(it->tmp);
	it->tmp = NULL;
	return 0;
}

int stage_commit(struct stage *s)
{
	for (size_t i = 0; i < s->n; i++) {
		int r = commit_one(&s->items[i]);

		if (r < 0)
			return report(s->items[i].final, -r);
	}
	return 0;
}

void stage_free(struct stage *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->items[i].tmp && s->items[i].tree)
			remove_tree(s->items[i].tmp);
		else if (s->items[i].tmp)
			unlink(s->items[i].tmp);
		free(s->items[i].tmp);
		free(s->items[i].final);
	}
	if (s->scratch)
		remove_tree(s->scratch);
	free(s->scratch);
	free(s->items);
	*s = (struct stage){ 0 };
}
