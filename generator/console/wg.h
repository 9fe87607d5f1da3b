/* WireGuard's tunnel as the kernel has it: the peers of one device and
 * their newest handshake, read by generic netlink with libmnl (as `wg
 * show` reads them). The parsers are apart from the socket, so that tests
 * feed them messages built by hand. */
#ifndef SCOUT_CONSOLE_WG_H
#define SCOUT_CONSOLE_WG_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A handshake older than this is no tunnel: WireGuard itself drops a
 * session after 180 s (Reject-After-Time), and with PersistentKeepalive a
 * live one is renewed every 2 minutes. */
#define WG_HANDSHAKE_FRESH 180

enum wg_state {
	WG_READ,      /* the device's peers were read */
	WG_NO_MODULE, /* no "wireguard" generic netlink family: no WireGuard in the kernel */
	WG_NO_DEVICE, /* no WireGuard device of that name */
	WG_FAILED,    /* could not ask, or the answer did not parse (error) */
};

struct wg_status {
	enum wg_state state;
	int error;          /* errno, for WG_FAILED */
	unsigned n_peers;
	int64_t handshake;  /* the newest handshake of any peer, seconds since the epoch; 0: none yet */
	uint64_t rx, tx;    /* bytes, all peers */
	unsigned char last_key[32]; /* the last peer's public key (a peer may span two messages) */
	bool has_last;
};

/* mnl_cb_t for the answer to CTRL_CMD_GETFAMILY: the family's id into
 * *(uint16_t *)data. MNL_CB_ERROR when the message does not parse. */
int wg_family_cb(const struct nlmsghdr *nlh, void *data);
/* mnl_cb_t for one message of WG_CMD_GET_DEVICE's dump (a device's peers
 * may come in several): adds its peers to *(struct wg_status *)data.
 * MNL_CB_ERROR when the message does not parse. */
int wg_device_cb(const struct nlmsghdr *nlh, void *data);
/* ifname's peers into *w; w->state says what was found. */
void wg_status_read(const char *ifname, struct wg_status *w);
/* How long ago a handshake at t was, now being now: "12 s ago", "5 min
 * ago", "3 h ago", "2 d ago"; "in the future" for a clock set back. */
void wg_age(int64_t t, int64_t now, char *buf, size_t size);

#endif
