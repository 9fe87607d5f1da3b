/* The console's widgets, on ncurses with its menu and form libraries:
 * a menu under the status, a confirmation, a message and a form. Each
 * draws the screen behind it again on a resize. */
#ifndef SCOUT_CONSOLE_UI_H
#define SCOUT_CONSOLE_UI_H

#include <ncurses.h>
#include <stdbool.h>
#include <stddef.h>

/* Draws the screen behind the widgets into stdscr and returns the first
 * row free below it. */
typedef int ui_background_fn(void *ctx);

/* After setlocale: the frame is drawn with lines in a UTF-8 locale, in
 * ASCII in any other. */
void ui_start(void);
/* A frame of the console's lines on w, corners at (top, left) and
 * (bottom, right). */
void ui_frame(WINDOW *w, int top, int left, int bottom, int right);
void ui_set_background(ui_background_fn *fn, void *ctx);
void ui_get_background(ui_background_fn **ret_fn, void **ret_ctx);
/* Hands the terminal over (a shell) and takes it back. */
void ui_suspend(void);
void ui_resume(void);

#define UI_BACK (-1) /* Esc */
#define UI_TICK (-2) /* the deadline passed: read the status again */

struct ui_item {
	char key; /* chooses it, in either case */
	const char *name;
	const char *desc;
};
/* A menu below the background; *current is kept across calls. Returns
 * the chosen index, UI_BACK or UI_TICK (at deadline_ms, of now_ms()). */
int ui_menu(const char *title, const struct ui_item *items, size_t n, int *current, long long deadline_ms);

bool ui_confirm(const char *title, const char *text);
/* The text in a dialog with no button, left on the screen while something
 * runs; ui_poll_key then reads a key without waiting (ERR: none). */
void ui_show(const char *title, const char *text);
int ui_poll_key(void);
void ui_message(const char *title, const char *text);

/* NULL when the values are good, or what is wrong (shown under the form,
 * which stays). */
typedef char *ui_check_fn(char *const values[], void *ctx);
struct ui_field {
	const char *label;
	bool secret;
};
/* values[i] in: the initial text (may be NULL); out: what the owner
 * typed (malloc'd). Returns false on Esc. */
bool ui_form(const char *title, const char *intro, const struct ui_field *fields, size_t n, char *values[],
	     ui_check_fn *check, void *ctx);
/* Frees a form's value, wiped first (it may be a secret). */
void ui_free_value(char *v);


#endif
