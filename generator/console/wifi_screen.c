/* Network > Wi-Fi. The list is iwd's (GetOrderedNetworks: the connected
 * network first, then by signal); keys 1-9 join the network on that row,
 * S scans, D disconnects, B or Esc goes back. SSIDs come from the air and
 * interface names from the kernel: every one is shown escaped. */
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "ui.h"
#include "util.h"
#include "wifi_join.h"
#include "wifi_screen.h"
#include "wifi_text.h"

#define REFRESH_MS 3000
#define SSID_COLS 32 /* a 32-byte ASCII SSID whole */
#define KEY_ESCAPE 27

struct screen {
	struct wifi *w;
	const char *host;
	long long next_read;
};

/* ---- what iwd says now, as a sentence (escaped, to be freed) ---- */
static char *now_text(const struct wifi *w)
{
	const struct wifi_net *net = wifi_net_find(w, w->connected);
	char *ifname, *state, *name, *ret, sig[24];

	if (!w->available)
		return xasprintf("Wi-Fi is not available: %s", w->why);
	ifname = escape_text(w->ifname, strlen(w->ifname));
	state = escape_text(w->state, strlen(w->state));
	if (!w->connected) {
		ret = xasprintf("%s %s", ifname, state);
	} else if (!net) {
		ret = xasprintf("%s %s (a network iwd does not list)", ifname, state);
	} else {
		name = wifi_ssid_text(net->name, 0);
		ret = xasprintf("%s %s to '%s' %s", ifname, state, name, wifi_signal_text(net->signal, sig));
		free(name);
	}
	free(ifname);
	free(state);
	return ret;
}

int wifi_status_draw(const struct wifi *w, int y, int col)
{
	char *text;

	if (!w->iwd_seen || y >= LINES - 1 || col >= COLS - 2)
		return y;
	/* iwd runs: its state, or why it has none (no adapter). */
	text = w->available ? now_text(w) : xstrdup(w->why);
	mvaddstr(y, 2, "Wi-Fi");
	mvaddnstr(y, col, text, COLS - 2 - col);
	free(text);
	return y + 1;
}

/* The screen behind the list: the title bar and what iwd says. */
static int draw_background(void *ctx)
{
	const struct screen *s = ctx;
	char when[16], *host = escape_text(s->host, strlen(s->host)), *text = now_text(s->w);
	time_t now = time(NULL);

	strftime(when, sizeof(when), "%H:%M:%S", localtime(&now));
	attron(A_REVERSE);
	mvprintw(0, 0, "%-*.*s", COLS, COLS, "");
	mvaddnstr(0, 1, "Scout console - ", COLS - 1);
	addnstr(host, COLS - 17 > 0 ? COLS - 17 : 0);
	attroff(A_REVERSE);
	mvaddnstr(2, 2, text, COLS - 4);
	if (s->w->available)
		mvprintw(3, 2, "%zu network%s in range%s%s", s->w->n_nets + s->w->n_more,
			 s->w->n_nets + s->w->n_more == 1 ? "" : "s", s->w->n_more ? ", the strongest listed" : "",
			 s->w->scanning ? ", scanning" : "");
	ui_frame(stdscr, 1, 0, 4, COLS - 1);
	mvprintw(1, 2, " Wi-Fi, read at %s ", when);
	free(host);
	free(text);
	return 5;
}

static void read_wifi(struct screen *s)
{
	wifi_read(s->w);
	s->next_read = now_ms() + REFRESH_MS;
}

/* ---- the list ---- */
#define ACTIONS 3
static const struct ui_item actions[ACTIONS] = {
	{ 'S', "Scan", "look for networks again" },
	{ 'D', "Disconnect", "from the network joined" },
	{ 'B', "Back", "to the Network menu" },
};

/* A network's row: "1 SSID" and "-48 dBm ****  WPA-PSK  connected". */
static void net_item(const struct wifi_net *n, size_t i, struct ui_item *item, char **name, char **desc)
{
	const char *sec = wifi_security(n->type);
	char *ssid = wifi_ssid_text(n->name, SSID_COLS), *type = NULL, sig[24];

	if (!sec)
		sec = type = wifi_ssid_text(n->type, 8);
	snprintf(sig, sizeof(sig), "%d dBm %s", n->signal / 100, wifi_signal_bars(n->signal));
	*name = xasprintf("%c %s", i < 9 ? (char)('1' + i) : ' ', ssid);
	*desc = xasprintf("%-12s  %-7s  %s", sig, sec, n->connected ? "connected" : n->known ? "known" : "");
	*item = (struct ui_item){ i < 9 ? (char)('1' + i) : 0, *name, *desc };
	free(ssid);
	free(type);
}

/* The menu once; returns the network's index, WIFI_NETS + an action's,
 * UI_BACK or UI_TICK. */
static int list(struct screen *s, int *cur)
{
	struct ui_item items[WIFI_MAX_NETS + ACTIONS];
	char *names[WIFI_MAX_NETS] = { 0 }, *descs[WIFI_MAX_NETS] = { 0 };
	size_t n = s->w->n_nets;
	int r;

	for (size_t i = 0; i < n; i++)
		net_item(&s->w->nets[i], i, &items[i], &names[i], &descs[i]);
	memcpy(items + n, actions, sizeof(actions));
	if (*cur >= (int)(n + ACTIONS))
		*cur = 0;
	r = ui_menu("Networks", items, n + ACTIONS, cur, s->next_read);
	for (size_t i = 0; i < n; i++) {
		free(names[i]);
		free(descs[i]);
	}
	if (r >= (int)n)
		r = WIFI_MAX_NETS + (r - (int)n);
	return r;
}

/* ---- scan, disconnect ---- */
static void message_now(struct screen *s, const char *head)
{
	char *now = now_text(s->w), *text = xasprintf("%s\n\nNow, as iwd says: %s.", head, now);

	ui_message("Wi-Fi", text);
	free(text);
	free(now);
}

static void scan(struct screen *s)
{
	char *error = NULL;

	if (wifi_scan(s->w, &error)) {
		ui_message("Wi-Fi", error);
		free(error);
		return;
	}
	ui_show("Wi-Fi", "Scanning...");
	/* Scan only starts it: the list is new once Scanning is false. */
	for (int i = 0; i < 100; i++) {
		usleep(100 * 1000);
		read_wifi(s);
		if (!s->w->available || (i >= 2 && !s->w->scanning))
			break;
	}
}

static void disconnect(struct screen *s)
{
	char *error = NULL;

	read_wifi(s);
	if (!s->w->available || !s->w->connected) {
		message_now(s, "Not connected: nothing to disconnect.");
		return;
	}
	if (ui_confirm("Wi-Fi", "Disconnect? iwd then joins no network by itself until one is joined here or the "
				"scout boots again.")) {
		if (wifi_disconnect(s->w, &error)) {
			ui_message("Wi-Fi", error);
			free(error);
		} else {
			read_wifi(s);
			message_now(s, "Disconnected.");
		}
	}
	read_wifi(s);
}

/* ---- join ---- */
struct progress {
	const char *name; /* escaped */
	long long shown;  /* the second shown, -1: none yet */
};

static bool join_wait(long long ms, void *ctx)
{
	struct progress *p = ctx;
	int ch;

	if (ms / 1000 != p->shown) {
		char *text = xasprintf("Joining '%s'... %lld s\n\nEsc: stop", p->name, ms / 1000);

		p->shown = ms / 1000;
		ui_show("Wi-Fi", text);
		free(text);
	}
	while ((ch = ui_poll_key()) != ERR) {
		if (ch == KEY_ESCAPE)
			return true;
		if (ch == KEY_RESIZE)
			p->shown = -1;
	}
	return false;
}

static char *check_passphrase(char *const v[], void *ctx)
{
	const char *why = wifi_passphrase_check(v[0]);

	(void)ctx;
	return why ? xstrdup(why) : NULL;
}

/* The passphrase typed in a hidden field (wiped by the caller), or NULL. */
static char *ask_passphrase(const char *name)
{
	static const struct ui_field field[] = { { "Passphrase", true } };
	char *v[1] = { NULL }, *intro;
	bool ok;

	intro = xasprintf("The passphrase of '%s' (WPA-PSK); it is not shown as it is typed. iwd keeps it under "
			  "/run, until the next boot.",
			  name);
	ok = ui_form("Join Wi-Fi", intro, field, 1, v, check_passphrase, NULL);
	free(intro);
	if (!ok) {
		ui_free_value(v[0]);
		return NULL;
	}
	return v[0];
}

/* Whether iwd keeps a known network of this SSID and type now. */
static bool known_now(const struct wifi *w, const char *ssid, const char *type)
{
	for (size_t i = 0; i < w->n_known; i++)
		if (!strcmp(w->known[i].name, ssid) && !strcmp(w->known[i].type, type))
			return true;
	return false;
}

/* What became of a join, as iwd says after it. */
static void join_result(struct screen *s, const char *name, const char *ssid, const char *type,
			const struct wifi_join *j, int r)
{
	struct buf b = { 0 };
	char *text;

	read_wifi(s);
	if (r == 0)
		buf_printf(&b, "iwd joined '%s'.", name);
	else if (j->stopped)
		buf_printf(&b, "Stopped: not joined to '%s'.", name);
	else if (j->failed_iwd && j->asked)
		buf_printf(&b, "Wrong passphrase: '%s' did not accept it. Not joined.", name);
	else
		buf_printf(&b, "Not joined to '%s'.", name);
	if (j->error)
		buf_printf(&b, "\n\niwd: %s", j->error);
	if (j->forgot)
		buf_printf(&b, "\n\nThe known network iwd made of this attempt was forgotten.");
	if (j->forget_error)
		buf_printf(&b, "\n\nThe known network iwd made of this attempt could not be forgotten: %s",
			   j->forget_error);
	if (r != 0 && s->w->available)
		buf_printf(&b, "\n\niwd keeps %s known network '%s'.", known_now(s->w, ssid, type) ? "a" : "no",
			   name);
	buf_puts(&b, "");
	text = buf_steal(&b, NULL);
	message_now(s, text);
	free(text);
}

/* Asks what the network's type needs: a passphrase (psk, not known), a
 * yes (open, or known). false: not joined (said why, or the owner said
 * no). */
static bool join_ask(const struct wifi_net *n, const char *name, char **ret_passphrase)
{
	char *text;
	bool ok;

	*ret_passphrase = NULL;
	if (n->connected)
		text = xasprintf("Already connected to '%s'.", name);
	else if (!strcmp(n->type, "psk") && !n->known)
		return (*ret_passphrase = ask_passphrase(name)) != NULL;
	else if (!strcmp(n->type, "psk"))
		text = xasprintf("Join '%s' with the passphrase iwd knows?", name);
	else if (!strcmp(n->type, "open"))
		text = xasprintf("Join the open network '%s'? It has no passphrase: anyone in range can read what "
				 "the VPN does not carry.",
				 name);
	else
		text = xasprintf("'%s' needs %s credentials: the console joins WPA-PSK and open networks.", name,
				 wifi_security(n->type) ? wifi_security(n->type) : "other");
	if (n->connected || (strcmp(n->type, "psk") && strcmp(n->type, "open"))) {
		ui_message("Wi-Fi", text);
		ok = false;
	} else {
		ok = ui_confirm("Wi-Fi", text);
	}
	free(text);
	return ok;
}

static void join(struct screen *s, size_t i)
{
	const struct wifi_net *n = &s->w->nets[i];
	char *name = wifi_ssid_text(n->name, 0), *ssid = xstrdup(n->name), *type = xstrdup(n->type);
	char *path = xstrdup(n->path), *passphrase;
	struct progress p = { name, -1 };
	struct wifi_join j;

	if (join_ask(n, name, &passphrase)) {
		int r = wifi_connect(s->w, path, passphrase, join_wait, &p, &j);
		ui_free_value(passphrase);
		join_result(s, name, ssid, type, &j, r);
		wifi_join_free(&j);
	}
	free(name);
	free(ssid);
	free(type);
	free(path);
	read_wifi(s);
}

void wifi_screen(struct wifi *w, const char *host)
{
	struct screen s = { .w = w, .host = host };
	ui_background_fn *old;
	void *old_ctx;
	int cur = 0;

	read_wifi(&s);
	if (!w->available) {
		char *text = xasprintf("Wi-Fi is not available: %s.", w->why);

		ui_message("Wi-Fi", text);
		free(text);
		return;
	}
	ui_get_background(&old, &old_ctx);
	ui_set_background(draw_background, &s);
	for (;;) {
		int r = list(&s, &cur);

		if (r == UI_TICK)
			read_wifi(&s);
		else if (r == UI_BACK || r == WIFI_MAX_NETS + 2)
			break;
		else if (r == WIFI_MAX_NETS)
			scan(&s);
		else if (r == WIFI_MAX_NETS + 1)
			disconnect(&s);
		else
			join(&s, (size_t)r);
	}
	ui_set_background(old, old_ctx);
}
