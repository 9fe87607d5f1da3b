/* Programs the console runs: argv, no shell, both outputs captured. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "util.h"

#define RUN_OUTPUT_MAX (64 * 1024)
/* The console is the owner's only terminal: no program may hold it. */
#define RUN_TIMEOUT_MS 30000

extern char **environ;

long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void run_capture(char *const argv[], struct run *r)
{
	struct buf out = { 0 }, err = { 0 };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, status, spawned;
	long long deadline;
	bool timed_out = false;
	pid_t pid;

	r->status = -1;
	r->out = r->err = NULL;
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
		buf_printf(&err, "cannot make a pipe: %s", strerror(errno));
		goto done;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	/* The console ignores the terminal's signals; its programs do not. */
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	spawned = strchr(argv[0], '/') ? posix_spawn(&pid, argv[0], &fa, &attr, argv, environ)
				       : posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	if (spawned) {
		buf_printf(&err, "cannot run %s: %s", argv[0], strerror(spawned));
		goto done;
	}
	deadline = now_ms() + RUN_TIMEOUT_MS;
	for (struct pollfd fds[2] = { { .fd = po[0], .events = POLLIN }, { .fd = pe[0], .events = POLLIN } };
	     fds[0].fd >= 0 || fds[1].fd >= 0;) {
		long long left = deadline - now_ms();
		int ready;

		if (left <= 0) {
			kill(pid, SIGKILL);
			timed_out = true;
			break;
		}
		ready = poll(fds, 2, (int)left);
		if (ready < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			char chunk[4096];
			struct buf *b = i ? &err : &out;
			ssize_t n;

			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			n = read(fds[i].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				fds[i].fd = -1;
				continue;
			}
			if (b->len < RUN_OUTPUT_MAX)
				buf_append(b, chunk, (size_t)n);
		}
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	if (status >= 0)
		r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (timed_out) {
		buf_free(&err);
		buf_printf(&err, "%s did not finish in %d s and was stopped", argv[0], RUN_TIMEOUT_MS / 1000);
	}
done:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	buf_puts(&out, "");
	buf_puts(&err, "");
	r->out = buf_steal(&out, NULL);
	r->err = buf_steal(&err, NULL);
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

char *run_reason(const char *what, const struct run *r)
{
	const char *e = r->err && r->err[0] ? r->err : r->out && r->out[0] ? r->out : NULL;

	if (e) {
		/* A program's words may quote what the kernel or the network
		 * said (an interface's name): shown escaped. */
		char *line = escape_text(e, strcspn(e, "\n")), *ret = xasprintf("%s: %s", what, line);

		free(line);
		return ret;
	}
	if (r->status < 0)
		return xasprintf("%s: could not run", what);
	return r->status > 128 ? xasprintf("%s: ended by signal %d", what, r->status - 128)
			       : xasprintf("%s: exit status %d", what, r->status);
}
