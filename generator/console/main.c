/* scout-console: the owner's menu, on tty1 and the serial console instead
 * of a login prompt. The status screen comes first and is read again every
 * few seconds; Network holds the owner's switches of NETWORK.md. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ncurses.h>

#include "console.h"
#include "diag.h"
#include "profile_load.h"
#include "ui.h"
#include "util.h"
#include "wifi_screen.h"

#define REFRESH_MS 3000

struct app {
	struct paths x;
	struct profile *p;
	char *profile_error; /* why there is no profile */
	struct status s;
	struct wifi wifi; /* iwd's answer, read with the status */
	long long next_read;
	unsigned reads;
	char host[65];
};

/* ---- the status screen ---- */
static int put(int y, int x, int attr, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int put(int y, int x, int attr, const char *fmt, ...)
{
	va_list ap;
	char *raw, *s;

	if (y >= LINES - 1 || x >= COLS - 2)
		return x;
	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	/* Interface names, unit states and what programs say come from the
	 * kernel, systemd and the network: escaped, so a name is shown as its
	 * bytes (curses would draw an ESC as ^[ and a C1 control as a blank)
	 * and takes the columns counted here. */
	s = escape_text(raw, strlen(raw));
	free(raw);
	attron(attr);
	mvaddnstr(y, x, s, COLS - 2 - x); /* inside the box */
	attroff(attr);
	x += (int)strlen(s);
	free(s);
	return x;
}

static const char *on_off(int v)
{
	return v > 0 ? "ON" : v == 0 ? "OFF" : "unknown";
}

static const char *unit_word(const char *state)
{
	if (!strcmp(state, "active"))
		return "running";
	if (!strcmp(state, "activating") || !strcmp(state, "reloading"))
		return "starting";
	if (!strcmp(state, "failed"))
		return "FAILED";
	if (!strcmp(state, "inactive") || !strcmp(state, "deactivating"))
		return "not running";
	return NULL;
}

#define LABEL 13

static const char *addr(uint32_t a, char buf[static 16])
{
	ipv4_format(a, buf);
	return buf;
}

/* The title bar, the whole width. */
static void draw_title(const struct app *a)
{
	attron(A_REVERSE);
	mvprintw(0, 0, "%-*.*s", COLS, COLS, "");
	put(0, 1, A_REVERSE, "Scout console - %s", a->host);
	attroff(A_REVERSE);
}

/* Each draw_* below draws its lines from row y and returns the next row. */
static int draw_vpn(const struct profile *p, const struct status *s, int y)
{
	int x;

	put(y, 2, 0, "VPN");
	if (p->fleet) {
		char buf[16];

		/* The scout's profile names it alone: the fleet's other
		 * scouts are not this owner's to read. */
		put(y++, LABEL, 0, "scout %s %s", p->scouts[p->self].name, addr(p->scouts[p->self].address, buf));
	}
	if (p->vpn.type == VPN_WIREGUARD) {
		char age[32] = "";

		/* Never a proxy: WireGuard is UDP only. */
		if (s->wg.state == WG_READ && s->wg.handshake)
			wg_age(s->wg.handshake, s->now, age, sizeof(age));
		put(y++, LABEL, 0, "%s %u/udp WireGuard, %s%s", p->vpn.server, p->vpn.port,
		    s->wg.state != WG_READ ? "handshake unknown" : s->wg.handshake ? "handshake " : "no handshake yet",
		    age);
	} else {
		put(y++, LABEL, 0, "%s %u/%s, proxy %s", p->vpn.server, p->vpn.port,
		    p->vpn.protocol == PROTO_UDP ? "udp" : "tcp", s->proxy);
	}
	x = put(y, LABEL, A_BOLD, "tunnel %s", vpn_up(p, s) ? "UP" : "DOWN");
	if (p->vpn.type == VPN_WIREGUARD && s->wg.state != WG_READ) {
		if (s->wg.state == WG_NO_MODULE)
			put(y++, x, 0, ": WireGuard is not available in this kernel");
		else if (s->wg.state == WG_NO_DEVICE)
			put(y++, x, 0, ": %s is not there (%s %s)", p->vpn.interface, vpn_unit_name(p), s->vpn_unit);
		else
			put(y++, x, 0, ": cannot read %s: %s", p->vpn.interface, strerror(s->wg.error));
	} else if (s->vpn_link && s->vpn_address) {
		char buf[16];

		put(y++, x, 0, ": %s %s (%s %s)", p->vpn.interface, addr(p->vpn.scout_address, buf), vpn_unit_name(p),
		    s->vpn_unit);
	} else {
		put(y++, x, 0, ": %s %s (%s %s)", p->vpn.interface,
		    s->vpn_link ? "is up without its address" : "is not up", vpn_unit_name(p), s->vpn_unit);
	}
	return y;
}

static int draw_lan(const struct status *s, int y)
{
	put(y, 2, 0, "LAN");
	if (!s->n_lan)
		put(y++, LABEL, 0, "no interface matches lan.interfaces");
	for (size_t i = 0; i < s->n_lan && i < 3; i++) {
		const struct lan_status *l = &s->lan[i];
		int x;

		x = put(y, LABEL, 0, "%-8s ", l->name);
		x = put(y, x, A_BOLD, "%s", !l->up ? "DOWN" : l->carrier ? "UP" : "NO CARRIER");
		put(y++, x, 0, "%s %s", l->static_ip ? " static" : "", l->addrs[0] ? l->addrs : "no address");
	}
	if (s->n_lan > 3 || s->n_lan_more)
		put(y++, LABEL, 0, "and %zu more", s->n_lan - (s->n_lan > 3 ? 3 : s->n_lan) + s->n_lan_more);
	if (s->n_collisions)
		put(y, 2, 0, "Collision");
	for (size_t i = 0; i < s->n_collisions; i++)
		put(y++, LABEL, A_BOLD, "%s", s->collisions[i]);
	if (s->n_collisions_more)
		put(y++, LABEL, A_BOLD, "and %zu more", s->n_collisions_more);
	return y;
}

static int draw_container(const struct profile *p, const struct status *s, int y)
{
	const char *w = unit_word(s->ct_unit);
	char buf[16];
	int x;

	put(y, 2, 0, "Container");
	x = put(y, LABEL, 0, "%s %s: ", p->container.name, addr(p->container.address, buf));
	if (w)
		put(y++, x, A_BOLD, "%s", w);
	else
		put(y++, x, A_BOLD, "link %s", s->ct_link ? "UP" : "DOWN");
	return y;
}

static int draw_expert(const struct status *s, int y)
{
	put(y, 2, 0, "Expert");
	if (s->n_conns < 0)
		put(y++, LABEL, 0, "unknown (the connection tracking table cannot be read)");
	else if (s->n_conns == 0)
		put(y++, LABEL, 0, "not connected");
	for (int i = 0; i < s->n_conns && i < 2; i++)
		put(y++, LABEL, 0, "%s%s", i ? "" : "connected: ", s->conns[i]);
	if (s->n_conns > 2)
		put(y++, LABEL, 0, "and %d more", s->n_conns - 2);
	return y;
}

/* The switches and the firewall that holds them. */
static int draw_firewall(const struct status *s, int y)
{
	put(y, 2, 0, "Access from LAN");
	put(y, 19, A_BOLD, "%s", on_off(s->lan_access));
	put(y, 28, 0, "Host Control");
	put(y++, 42, A_BOLD, "%s", on_off(s->host_control));
	put(y, 2, 0, "Firewall");
	put(y++, LABEL, s->firewall_ok ? 0 : A_BOLD, "%s", s->firewall);
	if (!strcmp(s->fw_unit, "failed"))
		put(y++, LABEL, A_BOLD, "scout-firewall.service FAILED at boot: networking stays off");
	return y;
}

static int draw_status(void *ctx)
{
	const struct app *a = ctx;
	int y = 2, top = 1;
	char when[16];
	time_t now = time(NULL);

	strftime(when, sizeof(when), "%H:%M:%S", localtime(&now));
	draw_title(a);
	if (!a->p) {
		put(y++, 2, A_BOLD, "The profile cannot be read; the network menu is not available.");
		put(y++, 2, 0, "%s", a->profile_error ? a->profile_error : "");
		y++;
	} else {
		y = draw_vpn(a->p, &a->s, y);
		y = draw_lan(&a->s, y);
		y = wifi_status_draw(&a->wifi, y, LABEL);
		y = draw_container(a->p, &a->s, y);
		y = draw_expert(&a->s, y);
		y = draw_firewall(&a->s, y);
	}
	/* The box around it, with the time it was read. */
	if (y + 1 > LINES - 1)
		y = LINES - 2;
	move(top, 0);
	attron(A_NORMAL);
	ui_frame(stdscr, top, 0, y, COLS - 1);
	mvprintw(top, 2, " Status, read at %s ", when);
	return y + 1;
}

static void read_status(struct app *a)
{
	/* Now and then all of the screen, not only what changed: kernel
	 * messages on the console write over it. */
	if (++a->reads % 10 == 0 && curscr)
		clearok(curscr, TRUE);
	if (a->p)
		status_read(a->p, &a->x, &a->s);
	wifi_read(&a->wifi);
	a->next_read = now_ms() + REFRESH_MS;
}

static void show_error(const char *title, char *error, struct app *a)
{
	char *text;

	read_status(a);
	text = xasprintf("%s\n\nNow, as read back from the kernel: Access from LAN %s, Host Control %s.", error,
			 on_off(a->s.lan_access), on_off(a->s.host_control));
	ui_message(title, text);
	free(text);
	free(error);
}

/* ---- Network ---- */
static void toggle(struct app *a, bool lan)
{
	const char *name = lan ? "Access from LAN" : "Host Control";
	char *what, *text, *error = NULL, *command;
	int on;

	read_status(a);
	on = lan ? a->s.lan_access : a->s.host_control;
	if (on < 0) {
		text = xasprintf("The firewall's state cannot be read, so %s cannot be switched.\n\nFirewall: %s", name,
				 a->s.firewall);
		ui_message(name, text);
		free(text);
		return;
	}
	what = lan ? describe_lan_access(a->p, a->s.host_control == 1) : describe_host_control(a->p, a->s.lan_access == 1);
	text = xasprintf("%s %s?\n\n%s: %s.", on ? "Disable" : "Enable", name,
			 on ? "No longer reachable" : "Reachable then", what);
	command = xasprintf("%s-%s", on ? "disable" : "enable", lan ? "access-from-lan" : "host-control");
	if (ui_confirm(name, text) && action_firewall(&a->x, command, &error) < 0)
		show_error(name, error, a);
	read_status(a);
	free(command);
	free(what);
	free(text);
}

/* What a form's check parsed, for the action to use as it is. */
struct form_ctx {
	struct app *a;
	struct static_ip ip;
	struct proxy proxy;
	char *auth;
};

static char *check_static(char *const v[], void *ctx)
{
	struct form_ctx *c = ctx;

	if (!v[1][0]) /* back to DHCP: only the interface counts */
		return static_ip_ifname(c->a->p, v[0]);
	return static_ip_parse(c->a->p, v[0], v[1], v[2], v[3], &c->ip);
}

static void static_ip(struct app *a)
{
	static const struct ui_field fields[] = {
		{ "Interface", false }, { "Address/prefix", false }, { "Gateway", false }, { "DNS servers", false },
	};
	char *v[4] = { a->s.n_lan ? a->s.lan[0].name : "", NULL, NULL, NULL }, *error = NULL;
	struct form_ctx c = { .a = a };

	if (ui_form("Static IP", "For a LAN without DHCP, until the next boot. Example: 192.168.1.20/24, gateway "
				 "192.168.1.1, DNS 192.168.1.1. An empty address goes back to DHCP.",
		    fields, 4, v, check_static, &c)) {
		if (!v[1][0] ? action_dhcp(&a->x, v[0], &error) < 0 : action_static_ip(&a->x, &c.ip, &error) < 0)
			show_error("Static IP", error, a);
	}
	for (size_t i = 0; i < 4; i++)
		free(v[i]);
	read_status(a);
}

static char *check_proxy(char *const v[], void *ctx)
{
	struct form_ctx *c = ctx;
	char *why;

	free(c->auth);
	c->auth = NULL;
	c->proxy = (struct proxy){ .type = PROXY_NONE };
	if (!strcmp(v[0], "none") || !strcmp(v[0], "profile"))
		return NULL;
	why = proxy_parse(c->a->p, v[0], v[1], v[2], v[3], &c->proxy, &c->auth);
	if (why && !strncmp(why, "Type: '", 7) && !strstr(why, "HTTP")) {
		free(why);
		why = xasprintf("Type: '%s' is not http, socks, none (direct) or profile", v[0]);
	}
	return why;
}

static void proxy(struct app *a)
{
	static const struct ui_field fields[] = {
		{ "Type", false }, { "Host", false }, { "Port", false }, { "Credentials file", false },
	};
	char *v[4] = { "socks", NULL, NULL, NULL }, *error = NULL, *text, *head;
	struct form_ctx c = { .a = a };
	const struct proxy *x = &c.proxy;
	bool profile;

	if (a->p->vpn.type == VPN_WIREGUARD) {
		ui_message("Proxy", "WireGuard is UDP only: no proxy can carry it. This scout reaches its "
				    "server directly, or through the LAN's NAT.");
		return;
	}

	if (!ui_form("Proxy", "The way out for the VPN connection, until the next boot. Type: http, socks, none "
			      "(direct) or profile (the profile's setting). Credentials file: optional, a user "
			      "name and a password on two lines.",
		     fields, 4, v, check_proxy, &c))
		goto done;
	profile = !strcmp(v[0], "profile");
	head = profile		      ? xstrdup("Go back to the profile's proxy setting?")
	       : x->type == PROXY_NONE ? xstrdup("Connect to the VPN server directly, with no proxy?")
				       : xasprintf("Connect to the VPN server through the %s proxy %s port %u?",
						   proxy_type_name(x->type), x->host, x->port);
	text = xasprintf("%s\n\nThe VPN client restarts: the expert's connection drops for a few seconds.", head);
	free(head);
	if (ui_confirm("Proxy", text) && action_proxy(&a->x, x, c.auth, profile, &error) < 0)
		show_error("Proxy", error, a);
	free(text);
done:
	free(c.auth);
	for (size_t i = 0; i < 4; i++)
		free(v[i]);
	read_status(a);
}

static void wifi(struct app *a)
{
	wifi_screen(&a->wifi, a->host);
	read_status(a);
}

static void switch_lan_access(struct app *a)
{
	toggle(a, true);
}

static void switch_host_control(struct app *a)
{
	toggle(a, false);
}

static const char *switch_desc(int state)
{
	return state > 0 ? "Disable (now ON)" : state == 0 ? "Enable (now OFF)" : "(now unknown)";
}

static const char *lan_access_now(const struct app *a)
{
	return switch_desc(a->s.lan_access);
}

static const char *host_control_now(const struct app *a)
{
	return switch_desc(a->s.host_control);
}

/* ---- the rest of the main menu ---- */
/* In the child: the login shell of the owner (pw may be NULL), as login
 * would start it. */
static void shell_exec(const struct passwd *pw, const char *sh, const char *argv0) __attribute__((noreturn));
static void shell_exec(const struct passwd *pw, const char *sh, const char *argv0)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	if (pw) {
		setenv("HOME", pw->pw_dir, 1);
		setenv("USER", pw->pw_name, 1);
		setenv("LOGNAME", pw->pw_name, 1);
		setenv("SHELL", sh, 1);
		if (chdir(pw->pw_dir) < 0)
			(void)chdir("/");
	}
	execl(sh, argv0, (char *)NULL);
	fprintf(stderr, "scout-console: cannot run %s: %s\n", sh, strerror(errno));
	_exit(127);
}

/* A shell that was killed leaves the terminal to its process group: take
 * it back, or every read fails. */
static void take_terminal(void)
{
	void (*old)(int) = signal(SIGTTOU, SIG_IGN);

	tcsetpgrp(STDIN_FILENO, getpgrp());
	signal(SIGTTOU, old);
}

static void shell(struct app *a)
{
	struct passwd *pw = getpwuid(getuid());
	const char *sh = pw && pw->pw_shell && pw->pw_shell[0] ? pw->pw_shell : "/bin/sh";
	const char *base = strrchr(sh, '/') ? strrchr(sh, '/') + 1 : sh;
	char *argv0 = xasprintf("-%s", base);
	pid_t pid;
	int status;

	if (!ui_confirm("Shell", "Open a root shell on this terminal? Leaving it (exit) comes back to this menu."))
		goto done;
	ui_suspend();
	printf("\nscout-console: a root shell; exit comes back to the menu.\n\n");
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		shell_exec(pw, sh, argv0);
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	take_terminal();
	ui_resume();
done:
	free(argv0);
	read_status(a);
}

static void power(struct app *a, bool reboot)
{
	char *argv[] = { "systemctl", reboot ? "reboot" : "poweroff", NULL };
	const char *title = reboot ? "Reboot" : "Power off";
	struct run r;

	if (!ui_confirm(title, reboot ? "Reboot the scout now? Everything changed on this console is forgotten."
				      : "Power the scout off now?"))
		return;
	run_capture(argv, &r);
	if (r.status != 0) {
		char *why = run_reason(reboot ? "systemctl reboot failed" : "systemctl poweroff failed", &r);

		ui_message(title, why);
		free(why);
	}
	run_free(&r);
	read_status(a);
}

static void reboot(struct app *a)
{
	power(a, true);
}

static void power_off(struct app *a)
{
	power(a, false);
}

/* ---- the menus: a table each ---- */
struct menu_entry {
	char key; /* chooses it, as Enter on it does */
	const char *label;
	const char *help;
	const char *(*help_now)(const struct app *a); /* instead of help: a switch's state */
	void (*action)(struct app *a);                /* NULL: back to the menu before */
};

struct menu {
	const char *title;
	const struct menu_entry *entries;
	size_t n;
	bool esc_leaves; /* the main menu has nothing behind it */
};

#define MENU_MAX 8

static const struct menu_entry network_entries[] = {
	{ 'A', "Access from LAN", NULL, lan_access_now, switch_lan_access },
	{ 'H', "Host Control", NULL, host_control_now, switch_host_control },
	{ 'S', "Static IP", "for a LAN without DHCP", NULL, static_ip },
	{ 'P', "Proxy", "for the VPN connection", NULL, proxy },
	{ 'W', "Wi-Fi", "networks in range, join, disconnect", NULL, wifi },
	{ 'B', "Back", "to the main menu", NULL, NULL },
};
static const struct menu network_menu = { "Network", network_entries, ARRAY_SIZE(network_entries), true };

static void menu_run(struct app *a, const struct menu *m);

static void network(struct app *a)
{
	if (!a->p) {
		ui_message("Network", "The profile cannot be read; see the status.");
		return;
	}
	menu_run(a, &network_menu);
}

static const struct menu_entry main_entries[] = {
	{ 'N', "Network", "Access from LAN, Host Control, Static IP, Proxy, Wi-Fi", NULL, network },
	{ 'S', "Shell", "a root shell on this terminal", NULL, shell },
	{ 'R', "Reboot", "start the scout again", NULL, reboot },
	{ 'P', "Power off", "turn the scout off", NULL, power_off },
};
static const struct menu main_menu = { "Menu", main_entries, ARRAY_SIZE(main_entries), false };
_Static_assert(ARRAY_SIZE(main_entries) <= MENU_MAX && ARRAY_SIZE(network_entries) <= MENU_MAX,
	       "a menu longer than MENU_MAX");

/* The widget's items: the help of a switch as the status has it now. */
static void menu_items(const struct app *a, const struct menu *m, struct ui_item items[MENU_MAX])
{
	for (size_t i = 0; i < m->n; i++) {
		const struct menu_entry *e = &m->entries[i];

		items[i] = (struct ui_item){ e->key, e->label, e->help_now ? e->help_now(a) : e->help };
	}
}

/* Until Back, or Esc where there is a menu behind; the status is read
 * again while the menu waits. */
static void menu_run(struct app *a, const struct menu *m)
{
	struct ui_item items[MENU_MAX];
	int cur = 0;

	for (;;) {
		int r;

		menu_items(a, m, items);
		r = ui_menu(m->title, items, m->n, &cur, a->next_read);
		if (r == UI_TICK)
			read_status(a);
		else if (r == UI_BACK) {
			if (m->esc_leaves)
				return;
		} else if (!m->entries[r].action)
			return;
		else
			m->entries[r].action(a);
	}
}

/* ---- start ---- */
static char *under(const char *root, const char *path)
{
	return xasprintf("%s%s", root, path);
}

/* Which of the profile's scouts this one is: the one named in file (on a
 * fleet's scout), or, without the file, the profile's first. NULL, or why
 * not (to be freed; shown escaped, as put() shows everything). */
static char *select_scout(struct profile *p, const char *file)
{
	char *name = NULL, *why = NULL;
	size_t cap = 0;
	long i;
	FILE *f = fopen(file, "re");

	if (!f) {
		if (errno != ENOENT)
			return xasprintf("%s: %s", file, strerror(errno));
		profile_select_scout(p, 0);
		return NULL;
	}
	if (getline(&name, &cap, f) < 0) {
		free(name);
		name = xstrdup("");
	}
	fclose(f);
	name[strcspn(name, "\n")] = '\0';
	i = profile_find_scout(p, name);
	if (i < 0)
		why = xasprintf("scout '%s' (" SCOUT_NAME_FILE ") is not in the profile's scouts:", name);
	else
		profile_select_scout(p, (size_t)i);
	free(name);
	return why;
}

static void load_profile(struct app *a)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct diag d = { .stream = f };

	if (profile_load_or_report(a->x.profile, &d, &a->p) || !a->p) {
		fflush(f);
		a->p = NULL;
		a->profile_error = xstrndup(text, strcspn(text, "\n"));
	} else if ((a->profile_error = select_scout(a->p, a->x.scout_name))) {
		profile_free(a->p);
		a->p = NULL;
	}
	fclose(f);
	free(text);
}

static int usage(FILE *to, int status)
{
	fprintf(to, "Usage: scout-console [--root DIR]\n\n"
		    "The scout owner's menu: the status, Network (Access from LAN, Host Control,\n"
		    "Static IP, Proxy, Wi-Fi), Shell, Reboot, Power off. Started on tty1 and the\n"
		    "serial console by getty@tty1 and serial-getty@ drop-ins.\n\n"
		    "  --root DIR  read the profile and run host-iptables from DIR (tests)\n");
	return status;
}

static void app_init(struct app *a, const char *root)
{
	a->x = (struct paths){
		.profile = under(root, "/etc/scout/network.yaml"),
		.scout_name = under(root, SCOUT_NAME_FILE),
		.host_iptables = under(root, "/usr/sbin/host-iptables"),
		.openvpn_dir = under(root, "/etc/openvpn/client"),
		.network_dir = xstrdup("/run/systemd/network"),
		.lease_dir = xstrdup("/run/systemd/netif/leases"),
		.unit_dir = xstrdup("/run/systemd/system"),
		.run_dir = xstrdup("/run/scout"),
	};
	if (gethostname(a->host, sizeof(a->host) - 1) < 0)
		snprintf(a->host, sizeof(a->host), "scout");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "root", required_argument, NULL, 'r' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct app a = { 0 };
	const char *root = "";
	int c;

	while ((c = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
		if (c == 'r')
			root = optarg;
		else
			return usage(c == 'h' ? stdout : stderr, c == 'h' ? 0 : 2);
	}
	if (optind != argc)
		return usage(stderr, 2);
	app_init(&a, root);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	setlocale(LC_ALL, "");
	load_profile(&a);
	read_status(&a);
	ui_start();
	ui_set_background(draw_status, &a);
	menu_run(&a, &main_menu);
	return 0; /* the main menu never ends */
}
