/* The shared library's base header, which every program includes: a
 * growable byte buffer, checked allocation, bounded file reads and atomic
 * file writes; and the conventions below.
 *
 * One error convention per layer:
 * - Checking inputs (yaml_load, validate, profile_load; scout-netgen's
 *   template, overlay, resources, guard, pki_check, keys, emit, and the
 *   key makers pki_generate and ssh_keys_generate): every problem goes
 *   into a struct diag as FILE:LINE:COL: error: message (diag.h); the
 *   function returns the number of errors (the key makers -1), and the
 *   command prints them once, sorted by diag_flush(). The user fixing a
 *   profile sees every mistake at once, in file order.
 * - The checked parsers (parse.h): NULL, or a short reason ("is out of
 *   range") the caller puts at the place it knows; they know no file.
 * - System helpers here (files, directories, digest): 0 or a negative
 *   errno, nothing printed; the caller names the path once. Running out
 *   of memory, or libcrypto failing (which it does only then), aborts
 *   with the program's name: nothing sensible can follow. run_program
 *   is the exception: -1 with errno, as posix_spawn and waitpid give it.
 * - scout-netgen's output steps (stage, pack, export, compile): each
 *   prints "PATH: error: ..." itself and returns -1. A failure there is
 *   final and only the step knows which file; the command just exits.
 * - host-iptables and scout-console: 0, or -1 with the reason in
 *   char **ret_error (to be freed). The caller reports it once: on stderr
 *   (host-iptables' main) or in a dialog (the console, where anything
 *   printed would tear the ncurses screen).
 * - A command's status: 0, 1 an input is wrong (EXIT_INPUT, scout-netgen),
 *   EXIT_USAGE below. */
#ifndef SCOUT_UTIL_H
#define SCOUT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* The exit status of every program for a command line it cannot take. */
#define EXIT_USAGE 2

struct buf {
	char *data; /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
};

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
/* Room for element n of an array that grows one element at a time: its
 * capacity is always the next power of two, so appending is amortised O(1)
 * with no capacity to keep. */
void *xgrow(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Untrusted bytes (a profile's keys, file names, link targets, what the
 * kernel or another program says) as text that is safe on any terminal
 * (to be freed): printable ASCII as it is, a backslash doubled, \n \t \r,
 * and every other byte as \xNN, so what is printed maps back to one input.
 * Bytes from 0x80 on are escaped too, even in valid UTF-8: on a terminal in
 * an 8-bit mode (a VT220 on a serial line) 0x80-0x9f are C1 controls (0x9b
 * is CSI), and profile values are ASCII anyway. */
char *escape_text(const char *s, size_t len);
/* The messages that name no place in an input (a command line, the
 * environment, an output path): the line escaped as above, then a newline,
 * on stderr. */
void print_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Hands the bytes over to the caller and leaves the buffer empty. */
char *buf_steal(struct buf *b, size_t *ret_len);
void buf_free(struct buf *b);

/* Reads a whole regular file of at most max bytes. Returns 0, or a negative
 * errno: -EFBIG when larger than max, -EISDIR / -EINVAL for non-regular
 * files. */
int read_file(const char *path, size_t max, char **ret_data, size_t *ret_len);

/* Reads the regular file path, which must still be size bytes, in pieces
 * of at most 64 KiB, handing each to fn (which returns 0, or a negative
 * errno that stops it). Never holds the whole file. Returns 0, a negative
 * errno, or -ESTALE when the file is no longer size bytes. */
int read_chunks(const char *path, size_t size, int (*fn)(void *ctx, const void *data, size_t len), void *ctx);

/* Every output is written the same way: all of it (short writes retried),
 * its mode set whatever the umask, fsynced. Each returns 0 or a negative
 * errno and leaves no partial file behind. */
/* Creates path, which must not exist. */
int write_file_new(const char *path, const void *data, size_t len, unsigned mode);
/* Creates path, which must not exist, with the size bytes of src
 * (read_chunks). */
int copy_file_new(const char *path, const char *src, size_t size, unsigned mode);
/* Writes DIR/.NAME.XXXXXX beside path and returns its name (to be freed),
 * or NULL with the negative errno in *ret_err. */
char *write_file_temp(const char *path, const void *data, size_t len, unsigned mode, int *ret_err);
/* The parts of write_file_temp for an output written piece by piece:
 * open_temp creates DIR/.NAME.XXXXXX (0600) beside path and returns its fd
 * (its name in *ret_tmp, to be freed) or a negative errno; write_fd writes
 * all of data; finish_fd sets the mode, fsyncs and closes. */
int open_temp(const char *path, char **ret_tmp);
int write_fd(int fd, const void *data, size_t len);
int finish_fd(int fd, unsigned mode);
/* write_file_temp, then renamed over path: readers see the old file or the
 * new one, never a part. */
int write_file_atomic(const char *path, const void *data, size_t len, unsigned mode);

/* mkdir -p; existing directories are left as they are. */
int mkdir_p(const char *dir, unsigned mode);
/* rm -rf, never following links. */
void remove_tree(const char *path);

/* Runs argv[0] (looked up in PATH) with argv, no shell, stdin and stdout on
 * /dev/null (its errors reach stderr), and waits. Returns its exit status
 * (128 + the signal that ended it), or -1 with errno when it could not run. */
int run_program(char *const argv[]);
/* What run_program and the console's run_capture share. Starts argv[0]
 * (looked up in PATH unless it holds a '/') with argv, no shell, stdin on
 * /dev/null, stdout on out_fd (-1: /dev/null), stderr on err_fd (-1: ours);
 * with signals_default every signal back to its default and none blocked
 * (for a program that ignores the terminal's). Returns 0 or an errno. */
int program_spawn(char *const argv[], int out_fd, int err_fd, bool signals_default, pid_t *ret_pid);
/* Waits for pid: its exit status, 128 + the signal that ended it, or -1
 * with errno. */
int program_wait(pid_t pid);

#endif
