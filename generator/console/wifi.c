/* iwd over D-Bus with sd-bus (libsystemd, on every systemd image): one
 * GetManagedObjects for every object and property, Station's
 * GetOrderedNetworks for the signal, and the agent iwd asks for a
 * passphrase while Network.Connect runs. iwd's API: its doc/ (station-api.txt and the others). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include "console.h"
#include "util.h"
#include "wifi.h"

#define IWD "net.connman.iwd"
#define IWD_AGENT_PATH "/org/scout/console/agent"
/* Reads must not hold the console: iwd answers them at once. */
#define READ_USEC (3 * 1000 * 1000ULL)

enum { HAS_DEVICE = 1, HAS_STATION = 2, HAS_NETWORK = 4, HAS_KNOWN = 8, HAS_AGENT_MANAGER = 16 };

/* One object of GetManagedObjects, with the properties the console uses. */
struct obj {
	char *path;
	unsigned has;
	char *name, *type, *state, *connected_net, *known;
	bool connected, scanning;
};

static const struct {
	const char *name;
	unsigned bit;
} ifaces[] = {
	{ IWD ".Device", HAS_DEVICE },	 { IWD ".Station", HAS_STATION },
	{ IWD ".Network", HAS_NETWORK }, { IWD ".KnownNetwork", HAS_KNOWN },
	{ IWD ".AgentManager", HAS_AGENT_MANAGER },
};

/* Which property of which interface goes where, with its D-Bus type. */
static const struct {
	unsigned bit;
	const char *name;
	char type;
	size_t off;
} props[] = {
	{ HAS_DEVICE, "Name", 's', offsetof(struct obj, name) },
	{ HAS_STATION, "State", 's', offsetof(struct obj, state) },
	{ HAS_STATION, "ConnectedNetwork", 'o', offsetof(struct obj, connected_net) },
	{ HAS_STATION, "Scanning", 'b', offsetof(struct obj, scanning) },
	{ HAS_NETWORK, "Name", 's', offsetof(struct obj, name) },
	{ HAS_NETWORK, "Type", 's', offsetof(struct obj, type) },
	{ HAS_NETWORK, "Connected", 'b', offsetof(struct obj, connected) },
	{ HAS_NETWORK, "KnownNetwork", 'o', offsetof(struct obj, known) },
	{ HAS_KNOWN, "Name", 's', offsetof(struct obj, name) },
	{ HAS_KNOWN, "Type", 's', offsetof(struct obj, type) },
};

static void obj_free(struct obj *o)
{
	free(o->path);
	free(o->name);
	free(o->type);
	free(o->state);
	free(o->connected_net);
	free(o->known);
}

/* What D-Bus or iwd said, escaped (names and messages come from another
 * program), to be freed. */
char *wifi_bus_error(const sd_bus_error *e, int r)
{
	char *raw, *s;

	if (!sd_bus_error_is_set(e))
		return xasprintf("%s", strerror(-r));
	raw = xasprintf("%s: %s", e->name, e->message ? e->message : "");
	s = escape_text(raw, strlen(raw));
	free(raw);
	return s;
}

int wifi_call(struct wifi *w, const char *path, const char *iface, const char *member, uint64_t usec,
	      sd_bus_message **ret_reply, char **ret_error, const char *sig, ...)
{
	sd_bus_message *m = NULL;
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_message_new_method_call(w->bus, &m, IWD, path, iface, member);
	/* Never start iwd by asking it: on the scout it is bus-activatable,
	 * and starting it starts the firewall it requires, again and again
	 * after a failed boot. Not running is an answer to show. */
	if (r >= 0)
		r = sd_bus_message_set_auto_start(m, 0);
	if (r >= 0 && sig) {
		va_list ap;

		va_start(ap, sig);
		r = sd_bus_message_appendv(m, sig, ap);
		va_end(ap);
	}
	if (r >= 0)
		r = sd_bus_call(w->bus, m, usec, &e, ret_reply);
	if (r < 0 && ret_error)
		*ret_error = wifi_bus_error(&e, r);
	sd_bus_error_free(&e);
	sd_bus_message_unref(m);
	return r < 0 ? -1 : 0;
}

/* ---- GetManagedObjects ---- */
/* One property ("sv"), kept when the table names it with its type. */
static int read_prop(sd_bus_message *m, struct obj *o, unsigned bit)
{
	const char *name, *contents;
	char type;
	int r;

	if ((r = sd_bus_message_read(m, "s", &name)) < 0 || (r = sd_bus_message_peek_type(m, &type, &contents)) < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(props); i++) {
		void *field = (char *)o + props[i].off;

		if (props[i].bit != bit || strcmp(props[i].name, name) || contents[0] != props[i].type || contents[1])
			continue;
		if (props[i].type == 'b') {
			int b;

			r = sd_bus_message_read(m, "v", "b", &b);
			*(bool *)field = b;
		} else {
			const char *s;

			r = sd_bus_message_read(m, "v", contents, &s);
			if (r >= 0) {
				free(*(char **)field);
				*(char **)field = xstrdup(s);
			}
		}
		return r;
	}
	return sd_bus_message_skip(m, "v");
}

/* An object's interfaces, a{sa{sv}}. */
static int read_ifaces(sd_bus_message *m, struct obj *o)
{
	int r;

	if ((r = sd_bus_message_enter_container(m, 'a', "{sa{sv}}")) < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sa{sv}")) > 0) {
		const char *iface;
		unsigned bit = 0;

		if ((r = sd_bus_message_read(m, "s", &iface)) < 0)
			return r;
		for (size_t i = 0; i < ARRAY_SIZE(ifaces); i++)
			if (!strcmp(ifaces[i].name, iface))
				bit = ifaces[i].bit;
		o->has |= bit;
		if ((r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
			return r;
		while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
			if ((r = read_prop(m, o, bit)) < 0 || (r = sd_bus_message_exit_container(m)) < 0)
				return r;
		}
		if (r < 0 || (r = sd_bus_message_exit_container(m)) < 0 || (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

/* Every object iwd has, a{oa{sa{sv}}}, into *ret (to be freed). */
static int read_objects(sd_bus_message *m, struct obj **ret, size_t *ret_n)
{
	struct obj *o = NULL;
	size_t n = 0;
	int r;

	if ((r = sd_bus_message_enter_container(m, 'a', "{oa{sa{sv}}}")) < 0)
		goto out;
	while ((r = sd_bus_message_enter_container(m, 'e', "oa{sa{sv}}")) > 0) {
		const char *path;

		if ((r = sd_bus_message_read(m, "o", &path)) < 0)
			break;
		o = xreallocarray(o, n + 1, sizeof(*o));
		o[n] = (struct obj){ .path = xstrdup(path) };
		if ((r = read_ifaces(m, &o[n++])) < 0 || (r = sd_bus_message_exit_container(m)) < 0)
			break;
	}
	if (r >= 0)
		r = sd_bus_message_exit_container(m);
out:
	*ret = o;
	*ret_n = n;
	return r;
}

/* ---- the read ---- */
static const struct obj *obj_find(const struct obj *o, size_t n, const char *path, unsigned bit)
{
	for (size_t i = 0; i < n; i++)
		if ((o[i].has & bit) && path && !strcmp(o[i].path, path))
			return &o[i];
	return NULL;
}

/* The first station by path (a scout has one Wi-Fi adapter, mostly), its
 * device's name, and the agent manager and known networks. */
static void take_objects(struct wifi *w, const struct obj *o, size_t n)
{
	const struct obj *st = NULL;

	for (size_t i = 0; i < n; i++) {
		if ((o[i].has & HAS_STATION) && (!st || strcmp(o[i].path, st->path) < 0))
			st = &o[i];
		if ((o[i].has & HAS_AGENT_MANAGER) && !w->agent_manager)
			w->agent_manager = xstrdup(o[i].path);
		if ((o[i].has & HAS_KNOWN) && w->n_known < WIFI_MAX_KNOWN)
			w->known[w->n_known++] = (struct wifi_known){ xstrdup(o[i].path), xstrdup(o[i].name ? o[i].name : ""),
								      xstrdup(o[i].type ? o[i].type : "") };
	}
	if (!st)
		return;
	w->station = xstrdup(st->path);
	w->ifname = xstrdup(st->has & HAS_DEVICE && st->name ? st->name : "?");
	w->state = xstrdup(st->state ? st->state : "unknown");
	w->connected = st->connected_net ? xstrdup(st->connected_net) : NULL;
	w->scanning = st->scanning;
}

/* GetOrderedNetworks, a(on): iwd's order and each network's signal. */
static int take_networks(struct wifi *w, sd_bus_message *m, const struct obj *o, size_t n)
{
	const char *path;
	int16_t signal;
	int r;

	if ((r = sd_bus_message_enter_container(m, 'a', "(on)")) < 0)
		return r;
	while ((r = sd_bus_message_read(m, "(on)", &path, &signal)) > 0) {
		const struct obj *net = obj_find(o, n, path, HAS_NETWORK);

		if (!net)
			continue;
		if (w->n_nets == WIFI_MAX_NETS) {
			w->n_more++;
			continue;
		}
		w->nets[w->n_nets++] = (struct wifi_net){
			.path = xstrdup(path),
			.name = xstrdup(net->name ? net->name : ""),
			.type = xstrdup(net->type ? net->type : ""),
			.known = net->known ? xstrdup(net->known) : NULL,
			.connected = net->connected,
			.signal = signal,
		};
	}
	return r < 0 ? r : sd_bus_message_exit_container(m);
}

static bool bus_ready(struct wifi *w)
{
	int r;

	if (w->bus && sd_bus_is_open(w->bus) > 0)
		return true;
	w->bus = sd_bus_flush_close_unref(w->bus);
	if ((r = sd_bus_open_system(&w->bus)) < 0) {
		w->bus = NULL;
		snprintf(w->why, sizeof(w->why), "the system bus cannot be reached: %s", strerror(-r));
		return false;
	}
	return true;
}

/* Why GetManagedObjects failed, in the owner's words. */
static void not_running(struct wifi *w, const char *error)
{
	if (strstr(error, "org.freedesktop.DBus.Error.ServiceUnknown") ||
	    strstr(error, "org.freedesktop.DBus.Error.NameHasNoOwner"))
		snprintf(w->why, sizeof(w->why), "iwd is not running");
	else
		snprintf(w->why, sizeof(w->why), "iwd does not answer: %s", error);
}

void wifi_read(struct wifi *w)
{
	sd_bus_message *reply = NULL;
	struct obj *o = NULL;
	size_t n = 0;
	char *error = NULL;

	wifi_clear(w);
	if (!bus_ready(w))
		return;
	if (wifi_call(w, "/", "org.freedesktop.DBus.ObjectManager", "GetManagedObjects", READ_USEC, &reply, &error, NULL)) {
		not_running(w, error);
		goto done;
	}
	if (read_objects(reply, &o, &n) < 0) {
		snprintf(w->why, sizeof(w->why), "iwd's list of objects cannot be read");
		goto done;
	}
	w->iwd_seen = true;
	take_objects(w, o, n);
	reply = sd_bus_message_unref(reply);
	if (!w->station) {
		snprintf(w->why, sizeof(w->why), "iwd has no Wi-Fi adapter in station mode");
		goto done;
	}
	if (wifi_call(w, w->station, IWD ".Station", "GetOrderedNetworks", READ_USEC, &reply, &error, NULL) ||
	    take_networks(w, reply, o, n) < 0) {
		snprintf(w->why, sizeof(w->why), "iwd's networks cannot be read%s%s", error ? ": " : "", error ? error : "");
		goto done;
	}
	w->available = true;
done:
	free(error);
	sd_bus_message_unref(reply);
	for (size_t i = 0; i < n; i++)
		obj_free(&o[i]);
	free(o);
}

void wifi_clear(struct wifi *w)
{
	for (size_t i = 0; i < w->n_nets; i++) {
		free(w->nets[i].path);
		free(w->nets[i].name);
		free(w->nets[i].type);
		free(w->nets[i].known);
	}
	for (size_t i = 0; i < w->n_known; i++) {
		free(w->known[i].path);
		free(w->known[i].name);
		free(w->known[i].type);
	}
	free(w->station);
	free(w->agent_manager);
	free(w->ifname);
	free(w->state);
	free(w->connected);
	*w = (struct wifi){ .bus = w->bus };
}

void wifi_close(struct wifi *w)
{
	wifi_clear(w);
	w->bus = sd_bus_flush_close_unref(w->bus);
}

const struct wifi_net *wifi_net_find(const struct wifi *w, const char *path)
{
	for (size_t i = 0; path && i < w->n_nets; i++)
		if (!strcmp(w->nets[i].path, path))
			return &w->nets[i];
	return NULL;
}

/* ---- what the owner asks ---- */
static int station_call(struct wifi *w, const char *member, char **ret_error)
{
	char *error = NULL;

	if (!w->available || !w->bus) {
		*ret_error = xasprintf("Wi-Fi is not available: %s", w->why);
		return -1;
	}
	if (wifi_call(w, w->station, IWD ".Station", member, READ_USEC, NULL, &error, NULL)) {
		*ret_error = xasprintf("iwd refused %s: %s", member, error);
		free(error);
		return -1;
	}
	return 0;
}

int wifi_scan(struct wifi *w, char **ret_error)
{
	return station_call(w, "Scan", ret_error);
}

int wifi_disconnect(struct wifi *w, char **ret_error)
{
	return station_call(w, "Disconnect", ret_error);
}
