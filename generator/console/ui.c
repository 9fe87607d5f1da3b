/* ncurses widgets for the console. No terminal handling of its own:
 * curses draws, its menu and form libraries take the keys. */
#include <ctype.h>
#include <form.h>
#include <langinfo.h>
#include <menu.h>
#include <ncurses.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "ui.h"
#include "util.h"

#define KEY_ESC 27
#define MAX_LINES 32

static ui_background_fn *background;
static void *background_ctx;
/* The frame's lines: horizontal, vertical, then the corners clockwise
 * from the top left. */
static chtype frame[6];

/* Lines in a UTF-8 locale, drawn as UTF-8 (NCURSES_NO_UTF8_ACS): never
 * the VT100's alternate character set (ESC ( 0), which many terminals on
 * a serial line (tmux, minicom) ignore and show as its letters, lqqqk.
 * Any other locale: ASCII, which every terminal shows. */
static void choose_frame(void)
{
	bool utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");

	if (utf8)
		setenv("NCURSES_NO_UTF8_ACS", "1", 1);
	initscr();
	if (utf8)
		memcpy(frame, (chtype[]){ ACS_HLINE, ACS_VLINE, ACS_ULCORNER, ACS_URCORNER, ACS_LRCORNER, ACS_LLCORNER },
		       sizeof(frame));
	else
		memcpy(frame, (chtype[]){ '-', '|', '+', '+', '+', '+' }, sizeof(frame));
}

void ui_frame(WINDOW *w, int top, int left, int bottom, int right)
{
	mvwhline(w, top, left + 1, frame[0], right - left - 1);
	mvwhline(w, bottom, left + 1, frame[0], right - left - 1);
	mvwvline(w, top + 1, left, frame[1], bottom - top - 1);
	mvwvline(w, top + 1, right, frame[1], bottom - top - 1);
	mvwaddch(w, top, left, frame[2]);
	mvwaddch(w, top, right, frame[3]);
	mvwaddch(w, bottom, right, frame[4]);
	mvwaddch(w, bottom, left, frame[5]);
}

static void box_window(WINDOW *w)
{
	ui_frame(w, 0, 0, getmaxy(w) - 1, getmaxx(w) - 1);
}

void ui_start(void)
{
	choose_frame();
	raw(); /* ^C and ^Z are keys here, not signals */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	curs_set(0);
}

void ui_set_background(ui_background_fn *fn, void *ctx)
{
	background = fn;
	background_ctx = ctx;
}

void ui_get_background(ui_background_fn **ret_fn, void **ret_ctx)
{
	*ret_fn = background;
	*ret_ctx = background_ctx;
}

void ui_suspend(void)
{
	def_prog_mode();
	endwin();
}

void ui_resume(void)
{
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
}

/* The terminal gone (a hangup, a read error): wgetch fails at once,
 * every time. End, and let systemd start the console again. */
static void check_gone(int ch, unsigned *errors)
{
	if (ch != ERR) {
		*errors = 0;
		return;
	}
	if (++*errors > 100)
		exit(1);
}

/* A key, waiting as long as it takes. */
static int read_key(WINDOW *w)
{
	unsigned errors = 0;
	int ch;

	wtimeout(w, -1);
	while ((ch = wgetch(w)) == ERR)
		check_gone(ch, &errors);
	return ch;
}

/* Below 80x24 the screens do not fit: say so until the terminal grows. */
static void big_enough(void)
{
	while (LINES < 24 || COLS < 80) {
		erase();
		mvprintw(0, 0, "scout-console needs at least 80x24; this terminal is %dx%d.", COLS, LINES);
		refresh();
		read_key(stdscr);
	}
}

static int draw_background(void)
{
	int y = 0;

	erase();
	if (background)
		y = background(background_ctx);
	wnoutrefresh(stdscr);
	return y;
}

static bool enter_key(int ch)
{
	return ch == '\n' || ch == '\r' || ch == KEY_ENTER;
}

/* ---- menu ---- */
#define MENU_MORE (-3) /* nothing chosen yet */

struct menu_view {
	ITEM **it;
	size_t n;
	MENU *m;
	WINDOW *win, *sub; /* NULL until placed */
};

static void menu_view_new(struct menu_view *v, const struct ui_item *items, size_t n, int current)
{
	*v = (struct menu_view){ .it = xcalloc(n + 1, sizeof(*v->it)), .n = n };
	for (size_t i = 0; i < n; i++)
		v->it[i] = new_item(items[i].name, items[i].desc);
	v->m = new_menu(v->it);
	set_menu_mark(v->m, "> ");
	if (current >= 0 && (size_t)current < n)
		set_current_item(v->m, v->it[current]);
}

static void menu_view_free(struct menu_view *v)
{
	unpost_menu(v->m);
	free_menu(v->m);
	for (size_t i = 0; i < v->n; i++)
		free_item(v->it[i]);
	free(v->it);
	delwin(v->sub);
	delwin(v->win);
}

/* The menu in a window of its own below the background (or as low as
 * fits), with the keys on the last line. */
static void menu_place(struct menu_view *v, const char *title)
{
	int y, rows, cols, h, w;

	big_enough();
	y = draw_background();
	if (v->win) {
		unpost_menu(v->m);
		delwin(v->sub);
		delwin(v->win);
	}
	scale_menu(v->m, &rows, &cols);
	h = rows + 2;
	w = cols + 4 > (int)strlen(title) + 6 ? cols + 4 : (int)strlen(title) + 6;
	if (y + h > LINES - 1)
		y = LINES - 1 - h > 0 ? LINES - 1 - h : 0;
	v->win = newwin(h, w < COLS ? w : COLS, y, 1);
	keypad(v->win, TRUE);
	v->sub = derwin(v->win, rows, cols, 1, 2);
	set_menu_win(v->m, v->win);
	set_menu_sub(v->m, v->sub);
	box_window(v->win);
	mvwprintw(v->win, 0, 2, " %s ", title);
	post_menu(v->m);
	mvprintw(LINES - 1, 0, "%-*.*s", COLS, COLS, " Up/Down: move   Enter: choose   first letter: choose   Esc: back");
	mvchgat(LINES - 1, 0, -1, A_REVERSE, 0, NULL);
	wnoutrefresh(stdscr);
	touchwin(v->win);
	wnoutrefresh(v->win);
	doupdate();
}

/* The next key, or ERR once deadline_ms has passed. */
static int menu_read(WINDOW *win, long long deadline_ms, unsigned *errors)
{
	for (;;) {
		long long left = deadline_ms - now_ms();
		int ch;

		wtimeout(win, left > 0 ? (int)left : 0);
		ch = wgetch(win);
		if (ch != ERR) {
			*errors = 0;
			return ch;
		}
		if (now_ms() >= deadline_ms)
			return ERR;
		check_gone(ch, errors);
	}
}

/* Moves on a key, or returns what it chooses: an index, UI_BACK or
 * MENU_MORE. */
static int menu_key(const struct menu_view *v, const struct ui_item *items, int ch)
{
	if (ch == KEY_DOWN || ch == '\t')
		menu_driver(v->m, REQ_DOWN_ITEM);
	else if (ch == KEY_UP || ch == KEY_BTAB)
		menu_driver(v->m, REQ_UP_ITEM);
	else if (ch == KEY_HOME)
		menu_driver(v->m, REQ_FIRST_ITEM);
	else if (ch == KEY_END)
		menu_driver(v->m, REQ_LAST_ITEM);
	else if (enter_key(ch))
		return item_index(current_item(v->m));
	else if (ch == KEY_ESC)
		return UI_BACK;
	else if (ch > 0 && ch < 128 && isalnum(ch)) {
		for (size_t i = 0; i < v->n; i++)
			if (toupper((unsigned char)items[i].key) == toupper(ch)) {
				set_current_item(v->m, v->it[i]);
				return (int)i;
			}
	}
	return MENU_MORE;
}

int ui_menu(const char *title, const struct ui_item *items, size_t n, int *current, long long deadline_ms)
{
	struct menu_view v;
	int chosen = MENU_MORE;
	bool redraw = true;
	unsigned errors = 0;

	menu_view_new(&v, items, n, *current);
	while (chosen == MENU_MORE) {
		int ch;

		if (redraw)
			menu_place(&v, title);
		redraw = false;
		ch = menu_read(v.win, deadline_ms, &errors);
		if (ch == ERR) {
			chosen = UI_TICK;
		} else if (ch == KEY_RESIZE || ch == ('L' & 0x1f)) { /* ^L: all of it again */
			clearok(curscr, TRUE);
			redraw = true;
		} else if ((chosen = menu_key(&v, items, ch)) == MENU_MORE) {
			wrefresh(v.win);
		}
	}
	*current = item_index(current_item(v.m));
	menu_view_free(&v);
	return chosen;
}

/* ---- dialogs ---- */
/* Splits text into lines of at most width columns, at spaces. */
static size_t wrap(const char *text, int width, char *lines[MAX_LINES])
{
	size_t n = 0;

	for (const char *p = text; *p && n < MAX_LINES;) {
		size_t len = strcspn(p, "\n"), cut = len;

		if ((int)len > width) {
			cut = (size_t)width;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (!cut)
				cut = (size_t)width;
		}
		lines[n++] = xstrndup(p, cut);
		p += cut;
		if (*p == ' ' || (*p == '\n' && cut == len))
			p++;
	}
	return n;
}

static void free_lines(char *lines[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
}

static int dialog_width(void)
{
	return COLS - 4 < 72 ? COLS - 4 : 72;
}

static WINDOW *dialog_window(int h, int w, const char *title)
{
	WINDOW *win;

	if (h > LINES)
		h = LINES;
	win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	keypad(win, TRUE);
	box_window(win);
	mvwprintw(win, 0, 2, " %s ", title);
	return win;
}

/* The text's window, the text cut to the screen. */
static WINDOW *dialog_text(const char *title, const char *text, int w)
{
	char *lines[MAX_LINES];
	size_t n = wrap(text, w - 4, lines);
	WINDOW *win;

	if ((int)n > LINES - 4) { /* what does not fit is cut */
		free_lines(lines + LINES - 4, n - (size_t)(LINES - 4));
		n = (size_t)(LINES - 4);
	}
	win = dialog_window((int)n + 4, w, title);
	for (size_t i = 0; i < n; i++)
		mvwaddstr(win, 1 + (int)i, 2, lines[i]);
	free_lines(lines, n);
	return win;
}

/* Keys until a button is chosen (its index) or the terminal is resized
 * (-1); *selected follows the arrows. */
static int dialog_buttons(WINDOW *win, const char *const buttons[], int n_buttons, int *selected)
{
	int chosen = -1, x = getmaxx(win) / 2 - n_buttons * 5;

	while (chosen < 0) {
		int ch;

		for (int b = 0; b < n_buttons; b++) {
			if (b == *selected)
				wattron(win, A_REVERSE);
			mvwprintw(win, getmaxy(win) - 2, x + b * 10, "< %s >", buttons[b]);
			wattroff(win, A_REVERSE);
		}
		wrefresh(win);
		ch = read_key(win);
		if (ch == KEY_RESIZE)
			return -1;
		if (ch == KEY_LEFT || ch == KEY_RIGHT || ch == '\t' || ch == KEY_BTAB)
			*selected = (*selected + 1) % n_buttons;
		else if (enter_key(ch) || ch == ' ')
			chosen = *selected;
		else if (ch == KEY_ESC)
			chosen = n_buttons - 1;
		else
			for (int b = 0; b < n_buttons; b++)
				if (ch > 0 && ch < 128 && toupper(ch) == buttons[b][0])
					chosen = b;
	}
	return chosen;
}

/* buttons: "Yes"/"No" (two) or "OK" (one); returns the button chosen. */
static int dialog(const char *title, const char *text, const char *const buttons[], int n_buttons, int selected)
{
	int chosen = -1;

	flushinp(); /* keys typed while something ran answer nothing here */
	while (chosen < 0) {
		int w;
		WINDOW *win;

		big_enough();
		w = dialog_width();
		draw_background();
		win = dialog_text(title, text, w);
		chosen = dialog_buttons(win, buttons, n_buttons, &selected);
		delwin(win);
	}
	draw_background();
	doupdate();
	return chosen;
}

void ui_show(const char *title, const char *text)
{
	WINDOW *win;

	big_enough();
	draw_background();
	win = dialog_text(title, text, dialog_width());
	wnoutrefresh(win);
	doupdate();
	delwin(win);
}

int ui_poll_key(void)
{
	int ch;

	wtimeout(stdscr, 0);
	ch = wgetch(stdscr);
	wtimeout(stdscr, -1);
	return ch;
}

bool ui_confirm(const char *title, const char *text)
{
	static const char *const yes_no[] = { "Yes", "No" };

	return dialog(title, text, yes_no, 2, 1) == 0;
}

void ui_message(const char *title, const char *text)
{
	static const char *const ok[] = { "OK" };

	dialog(title, text, ok, 1, 0);
}

/* ---- form ---- */
static char *trimmed(const char *s)
{
	size_t len = strlen(s);

	while (len && s[len - 1] == ' ')
		len--;
	while (len && *s == ' ') {
		s++;
		len--;
	}
	return xstrndup(s, len);
}

/* A form's values may be secrets (a passphrase): wiped before they are
 * freed. */
void ui_free_value(char *v)
{
	if (v) {
		explicit_bzero(v, strlen(v));
		free(v);
	}
}

static void read_values(FORM *form, FIELD **f, size_t n, char *values[])
{
	form_driver(form, REQ_VALIDATION); /* the field being edited, into its buffer */
	for (size_t i = 0; i < n; i++) {
		ui_free_value(values[i]);
		values[i] = trimmed(field_buffer(f[i], 0));
	}
}

#define LABEL_W 18

/* What ends a form's window. */
enum form_end { FORM_EDIT, FORM_ENTER, FORM_RESIZE, FORM_CANCEL, FORM_SUBMIT, FORM_WRONG };

struct form_view {
	FIELD **f;
	size_t n;
	FORM *form;
	WINDOW *win, *sub;
};

static FIELD **make_fields(const struct ui_field *fields, size_t n, char *const values[], int w)
{
	FIELD **f = xcalloc(n + 1, sizeof(*f));

	for (size_t i = 0; i < n; i++) {
		f[i] = new_field(1, w - LABEL_W - 5, 2 * (int)i, 0, 0, 0);
		set_field_back(f[i], A_UNDERLINE);
		field_opts_off(f[i], O_AUTOSKIP | O_STATIC);
		set_max_field(f[i], 253);
		if (fields[i].secret)
			field_opts_off(f[i], O_PUBLIC);
		set_field_buffer(f[i], 0, values[i]);
	}
	return f;
}

/* The form's window with its intro, labels, error (bold) and keys; the
 * fields' rows start at *ret_top. */
static WINDOW *form_window(const char *title, const char *intro, const struct ui_field *fields, size_t n,
			   const char *error, int w, int *ret_top)
{
	char *lines[MAX_LINES], *err_lines[MAX_LINES];
	size_t n_intro = wrap(intro, w - 4, lines), n_err = error ? wrap(error, w - 4, err_lines) : 0;
	int h = (int)n_intro + 2 * (int)n + (int)n_err + 5;
	WINDOW *win = dialog_window(h, w, title);

	for (size_t i = 0; i < n_intro; i++)
		mvwaddstr(win, 1 + (int)i, 2, lines[i]);
	for (size_t i = 0; i < n; i++)
		mvwprintw(win, (int)n_intro + 2 + 2 * (int)i, 2, "%-*s", LABEL_W, fields[i].label);
	wattron(win, A_BOLD);
	for (size_t i = 0; i < n_err; i++)
		mvwaddstr(win, (int)n_intro + 2 * (int)n + 2 + (int)i, 2, err_lines[i]);
	wattroff(win, A_BOLD);
	mvwaddstr(win, h - 2, 2, "Tab/Up/Down: field   Enter: apply   Esc: cancel");
	free_lines(lines, n_intro);
	free_lines(err_lines, n_err);
	*ret_top = (int)n_intro + 2;
	return win;
}

/* The form drawn again, as the terminal is now, the cursor at the end of
 * field at. */
static void form_view_new(struct form_view *v, const char *title, const char *intro, const struct ui_field *fields,
			  size_t n, char *const values[], const char *error, int at)
{
	int w, top;

	big_enough();
	w = dialog_width();
	draw_background();
	*v = (struct form_view){ .f = make_fields(fields, n, values, w), .n = n };
	v->form = new_form(v->f);
	/* Backspace at a field's start stays there. */
	form_opts_off(v->form, O_BS_OVERLOAD | O_NL_OVERLOAD);
	v->win = form_window(title, intro, fields, n, error, w, &top);
	v->sub = derwin(v->win, 2 * (int)n, w - LABEL_W - 5, top, LABEL_W + 3);
	set_form_win(v->form, v->win);
	set_form_sub(v->form, v->sub);
	post_form(v->form);
	set_current_field(v->form, v->f[at]);
	form_driver(v->form, REQ_END_LINE);
	wrefresh(v->win);
}

static void form_view_free(struct form_view *v)
{
	unpost_form(v->form);
	free_form(v->form);
	/* The form library frees its buffers as they are: blanked first (a
	 * passphrase's field too). */
	for (size_t i = 0; i < v->n; i++) {
		set_field_buffer(v->f[i], 0, "");
		free_field(v->f[i]);
	}
	free(v->f);
	delwin(v->sub);
	delwin(v->win);
}

/* Edits the field on a key, or says what the key ends. */
static enum form_end form_key(FORM *form, int ch)
{
	static const struct {
		int key;
		int req;
	} edits[] = {
		{ KEY_BACKSPACE, REQ_DEL_PREV }, { 127, REQ_DEL_PREV },	     { 8, REQ_DEL_PREV },
		{ KEY_DC, REQ_DEL_CHAR },	 { KEY_LEFT, REQ_PREV_CHAR }, { KEY_RIGHT, REQ_NEXT_CHAR },
		{ KEY_HOME, REQ_BEG_LINE },	 { KEY_END, REQ_END_LINE },
	};

	if (ch == KEY_RESIZE)
		return FORM_RESIZE;
	if (ch == KEY_ESC)
		return FORM_CANCEL;
	if (enter_key(ch))
		return FORM_ENTER;
	if (ch == '\t' || ch == KEY_DOWN || ch == KEY_BTAB || ch == KEY_UP) {
		form_driver(form, ch == '\t' || ch == KEY_DOWN ? REQ_NEXT_FIELD : REQ_PREV_FIELD);
		form_driver(form, REQ_END_LINE);
		return FORM_EDIT;
	}
	for (size_t i = 0; i < ARRAY_SIZE(edits); i++)
		if (ch == edits[i].key) {
			form_driver(form, edits[i].req);
			return FORM_EDIT;
		}
	if (ch >= ' ' && ch < 127)
		form_driver(form, ch);
	return FORM_EDIT;
}

/* Keys until one ends this window of the form; Enter checks the values,
 * and what is wrong is left in *error. */
static enum form_end form_edit(const struct form_view *v, char *values[], char **error, ui_check_fn *check,
			       void *ctx)
{
	enum form_end end = FORM_EDIT;

	while (end == FORM_EDIT) {
		end = form_key(v->form, read_key(v->win));
		if (end == FORM_ENTER) {
			read_values(v->form, v->f, v->n, values);
			free(*error);
			*error = check(values, ctx);
			end = *error ? FORM_WRONG : FORM_SUBMIT;
		}
		wrefresh(v->win);
	}
	return end;
}

bool ui_form(const char *title, const char *intro, const struct ui_field *fields, size_t n, char *values[],
	     ui_check_fn *check, void *ctx)
{
	char *error = NULL;
	int at = 0;
	enum form_end end = FORM_EDIT;

	for (size_t i = 0; i < n; i++)
		values[i] = xstrdup(values[i] ? values[i] : "");
	flushinp();
	curs_set(1);
	while (end != FORM_CANCEL && end != FORM_SUBMIT) {
		struct form_view v;

		form_view_new(&v, title, intro, fields, n, values, error, at);
		end = form_edit(&v, values, &error, check, ctx);
		if (end == FORM_RESIZE)
			read_values(v.form, v.f, n, values); /* keep what was typed */
		/* A resize keeps the field; an error starts from the top again. */
		at = end == FORM_WRONG ? 0 : field_index(current_field(v.form));
		form_view_free(&v);
	}
	free(error);
	curs_set(0);
	draw_background();
	doupdate();
	if (end != FORM_SUBMIT)
		for (size_t i = 0; i < n; i++)
			explicit_bzero(values[i], strlen(values[i]));
	return end == FORM_SUBMIT;
}
