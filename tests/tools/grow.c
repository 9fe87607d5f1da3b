/* LD_PRELOAD shim for the tests: a resource that changes between the
 * build's listing of it and its packing. The GROW_AT-th open (2 by
 * default: the listing opens it once to see it can be read, the packing
 * again) of the file named GROW_PATH makes it one byte longer first, so
 * the change lands at the same point in every run. */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void maybe_grow(const char *path)
{
	static int seen;
	const char *want = getenv("GROW_PATH"), *at = getenv("GROW_AT");
	struct stat st;

	if (!want || !path || strcmp(path, want) || ++seen != (at ? atoi(at) : 2))
		return;
	if (stat(path, &st) == 0 && truncate(path, st.st_size + 1) != 0)
		abort();
}

int open(const char *path, int flags, ...)
{
	int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	maybe_grow(path);
	return real(path, flags, mode);
}
