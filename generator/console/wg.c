/* WireGuard's status from the kernel, by generic netlink (libmnl): the
 * "wireguard" family's id from the controller, then WG_CMD_GET_DEVICE's
 * dump for one device, whose messages carry its peers (nested), each with
 * its last handshake (a struct __kernel_timespec, wall clock) and byte
 * counts. Every attribute is checked for its type and length before it is
 * read: a message that does not parse is an error, never a guess. */
#include "wg.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/time_types.h>
#include <linux/wireguard.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

/* The answer's buffer: a dump's messages fill at most a page each; 32 KiB
 * holds any single read. */
#define WG_BUF 32768

static int family_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID) {
		if (mnl_attr_validate(a, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		*(uint16_t *)data = mnl_attr_get_u16(a);
	}
	return MNL_CB_OK;
}

int wg_family_cb(const struct nlmsghdr *nlh, void *data)
{
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return MNL_CB_ERROR;
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr, data);
}

struct peer {
	unsigned char key[WG_KEY_LEN];
	bool has_key;
	int64_t handshake;
	uint64_t rx, tx;
};

static int peer_attr(const struct nlattr *a, void *data)
{
	struct peer *p = data;

	switch (mnl_attr_get_type(a)) {
	case WGPEER_A_PUBLIC_KEY:
		if (mnl_attr_get_payload_len(a) != WG_KEY_LEN)
			return MNL_CB_ERROR;
		memcpy(p->key, mnl_attr_get_payload(a), WG_KEY_LEN);
		p->has_key = true;
		break;
	case WGPEER_A_LAST_HANDSHAKE_TIME: {
		struct __kernel_timespec ts;

		if (mnl_attr_get_payload_len(a) != sizeof(ts))
			return MNL_CB_ERROR;
		memcpy(&ts, mnl_attr_get_payload(a), sizeof(ts));
		if (ts.tv_sec < 0)
			return MNL_CB_ERROR;
		p->handshake = ts.tv_sec;
		break;
	}
	case WGPEER_A_RX_BYTES:
	case WGPEER_A_TX_BYTES:
		if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
			return MNL_CB_ERROR;
		*(mnl_attr_get_type(a) == WGPEER_A_RX_BYTES ? &p->rx : &p->tx) = mnl_attr_get_u64(a);
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

/* WGDEVICE_A_PEERS holds one nested attribute per peer. */
static int peers_attr(const struct nlattr *a, void *data)
{
	struct wg_status *w = data;
	struct peer p = { 0 };

	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 || mnl_attr_parse_nested(a, peer_attr, &p) != MNL_CB_OK)
		return MNL_CB_ERROR;
	/* A peer whose allowed IPs did not fit in one message starts the
	 * next one again (its key and the rest of its IPs): one peer. */
	if (!p.has_key || !w->has_last || memcmp(p.key, w->last_key, WG_KEY_LEN))
		w->n_peers++;
	if (p.has_key) {
		memcpy(w->last_key, p.key, WG_KEY_LEN);
		w->has_last = true;
	}
	if (p.handshake > w->handshake)
		w->handshake = p.handshake;
	w->rx += p.rx;
	w->tx += p.tx;
	return MNL_CB_OK;
}

static int device_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) != WGDEVICE_A_PEERS)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0 || mnl_attr_parse_nested(a, peers_attr, data) != MNL_CB_OK)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

int wg_device_cb(const struct nlmsghdr *nlh, void *data)
{
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return MNL_CB_ERROR;
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), device_attr, data) == MNL_CB_OK ? MNL_CB_OK
												: MNL_CB_ERROR;
}

/* One request (a generic netlink command with one string attribute) and
 * its answers through cb, until the ACK or the dump's end. 0, or -1 with
 * errno: the kernel's error, or EBADMSG for an answer that does not
 * parse. */
static int ask(struct mnl_socket *nl, char *buf, uint16_t type, uint8_t cmd, uint16_t flags, uint16_t attr,
	       const char *value, mnl_cb_t cb, void *data)
{
	static unsigned seq;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	unsigned portid = mnl_socket_get_portid(nl);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	mnl_attr_put_strz(nlh, attr, value);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, WG_BUF);
		int r;

		if (n < 0)
			return -1;
		errno = EBADMSG; /* what a callback's MNL_CB_ERROR means; the kernel's errors set their own */
		r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
		if (r == MNL_CB_ERROR)
			return -1;
		if (r == MNL_CB_STOP)
			return 0;
	}
}

void wg_status_read(const char *ifname, struct wg_status *w)
{
	static char buf[WG_BUF];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	const struct timeval timeout = { .tv_sec = 2 };
	uint16_t family = 0;

	*w = (struct wg_status){ .state = WG_FAILED };
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0) {
		w->error = errno;
	} else if (ask(nl, buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME,
		       wg_family_cb, &family) < 0) {
		w->error = errno;
		if (errno == ENOENT)
			w->state = WG_NO_MODULE;
	} else if (!family) {
		w->error = EBADMSG;
	} else if (ask(nl, buf, family, WG_CMD_GET_DEVICE, NLM_F_DUMP, WGDEVICE_A_IFNAME, ifname, wg_device_cb, w) < 0) {
		int e = errno;

		/* What the dump added before failing is no status. */
		*w = (struct wg_status){ .state = e == ENODEV ? WG_NO_DEVICE : WG_FAILED, .error = e };
	} else {
		w->state = WG_READ;
	}
	if (nl)
		mnl_socket_close(nl);
	/* The dump carries the device's private key and the peers' pre-shared
	 * keys: not kept. */
	explicit_bzero(buf, sizeof(buf));
}

void wg_age(int64_t t, int64_t now, char *buf, size_t size)
{
	int64_t s = now - t;

	if (s < 0)
		snprintf(buf, size, "in the future (the clock?)");
	else if (s < 120)
		snprintf(buf, size, "%lld s ago", (long long)s);
	else if (s < 120 * 60)
		snprintf(buf, size, "%lld min ago", (long long)(s / 60));
	else if (s < 48 * 3600)
		snprintf(buf, size, "%lld h ago", (long long)(s / 3600));
	else
		snprintf(buf, size, "%lld d ago", (long long)(s / 86400));
}
