/* The console's side of iwd, over D-Bus (sd-bus): what iwd says about the
 * first Wi-Fi station and the networks in range, and the three things the
 * owner asks of it: scan, join (answering iwd's agent request with the
 * typed passphrase), disconnect. Every value shown is read back from iwd
 * (net.connman.iwd, ObjectManager.GetManagedObjects at /), never assumed
 * from what was asked. */
#ifndef SCOUT_CONSOLE_WIFI_H
#define SCOUT_CONSOLE_WIFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <systemd/sd-bus.h>

#define WIFI_MAX_NETS 12

struct wifi_net {
	char *path;   /* net.connman.iwd.Network object */
	char *name;   /* Name: the SSID, from the air (escape it) */
	char *type;   /* Type: psk, open, 8021x, wep */
	char *known;  /* KnownNetwork, or NULL */
	bool connected;
	int16_t signal; /* 100 * dBm, from Station.GetOrderedNetworks */
};

/* A KnownNetwork: what iwd keeps in its storage directory (under /run on
 * the scout), to tell a known network this console's join made. */
struct wifi_known {
	char *path, *name, *type;
};
#define WIFI_MAX_KNOWN 32

/* One read of iwd. Zero-initialised before the first wifi_read. */
struct wifi {
	sd_bus *bus;        /* the system bus, kept between reads */
	bool iwd_seen;      /* iwd answered */
	bool available;     /* and has a station */
	char why[200];      /* when not: why, in the owner's words */
	char *station;      /* the station's (and device's) object path */
	char *agent_manager; /* net.connman.iwd.AgentManager's path */
	char *ifname;       /* Device.Name, from the kernel (escape it) */
	char *state;        /* Station.State: connected, disconnected, ... */
	char *connected;    /* Station.ConnectedNetwork, or NULL */
	bool scanning;
	struct wifi_net nets[WIFI_MAX_NETS]; /* iwd's order: connected first */
	size_t n_nets, n_more;
	struct wifi_known known[WIFI_MAX_KNOWN];
	size_t n_known;
};

/* Reads iwd's state again (the bus is opened on first use, and again
 * after it failed). Never fails: w->available says whether it worked. */
void wifi_read(struct wifi *w);
/* What wifi_read filled, the bus kept. */
void wifi_clear(struct wifi *w);
/* wifi_clear and the bus closed. */
void wifi_close(struct wifi *w);
/* The network at path in the last read, or NULL. */
const struct wifi_net *wifi_net_find(const struct wifi *w, const char *path);

/* Station.Scan, Station.Disconnect. 0, or -1 with the reason in
 * *ret_error (to be freed). */
int wifi_scan(struct wifi *w, char **ret_error);
int wifi_disconnect(struct wifi *w, char **ret_error);

/* For wifi_join.c: a method call to iwd with a timeout and its reply (may
 * be NULL); 0, or -1 with the reason, escaped, in *ret_error (optional,
 * to be freed). */
int wifi_call(struct wifi *w, const char *path, const char *iface, const char *member, uint64_t usec,
	      sd_bus_message **ret_reply, char **ret_error, const char *sig, ...);
/* What D-Bus or iwd said, "NAME: message" escaped, or strerror(-r). */
char *wifi_bus_error(const sd_bus_error *e, int r);

#endif
