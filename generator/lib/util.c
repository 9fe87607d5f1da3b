#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Every program links this library: the name is the one it runs as. */
static void oom(void)
{
	fprintf(stderr, "%s: out of memory\n", program_invocation_short_name);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	p = realloc(p, n && size ? n * size : 1);
	if (!p)
		oom();
	return p;
}

void *xgrow(void *p, size_t n, size_t size)
{
	if (n & (n - 1))
		return p; /* neither 0 nor a power of two: there is room */
	return xreallocarray(p, n ? 2 * n : 1, size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	int n;
	char *p;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		oom();
	p = xmalloc((size_t)n + 1);
	if (vsnprintf(p, (size_t)n + 1, fmt, ap) != n)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void buf_append(struct buf *b, const void *data, size_t n)
{
	if (n >= SIZE_MAX - b->len)
		oom();
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap = cap > SIZE_MAX / 2 ? b->len + n + 1 : cap * 2;
		b->data = xreallocarray(b->data, cap, 1);
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	buf_puts(b, s);
	free(s);
}

char *escape_text(const char *s, size_t len)
{
	struct buf b = { 0 };

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			buf_puts(&b, "\\\\");
		else if (c == '\n')
			buf_puts(&b, "\\n");
		else if (c == '\t')
			buf_puts(&b, "\\t");
		else if (c == '\r')
			buf_puts(&b, "\\r");
		else if (c < ' ' || c >= 0x7f)
			buf_printf(&b, "\\x%02x", c);
		else
			buf_append(&b, &c, 1);
	}
	return buf_steal(&b, NULL);
}

void print_error(const char *fmt, ...)
{
	va_list ap;
	char *raw, *text;

	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	text = escape_text(raw, strlen(raw));
	fprintf(stderr, "%s\n", text);
	free(text);
	free(raw);
}

char *buf_steal(struct buf *b, size_t *ret_len)
{
	char *p = b->data;

	if (!p)
		p = xstrdup("");
	if (ret_len)
		*ret_len = b->len;
	*b = (struct buf){ 0 };
	return p;
}

void buf_free(struct buf *b)
{
	free(b->data);
	*b = (struct buf){ 0 };
}

int read_file(const char *path, size_t max, char **ret_data, size_t *ret_len)
{
	struct buf b = { 0 };
	struct stat st;
	char chunk[65536];
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto cleanup;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		goto cleanup;
	}
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto cleanup;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			ret = -EFBIG;
			goto cleanup;
		}
		buf_append(&b, chunk, (size_t)n);
	}
	*ret_data = buf_steal(&b, ret_len);
	ret = 0;
cleanup:
	buf_free(&b);
	close(fd);
	return ret;
}

static int read_some(int fd, char *chunk, size_t max, size_t *ret_n)
{
	ssize_t n;

	while ((n = read(fd, chunk, max)) < 0)
		if (errno != EINTR)
			return -errno;
	*ret_n = (size_t)n;
	return 0;
}

int read_chunks(const char *path, size_t size, int (*fn)(void *ctx, const void *data, size_t len), void *ctx)
{
	char chunk[65536];
	struct stat st;
	size_t done = 0, n = 1;
	int ret = 0, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		ret = -errno;
	else if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != size)
		ret = -ESTALE;
	/* Until end of file, so that a file grown since fstat is noticed. */
	while (!ret && n) {
		ret = read_some(fd, chunk, sizeof(chunk), &n);
		if (!ret && (done += n) > size)
			ret = -ESTALE;
		if (!ret && n)
			ret = fn(ctx, chunk, n);
	}
	if (!ret && done != size)
		ret = -ESTALE;
	close(fd);
	return ret;
}

int write_fd(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The one writer behind every output: all of data (a short write is
 * retried), then the mode (independent of the umask), then fsync, then
 * close. Returns 0 or a negative errno; the fd is closed either way. */
static int finish_file(int fd, const void *data, size_t len, unsigned mode)
{
	int ret = write_fd(fd, data, len);

	if (ret) {
		close(fd);
		return ret;
	}
	return finish_fd(fd, mode);
}

int finish_fd(int fd, unsigned mode)
{
	int ret = 0;

	if (fchmod(fd, mode) < 0)
		ret = -errno;
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	return ret;
}

int write_file_new(const char *path, const void *data, size_t len, unsigned mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), ret;

	if (fd < 0)
		return -errno;
	ret = finish_file(fd, data, len, mode);
	if (ret)
		unlink(path);
	return ret;
}

static int to_fd(void *ctx, const void *data, size_t len)
{
	return write_fd(*(int *)ctx, data, len);
}

int copy_file_new(const char *path, const char *src, size_t size, unsigned mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), ret;

	if (fd < 0)
		return -errno;
	ret = read_chunks(src, size, to_fd, &fd);
	ret = ret ? (close(fd), ret) : finish_fd(fd, mode);
	if (ret)
		unlink(path);
	return ret;
}

int open_temp(const char *path, char **ret_tmp)
{
	const char *slash = strrchr(path, '/');
	char *tmp;
	int fd;

	if (slash)
		tmp = xasprintf("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
	else
		tmp = xasprintf(".%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		free(tmp);
		return fd;
	}
	*ret_tmp = tmp;
	return fd;
}

char *write_file_temp(const char *path, const void *data, size_t len, unsigned mode, int *ret_err)
{
	char *tmp = NULL;
	int fd = open_temp(path, &tmp), r;

	r = fd < 0 ? fd : finish_file(fd, data, len, mode);
	if (r) {
		if (fd >= 0 && tmp)
			unlink(tmp);
		free(tmp);
		*ret_err = r;
		return NULL;
	}
	return tmp;
}

int write_file_atomic(const char *path, const void *data, size_t len, unsigned mode)
{
	int ret = 0;
	char *tmp = write_file_temp(path, data, len, mode, &ret);

	if (!tmp)
		return ret;
	if (rename(tmp, path) < 0) {
		ret = -errno;
		unlink(tmp);
	}
	free(tmp);
	return ret;
}

int mkdir_p(const char *dir, unsigned mode)
{
	char *path = xstrdup(dir);
	struct stat st;
	int ret = 0;

	if (!*dir) {
		free(path);
		return -ENOENT;
	}
	for (char *p = path + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(path, mode) < 0 && errno != EEXIST) {
			ret = -errno;
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	if (!ret && (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)))
		ret = -ENOTDIR; /* a file of that name is in the way */
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

void remove_tree(const char *path)
{
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

extern char **environ;

int program_spawn(char *const argv[], int out_fd, int err_fd, bool signals_default, pid_t *ret_pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int r;

	r = posix_spawn_file_actions_init(&fa);
	if (r)
		return r;
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (out_fd < 0)
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	else
		posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	if (err_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, err_fd, STDERR_FILENO);
	if (signals_default) {
		posix_spawnattr_init(&attr);
		sigemptyset(&none);
		sigfillset(&all);
		posix_spawnattr_setsigmask(&attr, &none);
		posix_spawnattr_setsigdefault(&attr, &all);
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	}
	r = strchr(argv[0], '/') ? posix_spawn(ret_pid, argv[0], &fa, signals_default ? &attr : NULL, argv, environ)
				 : posix_spawnp(ret_pid, argv[0], &fa, signals_default ? &attr : NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (signals_default)
		posix_spawnattr_destroy(&attr);
	return r;
}

int program_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_program(char *const argv[])
{
	pid_t pid;
	int r = program_spawn(argv, -1, -1, false, &pid);

	if (r) {
		errno = r;
		return -1;
	}
	return program_wait(pid);
}
