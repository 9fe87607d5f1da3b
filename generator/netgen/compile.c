/* host-iptables is compiled for each profile: its rule set is C tables;
 * scout-console, the same for every profile, is linked beside it. The
 * generator writes the tables and runs the source tree's Makefile with an
 * argv (no shell), so CC (a cross compiler, say) and CFLAGS apply as for
 * any make. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_rules.h"
#include "compile.h"
#include "util.h"

/* The tree this generator was built in: the running program is
 * TOP/generator/scout-netgen (or its sanitizer build beside it). */
static char *source_tree(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *top, *probe;
	bool ok;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(exe, '/');

		if (!slash)
			return NULL;
		*slash = '\0';
	}
	top = xstrdup(exe[0] ? exe : "/");
	probe = xasprintf("%s/generator/host-iptables/main.c", top);
	ok = access(probe, R_OK) == 0;
	free(probe);
	if (!ok) {
		free(top);
		return NULL;
	}
	return top;
}

int host_iptables_compile(const struct rs_build *fw, const char *dir)
{
	struct buf texts[RULESET_FILES] = { 0 };
	char *top = source_tree(), *abs = realpath(dir, NULL), *out = NULL;
	int ret = -1, r = 0, status;

	if (!top) {
		fprintf(stderr, "scout-netgen: cannot compile host-iptables: this scout-netgen is not in its source tree (generator/host-iptables/)\n");
		goto cleanup;
	}
	if (!abs) {
		print_error("%s: error: %s", dir, strerror(errno));
		goto cleanup;
	}
	/* make expands what OUT= says and splits it at spaces. */
	if (abs[strcspn(abs, " \t\n$:#%\\;'\"*?[]")]) {
		print_error("%s: error: cannot compile host-iptables here: make takes no path with a space, a backslash or any of $:#%%;'\"*?[]",
			    abs);
		goto cleanup;
	}
	ruleset_texts(fw, texts);
	for (size_t i = 0; i < RULESET_FILES && !r; i++) {
		char *path = xasprintf("%s/%s", abs, ruleset_files[i]);

		r = write_file_new(path, texts[i].data, texts[i].len, 0644);
		if (r < 0)
			print_error("%s: error: cannot write: %s", path, strerror(-r));
		free(path);
	}
	if (r < 0)
		goto cleanup;
	out = xasprintf("OUT=%s", abs);
	{
		char *argv[] = { "make", "-s", "--no-print-directory", "-C", top, "host-iptables", "scout-console",
				 out, NULL };

		status = run_program(argv);
	}
	if (status < 0)
		fprintf(stderr, "scout-netgen: cannot compile host-iptables: cannot run make: %s\n", strerror(errno));
	else if (status)
		fprintf(stderr, "scout-netgen: cannot compile host-iptables and scout-console: make exited with status %d\n", status);
	else
		ret = 0;
cleanup:
	for (size_t i = 0; i < RULESET_FILES; i++)
		buf_free(&texts[i]);
	free(out);
	free(abs);
	free(top);
	return ret;
}
