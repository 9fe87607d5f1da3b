/* Programs the console runs: argv, no shell, both outputs captured. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "util.h"

#define RUN_OUTPUT_MAX (64 * 1024)
/* The console is the owner's only terminal: no program may hold it. */
#define RUN_TIMEOUT_MS 30000

long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* One read of a pipe poll found ready, kept up to RUN_OUTPUT_MAX; at the
 * pipe's end its fd becomes -1 (poll skips it). */
static void read_ready(struct pollfd *p, struct buf *b)
{
	char chunk[4096];
	ssize_t n;

	if (p->fd < 0 || !p->revents)
		return;
	n = read(p->fd, chunk, sizeof(chunk));
	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0) {
		p->fd = -1;
		return;
	}
	if (b->len < RUN_OUTPUT_MAX)
		buf_append(b, chunk, (size_t)n);
}

/* Both outputs until they end; false when RUN_TIMEOUT_MS passed first and
 * the program was killed. */
static bool read_outputs(pid_t pid, int out_fd, int err_fd, struct buf *out, struct buf *err)
{
	long long deadline = now_ms() + RUN_TIMEOUT_MS;
	struct pollfd fds[2] = { { .fd = out_fd, .events = POLLIN }, { .fd = err_fd, .events = POLLIN } };

	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		long long left = deadline - now_ms();

		if (left <= 0) {
			kill(pid, SIGKILL);
			return false;
		}
		if (poll(fds, 2, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		read_ready(&fds[0], out);
		read_ready(&fds[1], err);
	}
	return true;
}

void run_capture(char *const argv[], struct run *r)
{
	struct buf out = { 0 }, err = { 0 };
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, spawned;
	pid_t pid;

	r->status = -1;
	r->out = r->err = NULL;
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
		buf_printf(&err, "cannot make a pipe: %s", strerror(errno));
		goto done;
	}
	/* The console ignores the terminal's signals; its programs do not. */
	spawned = program_spawn(argv, po[1], pe[1], true, &pid);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	if (spawned) {
		buf_printf(&err, "cannot run %s: %s", argv[0], strerror(spawned));
		goto done;
	}
	if (!read_outputs(pid, po[0], pe[0], &out, &err)) {
		buf_free(&err);
		buf_printf(&err, "%s did not finish in %d s and was stopped", argv[0], RUN_TIMEOUT_MS / 1000);
	}
	r->status = program_wait(pid);
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
