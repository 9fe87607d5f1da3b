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
int ui_menu(const char *title, const struct ui_item *items, size_t n, int *current, long long deadline_ms)
{
	ITEM **it = xcalloc(n + 1, sizeof(*it));
	MENU *m = NULL;
	WINDOW *win = NULL, *sub = NULL;
	int chosen = UI_TICK;
	bool redraw = true;
	unsigned errors = 0;

	for (size_t i = 0; i < n; i++)
		it[i] = new_item(items[i].name, items[i].desc);
	m = new_menu(it);
	set_menu_mark(m, "> ");
	if (*current >= 0 && (size_t)*current < n)
		set_current_item(m, it[*current]);
	for (;;) {
		long long left;
		int ch;

		if (redraw) {
			int y, rows, cols, h, w;

			big_enough();
			y = draw_background();

			if (win) {
				unpost_menu(m);
				delwin(sub);
				delwin(win);
			}
			scale_menu(m, &rows, &cols);
			h = rows + 2;
			w = cols + 4 > (int)strlen(title) + 6 ? cols + 4 : (int)strlen(title) + 6;
			if (y + h > LINES - 1)
				y = LINES - 1 - h > 0 ? LINES - 1 - h : 0;
			win = newwin(h, w < COLS ? w : COLS, y, 1);
			keypad(win, TRUE);
			sub = derwin(win, rows, cols, 1, 2);
			set_menu_win(m, win);
			set_menu_sub(m, sub);
			box_window(win);
			mvwprintw(win, 0, 2, " %s ", title);
			post_menu(m);
			mvprintw(LINES - 1, 0, "%-*.*s", COLS, COLS,
				 " Up/Down: move   Enter: choose   first letter: choose   Esc: back");
			mvchgat(LINES - 1, 0, -1, A_REVERSE, 0, NULL);
			wnoutrefresh(stdscr);
			touchwin(win);
			wnoutrefresh(win);
			doupdate();
			redraw = false;
		}
		left = deadline_ms - now_ms();
		wtimeout(win, left > 0 ? (int)left : 0);
		ch = wgetch(win);
		if (ch == ERR) {
			if (now_ms() >= deadline_ms)
				break;
			check_gone(ch, &errors);
			continue;
		}
		errors = 0;
		if (ch == KEY_RESIZE || ch == ('L' & 0x1f)) { /* ^L: all of it again */
			clearok(curscr, TRUE);
			redraw = true;
			continue;
		}
		if (ch == KEY_DOWN || ch == '\t')
			menu_driver(m, REQ_DOWN_ITEM);
		else if (ch == KEY_UP || ch == KEY_BTAB)
			menu_driver(m, REQ_UP_ITEM);
		else if (ch == KEY_HOME)
			menu_driver(m, REQ_FIRST_ITEM);
		else if (ch == KEY_END)
			menu_driver(m, REQ_LAST_ITEM);
		else if (enter_key(ch)) {
			chosen = item_index(current_item(m));
			break;
		} else if (ch == KEY_ESC) {
			chosen = UI_BACK;
			break;
		} else if (ch > 0 && ch < 128 && isalpha(ch)) {
			for (size_t i = 0; i < n; i++)
				if (toupper((unsigned char)items[i].key) == toupper(ch)) {
					set_current_item(m, it[i]);
					chosen = (int)i;
					break;
				}
			if (chosen != UI_TICK)
				break;
		}
		wrefresh(win);
	}
	*current = item_index(current_item(m));
	unpost_menu(m);
	free_menu(m);
	for (size_t i = 0; i < n; i++)
		free_item(it[i]);
	free(it);
	delwin(sub);
	delwin(win);
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

/* buttons: "Yes"/"No" (two) or "OK" (one); returns the button chosen. */
static int dialog(const char *title, const char *text, const char *const buttons[], int n_buttons, int selected)
{
	int chosen = -1;

	flushinp(); /* keys typed while something ran answer nothing here */
	while (chosen < 0) {
		int w, h;
		char *lines[MAX_LINES];
		size_t n;
		WINDOW *win;

		big_enough();
		w = dialog_width();
		draw_background();
		n = wrap(text, w - 4, lines);
		if ((int)n > LINES - 4) { /* what does not fit is cut */
			free_lines(lines + LINES - 4, n - (size_t)(LINES - 4));
			n = (size_t)(LINES - 4);
		}
		h = (int)n + 4;
		win = dialog_window(h, w, title);
		for (size_t i = 0; i < n; i++)
			mvwaddstr(win, 1 + (int)i, 2, lines[i]);
		free_lines(lines, n);
		for (;;) {
			int x = w / 2 - n_buttons * 5;

			for (int b = 0; b < n_buttons; b++) {
				if (b == selected)
					wattron(win, A_REVERSE);
				mvwprintw(win, h - 2, x + b * 10, "< %s >", buttons[b]);
				wattroff(win, A_REVERSE);
			}
			int ch;

			wrefresh(win);
			ch = read_key(win);
			if (ch == KEY_RESIZE)
				break;
			if (ch == KEY_LEFT || ch == KEY_RIGHT || ch == '\t' || ch == KEY_BTAB)
				selected = (selected + 1) % n_buttons;
			else if (enter_key(ch) || ch == ' ')
				chosen = selected;
			else if (ch == KEY_ESC)
				chosen = n_buttons - 1;
			else
				for (int b = 0; b < n_buttons; b++)
					if (ch > 0 && ch < 128 && toupper(ch) == buttons[b][0])
						chosen = b;
			if (chosen >= 0)
				break;
		}
		delwin(win);
	}
	draw_background();
	doupdate();
	return chosen;
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

static void read_values(FORM *form, FIELD **f, size_t n, char *values[])
{
	form_driver(form, REQ_VALIDATION); /* the field being edited, into its buffer */
	for (size_t i = 0; i < n; i++) {
		free(values[i]);
		values[i] = trimmed(field_buffer(f[i], 0));
	}
}

bool ui_form(const char *title, const char *intro, const struct ui_field *fields, size_t n, char *values[],
	     ui_check_fn *check, void *ctx)
{
	char *error = NULL;
	int at = 0;
	bool done = false, submitted = false;

	for (size_t i = 0; i < n; i++)
		values[i] = xstrdup(values[i] ? values[i] : "");
	flushinp();
	curs_set(1);
	while (!done) {
		int w, label_w = 18, h, ch = 0;
		char *lines[MAX_LINES], *err_lines[MAX_LINES];
		size_t n_intro, n_err;

		big_enough();
		w = dialog_width();
		n_intro = wrap(intro, w - 4, lines);
		n_err = error ? wrap(error, w - 4, err_lines) : 0;
		FIELD **f = xcalloc(n + 1, sizeof(*f));
		FORM *form;
		WINDOW *win, *sub;
		bool rebuild = false, at_first = false;

		draw_background();
		h = (int)n_intro + 2 * (int)n + (int)n_err + 5;
		for (size_t i = 0; i < n; i++) {
			f[i] = new_field(1, w - label_w - 5, 2 * (int)i, 0, 0, 0);
			set_field_back(f[i], A_UNDERLINE);
			field_opts_off(f[i], O_AUTOSKIP | O_STATIC);
			set_max_field(f[i], 253);
			if (fields[i].secret)
				field_opts_off(f[i], O_PUBLIC);
			set_field_buffer(f[i], 0, values[i]);
		}
		form = new_form(f);
		/* Backspace at a field's start stays there. */
		form_opts_off(form, O_BS_OVERLOAD | O_NL_OVERLOAD);
		win = dialog_window(h, w, title);
		sub = derwin(win, 2 * (int)n, w - label_w - 5, (int)n_intro + 2, label_w + 3);
		set_form_win(form, win);
		set_form_sub(form, sub);
		for (size_t i = 0; i < n_intro; i++)
			mvwaddstr(win, 1 + (int)i, 2, lines[i]);
		for (size_t i = 0; i < n; i++)
			mvwprintw(win, (int)n_intro + 2 + 2 * (int)i, 2, "%-*s", label_w, fields[i].label);
		wattron(win, A_BOLD);
		for (size_t i = 0; i < n_err; i++)
			mvwaddstr(win, (int)n_intro + 2 * (int)n + 2 + (int)i, 2, err_lines[i]);
		wattroff(win, A_BOLD);
		mvwaddstr(win, h - 2, 2, "Tab/Up/Down: field   Enter: apply   Esc: cancel");
		free_lines(lines, n_intro);
		free_lines(err_lines, n_err);
		post_form(form);
		set_current_field(form, f[at]);
		form_driver(form, REQ_END_LINE);
		wrefresh(win);
		while (!rebuild && !done) {
			ch = read_key(win);
			if (ch == KEY_RESIZE) {
				rebuild = true;
			} else if (ch == KEY_ESC) {
				done = true;
			} else if (enter_key(ch)) {
				read_values(form, f, n, values);
				free(error);
				error = check(values, ctx);
				if (error) {
					rebuild = true;
					at_first = true;
				}
				else
					done = submitted = true;
			} else if (ch == '\t' || ch == KEY_DOWN) {
				form_driver(form, REQ_NEXT_FIELD);
				form_driver(form, REQ_END_LINE);
			} else if (ch == KEY_BTAB || ch == KEY_UP) {
				form_driver(form, REQ_PREV_FIELD);
				form_driver(form, REQ_END_LINE);
			} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
				form_driver(form, REQ_DEL_PREV);
			} else if (ch == KEY_DC) {
				form_driver(form, REQ_DEL_CHAR);
			} else if (ch == KEY_LEFT) {
				form_driver(form, REQ_PREV_CHAR);
			} else if (ch == KEY_RIGHT) {
				form_driver(form, REQ_NEXT_CHAR);
			} else if (ch == KEY_HOME) {
				form_driver(form, REQ_BEG_LINE);
			} else if (ch == KEY_END) {
				form_driver(form, REQ_END_LINE);
			} else if (ch >= ' ' && ch < 127) {
				form_driver(form, ch);
			}
			wrefresh(win);
		}
		if (rebuild && ch == KEY_RESIZE)
			read_values(form, f, n, values); /* keep what was typed */
		/* A resize keeps the field; an error starts from the top again. */
		at = at_first ? 0 : field_index(current_field(form));
		unpost_form(form);
		free_form(form);
		for (size_t i = 0; i < n; i++)
			free_field(f[i]);
		free(f);
		delwin(sub);
		delwin(win);
	}
	free(error);
	curs_set(0);
	draw_background();
	doupdate();
	return submitted;
}
