/* A fake iwd for tests/console.sh (real iwd needs cfg80211 radios, which
 * this host's kernel lacks): net.connman.iwd on the bus of
 * DBUS_SYSTEM_BUS_ADDRESS with iwd's object tree and API as its doc/ says
 * (ObjectManager at /, AgentManager at /net/connman/iwd, an adapter, a
 * station device, its networks and the known networks), and iwd's ways:
 * a psk network it has no passphrase for asks the caller's agent
 * (RequestPassphrase(o) -> s), a wrong one fails the Connect with
 * net.connman.iwd.Failed and the station back to disconnected. The
 * networks: hostile SSIDs (ESC, C1 CSI, control bytes, 32 bytes), a psk
 * one that takes one passphrase, open ones, a known one whose AP is gone,
 * an 802.1X one. Each call is logged (never a passphrase) to --log FILE.
 * --keep-failed: a failed join leaves its KnownNetwork behind (an iwd
 * that saved it early), which the console must forget. Differences from
 * iwd: no PropertiesChanged signals and no Properties interface (the
 * console reads everything through GetManagedObjects). */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#define IWD "net.connman.iwd"
#define BASE "/net/connman/iwd"
#define ADAPTER BASE "/0"
#define DEVICE ADAPTER "/4"
#define PASSPHRASE "correct horse battery"

struct net {
	const char *ssid, *type;
	short signal;
	enum { JOIN_OK, JOIN_FAIL } how; /* JOIN_FAIL: the AP is gone */
	bool known;
	char path[160], known_path[160];
};

static struct net nets[] = {
	{ "scout-lab", "psk", -4800, JOIN_OK, false },
	{ "cafe open", "open", -6500, JOIN_OK, false },
	{ "home-net", "psk", -7000, JOIN_FAIL, true },
	{ "evil\x1b[2J\x1b]0;pwned\x07", "psk", -7200, JOIN_OK, false },
	{ "\xc2\x9b" "31mred", "psk", -7400, JOIN_OK, false },
	{ "0123456789abcdef0123456789ABCDEF", "open", -8000, JOIN_OK, false },
	{ "corp", "8021x", -8200, JOIN_OK, false },
	{ "ctl\x01\x7f\ttab", "open", -8500, JOIN_OK, false },
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "psk", -9000, JOIN_OK, false },
	{ "lost-ap", "open", -9100, JOIN_FAIL, false },
};
#define N_NETS (sizeof(nets) / sizeof(nets[0]))

static struct {
	sd_bus *bus;
	sd_event *event;
	FILE *log;
	bool keep_failed, scanning;
	bool join_ok; /* how the join under way ends */
	const char *state;
	int connected; /* index, -1: none */
	sd_bus_message *pending; /* a Connect not yet answered */
	char *agent_owner, *agent_path;
} s = { .state = "disconnected", .connected = -1 };

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(s.log, fmt, ap);
	va_end(ap);
	fputc('\n', s.log);
	fflush(s.log);
}

static void hex(const char *ssid, char *out)
{
	for (const unsigned char *p = (const unsigned char *)ssid; *p; p++, out += 2)
		sprintf(out, "%02x", *p);
	*out = '\0';
}

/* ---- GetManagedObjects ---- */
static int prop_s(sd_bus_message *m, const char *name, const char *type, const char *value)
{
	return sd_bus_message_append(m, "{sv}", name, type, value);
}

static int prop_b(sd_bus_message *m, const char *name, bool value)
{
	return sd_bus_message_append(m, "{sv}", name, "b", (int)value);
}

/* A dict entry of GetManagedObjects opened, its key written and its
 * value's array opened: an object (o -> a{sa{sv}}) or an interface
 * (s -> a{sv}). */
static int entry_open(sd_bus_message *m, const char *entry, const char *key_type, const char *key,
		      const char *array)
{
	int r = sd_bus_message_open_container(m, 'e', entry);

	if (r >= 0)
		r = sd_bus_message_append(m, key_type, key);
	return r < 0 ? r : sd_bus_message_open_container(m, 'a', array);
}

static int iface_open(sd_bus_message *m, const char *iface)
{
	return entry_open(m, "sa{sv}", "s", iface, "{sv}");
}

static int iface_close(sd_bus_message *m)
{
	int r = sd_bus_message_close_container(m);

	return r < 0 ? r : sd_bus_message_close_container(m);
}

static int object_open(sd_bus_message *m, const char *path)
{
	return entry_open(m, "oa{sa{sv}}", "o", path, "{sa{sv}}");
}

static int device_station(sd_bus_message *m)
{
	int r = object_open(m, DEVICE);

	r = r < 0 ? r : iface_open(m, IWD ".Device");
	r = r < 0 ? r : prop_s(m, "Name", "s", "wlan0");
	r = r < 0 ? r : prop_s(m, "Address", "s", "02:00:00:00:01:00");
	r = r < 0 ? r : prop_b(m, "Powered", true);
	r = r < 0 ? r : prop_s(m, "Adapter", "o", ADAPTER);
	r = r < 0 ? r : prop_s(m, "Mode", "s", "station");
	r = r < 0 ? r : iface_close(m);
	r = r < 0 ? r : iface_open(m, IWD ".Station");
	r = r < 0 ? r : prop_s(m, "State", "s", s.state);
	if (r >= 0 && s.connected >= 0) /* optional: absent when none */
		r = prop_s(m, "ConnectedNetwork", "o", nets[s.connected].path);
	r = r < 0 ? r : prop_b(m, "Scanning", s.scanning);
	r = r < 0 ? r : iface_close(m);
	return r < 0 ? r : iface_close(m);
}

static int network(sd_bus_message *m, const struct net *n, int i)
{
	int r = object_open(m, n->path);

	r = r < 0 ? r : iface_open(m, IWD ".Network");
	r = r < 0 ? r : prop_s(m, "Name", "s", n->ssid);
	r = r < 0 ? r : prop_b(m, "Connected", s.connected == i);
	r = r < 0 ? r : prop_s(m, "Device", "o", DEVICE);
	r = r < 0 ? r : prop_s(m, "Type", "s", n->type);
	if (r >= 0 && n->known)
		r = prop_s(m, "KnownNetwork", "o", n->known_path);
	r = r < 0 ? r : iface_close(m);
	r = r < 0 ? r : iface_close(m);
	if (r < 0 || !n->known)
		return r;
	r = object_open(m, n->known_path);
	r = r < 0 ? r : iface_open(m, IWD ".KnownNetwork");
	r = r < 0 ? r : prop_s(m, "Name", "s", n->ssid);
	r = r < 0 ? r : prop_s(m, "Type", "s", n->type);
	r = r < 0 ? r : prop_b(m, "Hidden", false);
	r = r < 0 ? r : prop_b(m, "AutoConnect", true);
	r = r < 0 ? r : iface_close(m);
	return r < 0 ? r : iface_close(m);
}

static int managed_objects(sd_bus_message *call)
{
	sd_bus_message *m = NULL;
	int r = sd_bus_message_new_method_return(call, &m);

	r = r < 0 ? r : sd_bus_message_open_container(m, 'a', "{oa{sa{sv}}}");
	r = r < 0 ? r : object_open(m, BASE);
	r = r < 0 ? r : iface_open(m, IWD ".AgentManager");
	r = r < 0 ? r : iface_close(m);
	r = r < 0 ? r : iface_close(m);
	r = r < 0 ? r : object_open(m, ADAPTER);
	r = r < 0 ? r : iface_open(m, IWD ".Adapter");
	r = r < 0 ? r : prop_b(m, "Powered", true);
	r = r < 0 ? r : prop_s(m, "Name", "s", "phy0");
	r = r < 0 ? r : iface_close(m);
	r = r < 0 ? r : iface_close(m);
	r = r < 0 ? r : device_station(m);
	for (size_t i = 0; r >= 0 && i < N_NETS; i++)
		r = network(m, &nets[i], (int)i);
	r = r < 0 ? r : sd_bus_message_close_container(m);
	r = r < 0 ? r : sd_bus_send(NULL, m, NULL);
	sd_bus_message_unref(m);
	return r < 0 ? r : 1;
}

static int ordered_networks(sd_bus_message *call)
{
	sd_bus_message *m = NULL;
	int r = sd_bus_message_new_method_return(call, &m);

	r = r < 0 ? r : sd_bus_message_open_container(m, 'a', "(on)");
	if (r >= 0 && s.connected >= 0) /* iwd: the connected network first */
		r = sd_bus_message_append(m, "(on)", nets[s.connected].path, nets[s.connected].signal);
	for (size_t i = 0; r >= 0 && i < N_NETS; i++)
		if ((int)i != s.connected)
			r = sd_bus_message_append(m, "(on)", nets[i].path, nets[i].signal);
	r = r < 0 ? r : sd_bus_message_close_container(m);
	r = r < 0 ? r : sd_bus_send(NULL, m, NULL);
	sd_bus_message_unref(m);
	return r < 0 ? r : 1;
}

/* ---- joining ---- */
static void set_disconnected(void)
{
	s.state = "disconnected";
	s.connected = -1;
}

/* Answers the pending Connect: NULL, or iwd's error. */
static void connect_reply(const char *error, const char *text)
{
	if (!s.pending)
		return;
	if (error)
		sd_bus_reply_method_errorf(s.pending, error, "%s", text);
	else
		sd_bus_reply_method_return(s.pending, "");
	note("Connect -> %s", error ? error : "ok");
	s.pending = sd_bus_message_unref(s.pending);
}

/* The end of a join, a moment later (as iwd after the handshake). */
static int join_end(sd_event_source *src, uint64_t usec, void *userdata)
{
	bool ok = s.join_ok;

	(void)src;
	(void)usec;
	(void)userdata;
	if (!s.pending)
		return 0;
	if (ok) {
		s.state = "connected";
		nets[s.connected].known = true; /* iwd keeps a network it joined */
		connect_reply(NULL, NULL);
	} else {
		if (s.keep_failed && s.connected >= 0)
			nets[s.connected].known = true;
		set_disconnected();
		connect_reply(IWD ".Failed", "Operation failed");
	}
	return 0;
}

static void join_later(bool ok, unsigned ms)
{
	s.join_ok = ok;
	sd_event_add_time_relative(s.event, NULL, CLOCK_MONOTONIC, ms * 1000ULL, 0, join_end, NULL);
}

static int passphrase_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	const char *passphrase;
	bool right;

	(void)userdata;
	(void)ret_error;
	if (sd_bus_message_is_method_error(m, NULL)) {
		note("RequestPassphrase -> %s", sd_bus_message_get_error(m)->name);
		set_disconnected();
		connect_reply(IWD ".Aborted", "Operation aborted");
		return 0;
	}
	if (sd_bus_message_read(m, "s", &passphrase) < 0)
		return 0;
	right = !strcmp(passphrase, PASSPHRASE);
	note("RequestPassphrase -> a passphrase, %s", right ? "right" : "wrong");
	join_later(right, 500);
	return 0;
}

static int agent_ask(int i)
{
	return sd_bus_call_method_async(s.bus, NULL, s.agent_owner, s.agent_path, IWD ".Agent", "RequestPassphrase",
					passphrase_reply, NULL, "o", nets[i].path);
}

static int do_connect(sd_bus_message *m, int i)
{
	note("Connect %s", nets[i].path);
	if (s.pending)
		return sd_bus_reply_method_errorf(m, IWD ".Busy", "Operation failed");
	if (!strcmp(nets[i].type, "8021x"))
		return sd_bus_reply_method_errorf(m, IWD ".NotConfigured", "Not configured");
	if (!strcmp(nets[i].type, "psk") && !nets[i].known &&
	    (!s.agent_owner || strcmp(s.agent_owner, sd_bus_message_get_sender(m))))
		return sd_bus_reply_method_errorf(m, IWD ".NoAgent", "No Agent registered");
	s.pending = sd_bus_message_ref(m);
	s.state = "connecting";
	s.connected = i;
	if (!strcmp(nets[i].type, "psk") && !nets[i].known)
		return agent_ask(i) < 0 ? -EIO : 1;
	join_later(nets[i].how == JOIN_OK, nets[i].how == JOIN_OK ? 300 : 3000);
	return 1;
}

static int do_disconnect(sd_bus_message *m)
{
	note("Disconnect");
	if (!strcmp(s.state, "disconnected"))
		return sd_bus_reply_method_errorf(m, IWD ".NotConnected", "Not connected");
	set_disconnected();
	connect_reply(IWD ".Aborted", "Operation aborted");
	return sd_bus_reply_method_return(m, "");
}

static int scan_end(sd_event_source *src, uint64_t usec, void *userdata)
{
	(void)src;
	(void)usec;
	(void)userdata;
	s.scanning = false;
	return 0;
}

static int do_scan(sd_bus_message *m)
{
	note("Scan");
	if (s.scanning)
		return sd_bus_reply_method_errorf(m, IWD ".Busy", "Operation failed");
	s.scanning = true;
	sd_event_add_time_relative(s.event, NULL, CLOCK_MONOTONIC, 500 * 1000ULL, 0, scan_end, NULL);
	return sd_bus_reply_method_return(m, "");
}

static int do_forget(sd_bus_message *m, int i)
{
	note("Forget %s", nets[i].known_path);
	nets[i].known = false;
	if (s.connected == i)
		set_disconnected();
	return sd_bus_reply_method_return(m, "");
}

static int do_agent(sd_bus_message *m, bool reg)
{
	const char *path, *sender = sd_bus_message_get_sender(m);
	int r = sd_bus_message_read(m, "o", &path);

	if (r < 0)
		return r;
	note("%sAgent %s", reg ? "Register" : "Unregister", path);
	if (reg && s.agent_owner)
		return sd_bus_reply_method_errorf(m, IWD ".AlreadyExists", "Object already exists");
	if (!reg && (!s.agent_owner || strcmp(s.agent_owner, sender) || strcmp(s.agent_path, path)))
		return sd_bus_reply_method_errorf(m, IWD ".NotFound", "Object not found");
	free(s.agent_owner);
	free(s.agent_path);
	s.agent_owner = reg ? strdup(sender) : NULL;
	s.agent_path = reg ? strdup(path) : NULL;
	return sd_bus_reply_method_return(m, "");
}

/* ---- dispatch: every path under / ---- */
static int by_path(const char *path, bool known)
{
	for (size_t i = 0; i < N_NETS; i++)
		if (!strcmp(path, known ? nets[i].known_path : nets[i].path) && (!known || nets[i].known))
			return (int)i;
	return -1;
}

static int handler(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	const char *path = sd_bus_message_get_path(m);
	int i;

	(void)userdata;
	(void)ret_error;
	if (sd_bus_message_is_method_call(m, "org.freedesktop.DBus.ObjectManager", "GetManagedObjects"))
		return strcmp(path, "/") ? 0 : managed_objects(m);
	if (sd_bus_message_is_method_call(m, IWD ".AgentManager", NULL) && !strcmp(path, BASE))
		return do_agent(m, sd_bus_message_is_method_call(m, NULL, "RegisterAgent"));
	if (sd_bus_message_is_method_call(m, IWD ".Station", NULL) && !strcmp(path, DEVICE)) {
		if (sd_bus_message_is_method_call(m, NULL, "GetOrderedNetworks"))
			return ordered_networks(m);
		if (sd_bus_message_is_method_call(m, NULL, "Disconnect"))
			return do_disconnect(m);
		if (sd_bus_message_is_method_call(m, NULL, "Scan"))
			return do_scan(m);
	}
	if (sd_bus_message_is_method_call(m, IWD ".Network", "Connect") && (i = by_path(path, false)) >= 0)
		return do_connect(m, i);
	if (sd_bus_message_is_method_call(m, IWD ".KnownNetwork", "Forget") && (i = by_path(path, true)) >= 0)
		return do_forget(m, i);
	return 0; /* sd-bus answers: unknown method or object */
}

int main(int argc, char **argv)
{
	int r;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--log") && i + 1 < argc)
			s.log = fopen(argv[++i], "a");
		else if (!strcmp(argv[i], "--keep-failed"))
			s.keep_failed = true;
	}
	if (!s.log) {
		fprintf(stderr, "usage: fake-iwd --log FILE [--keep-failed]\n");
		return 2;
	}
	for (size_t i = 0; i < N_NETS; i++) {
		char h[80];

		hex(nets[i].ssid, h);
		snprintf(nets[i].path, sizeof(nets[i].path), "%s/%s_%s", DEVICE, h, nets[i].type);
		snprintf(nets[i].known_path, sizeof(nets[i].known_path), "%s/%s_%s", BASE, h, nets[i].type);
	}
	r = sd_event_default(&s.event);
	r = r < 0 ? r : sd_bus_open_system(&s.bus);
	r = r < 0 ? r : sd_bus_add_fallback(s.bus, NULL, "/", handler, NULL);
	r = r < 0 ? r : sd_bus_request_name(s.bus, IWD, 0);
	r = r < 0 ? r : sd_bus_attach_event(s.bus, s.event, 0);
	if (r < 0) {
		fprintf(stderr, "fake-iwd: %s\n", strerror(-r));
		return 1;
	}
	note("ready");
	r = sd_event_loop(s.event);
	return r < 0 ? 1 : 0;
}
