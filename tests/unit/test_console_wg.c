/* The console's WireGuard status (console/wg.c): the kernel's answers as
 * the kernel writes them (generic netlink messages built here with
 * libmnl, nested the same way), run through libmnl's own mnl_cb_run; bad
 * answers (short attributes, wrong types, truncated messages) are errors,
 * never numbers; the handshake's age as the owner reads it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/time_types.h>
#include <linux/wireguard.h>
#include <string.h>
#include <unistd.h>

#include "console/wg.h"

#define SEQ 7
#define PORTID 4242

static _Alignas(4) char buf[16384];
static size_t used;

/* A new message of the device dump at the end of buf. */
static struct nlmsghdr *device_msg(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + used);
	struct genlmsghdr *g;

	nlh->nlmsg_type = 33; /* the family's id: any */
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = WG_CMD_GET_DEVICE;
	g->version = WG_GENL_VERSION;
	mnl_attr_put_u32(nlh, WGDEVICE_A_IFINDEX, 5);
	mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, "wg0");
	mnl_attr_put_u16(nlh, WGDEVICE_A_LISTEN_PORT, 51820);
	return nlh;
}

static void done(struct nlmsghdr *nlh)
{
	used += nlh->nlmsg_len;
}

/* A peer as the kernel nests it: key, endpoint, handshake, counters,
 * allowed IPs. */
static unsigned char next_key = 1;

static void put_peer(struct nlmsghdr *nlh, int64_t sec, uint64_t rx, uint64_t tx)
{
	struct __kernel_timespec ts = { .tv_sec = sec, .tv_nsec = 123 };
	unsigned char key[WG_KEY_LEN] = { next_key++, 2, 3 };
	uint32_t ip = 0x0a010000;
	struct nlattr *peer = mnl_attr_nest_start(nlh, 0), *ips, *one;

	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, sizeof(key), key);
	mnl_attr_put(nlh, WGPEER_A_LAST_HANDSHAKE_TIME, sizeof(ts), &ts);
	mnl_attr_put_u64(nlh, WGPEER_A_RX_BYTES, rx);
	mnl_attr_put_u64(nlh, WGPEER_A_TX_BYTES, tx);
	mnl_attr_put_u16(nlh, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 25);
	ips = mnl_attr_nest_start(nlh, WGPEER_A_ALLOWEDIPS);
	one = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u16(nlh, WGALLOWEDIP_A_FAMILY, 2);
	mnl_attr_put(nlh, WGALLOWEDIP_A_IPADDR, sizeof(ip), &ip);
	mnl_attr_put_u8(nlh, WGALLOWEDIP_A_CIDR_MASK, 24);
	mnl_attr_nest_end(nlh, one);
	mnl_attr_nest_end(nlh, ips);
	mnl_attr_nest_end(nlh, peer);
}

/* One message of the dump with these peers (as put_peer puts them). */
struct peer_values {
	int64_t sec;
	uint64_t rx, tx;
};

static void peers_msg(const struct peer_values *p, size_t n)
{
	struct nlmsghdr *nlh = device_msg();
	struct nlattr *peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);

	for (size_t i = 0; i < n; i++)
		put_peer(nlh, p[i].sec, p[i].rx, p[i].tx);
	mnl_attr_nest_end(nlh, peers);
	done(nlh);
}

static void put_done(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + used);

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	used += nlh->nlmsg_len;
}

static int run(struct wg_status *w)
{
	*w = (struct wg_status){ 0 };
	return mnl_cb_run(buf, used, SEQ, PORTID, wg_device_cb, w);
}

static int setup(void **state)
{
	(void)state;
	memset(buf, 0, sizeof(buf));
	used = 0;
	return 0;
}

static void test_one_peer(void **state)
{
	static const struct peer_values p[] = { { 1764940000, 4096, 1024 } };
	struct wg_status w;

	(void)state;
	peers_msg(p, 1);
	put_done();
	assert_int_equal(run(&w), MNL_CB_STOP);
	assert_int_equal(w.n_peers, 1);
	assert_int_equal(w.handshake, 1764940000);
	assert_int_equal(w.rx, 4096);
	assert_int_equal(w.tx, 1024);
}

/* The kernel splits a device's peers over several messages of the dump;
 * the newest handshake of all counts. */
static void test_peers_over_messages(void **state)
{
	static const struct peer_values first[] = { { 1764940000, 10, 1 }, { 1764930000, 20, 2 } };
	static const struct peer_values second[] = { { 1764940100, 10, 1 }, { 0, 20, 2 } };
	struct wg_status w;

	(void)state;
	peers_msg(first, 2);
	peers_msg(second, 2);
	put_done();
	assert_int_equal(run(&w), MNL_CB_STOP);
	assert_int_equal(w.n_peers, 4);
	assert_int_equal(w.handshake, 1764940100);
	assert_int_equal(w.rx, 60);
	assert_int_equal(w.tx, 6);
}

/* A peer whose allowed IPs did not fit in one message: the next one
 * starts with it again (its key and the rest of its IPs only). */
static void test_peer_continued(void **state)
{
	static const struct peer_values p[] = { { 1764940000, 100, 10 } };
	struct nlmsghdr *nlh;
	struct nlattr *peers, *peer;
	unsigned char key[WG_KEY_LEN] = { 9, 2, 3 };
	struct wg_status w;

	(void)state;
	next_key = 9; /* the same key as below */
	peers_msg(p, 1);
	nlh = device_msg();
	peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	peer = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, sizeof(key), key);
	mnl_attr_nest_end(nlh, peer);
	put_peer(nlh, 1764940050, 1, 1); /* then another peer */
	mnl_attr_nest_end(nlh, peers);
	done(nlh);
	put_done();
	assert_int_equal(run(&w), MNL_CB_STOP);
	assert_int_equal(w.n_peers, 2);
	assert_int_equal(w.handshake, 1764940050);
	assert_int_equal(w.rx, 101);
}

/* A device without peers, and a peer that never shook hands. */
static void test_no_handshake(void **state)
{
	static const struct peer_values p[] = { { 0, 0, 148 } };
	struct wg_status w;

	(void)state;
	done(device_msg());
	peers_msg(p, 1);
	put_done();
	assert_int_equal(run(&w), MNL_CB_STOP);
	assert_int_equal(w.n_peers, 1);
	assert_int_equal(w.handshake, 0);
}

/* bad_peer KIND: a peer whose one attribute is wrong. */
enum bad { SHORT_HANDSHAKE, NEGATIVE_HANDSHAKE, SHORT_RX, LONG_TX, PEER_NOT_NESTED, PEERS_NOT_NESTED };

static void bad_message(enum bad kind)
{
	struct nlmsghdr *nlh = device_msg();
	struct wg_status w;

	if (kind == PEERS_NOT_NESTED) {
		mnl_attr_put(nlh, WGDEVICE_A_PEERS, 3, "abc");
	} else {
		struct nlattr *peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);

		put_peer(nlh, 1764940000, 1, 1);
		if (kind == PEER_NOT_NESTED) {
			mnl_attr_put_u16(nlh, 1, 7);
		} else {
			struct __kernel_timespec ts = { .tv_sec = -5 };
			uint32_t small = 9;
			unsigned char big[12] = { 0 };
			struct nlattr *peer = mnl_attr_nest_start(nlh, 1);

			if (kind == SHORT_HANDSHAKE)
				mnl_attr_put(nlh, WGPEER_A_LAST_HANDSHAKE_TIME, 8, &ts);
			else if (kind == NEGATIVE_HANDSHAKE)
				mnl_attr_put(nlh, WGPEER_A_LAST_HANDSHAKE_TIME, sizeof(ts), &ts);
			else if (kind == SHORT_RX)
				mnl_attr_put(nlh, WGPEER_A_RX_BYTES, sizeof(small), &small);
			else
				mnl_attr_put(nlh, WGPEER_A_TX_BYTES, sizeof(big), big);
			mnl_attr_nest_end(nlh, peer);
		}
		mnl_attr_nest_end(nlh, peers);
	}
	done(nlh);
	put_done();
	assert_int_equal(run(&w), MNL_CB_ERROR);
}

static void test_bad_attributes(void **state)
{
	static const enum bad kinds[] = { SHORT_HANDSHAKE, NEGATIVE_HANDSHAKE, SHORT_RX,
					  LONG_TX,	   PEER_NOT_NESTED,    PEERS_NOT_NESTED };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		setup(state);
		bad_message(kinds[i]);
	}
}

/* A message too short for its generic netlink header. */
static void test_short_message(void **state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct wg_status w = { 0 };

	(void)state;
	nlh->nlmsg_type = 33;
	nlh->nlmsg_len = (uint32_t)mnl_nlmsg_size(2); /* a genlmsghdr is 4 bytes */
	assert_int_equal(wg_device_cb(nlh, &w), MNL_CB_ERROR);
	assert_int_equal(wg_family_cb(nlh, &w), MNL_CB_ERROR);
}

static void test_family(void **state)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	uint16_t id = 0;

	(void)state;
	nlh->nlmsg_type = GENL_ID_CTRL;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, WG_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 35);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	assert_int_equal(wg_family_cb(nlh, &id), MNL_CB_OK);
	assert_int_equal(id, 35);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 36);
	id = 0;
	assert_int_equal(wg_family_cb(nlh, &id), MNL_CB_ERROR);
	assert_int_equal(id, 0);
}

static void test_age(void **state)
{
	static const struct {
		int64_t ago;
		const char *text;
	} cases[] = {
		{ 0, "0 s ago" },	  { 12, "12 s ago" },	  { 119, "119 s ago" },	    { 120, "2 min ago" },
		{ 7199, "119 min ago" }, { 7200, "2 h ago" },	  { 172799, "47 h ago" },   { 172800, "2 d ago" },
		{ -1, "in the future (the clock?)" },
	};
	char text[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wg_age(1764940000 - cases[i].ago, 1764940000, text, sizeof(text));
		assert_string_equal(text, cases[i].text);
	}
}

/* The real socket: this kernel's answer for a device that is not there.
 * Without the wireguard module the family is missing; with it, the
 * device is. */
static void test_read_kernel(void **state)
{
	struct wg_status w;

	(void)state;
	wg_status_read("scout-no-wg0", &w);
	if (access("/sys/module/wireguard", F_OK) != 0) {
		assert_int_equal(w.state, WG_NO_MODULE);
	} else if (geteuid() == 0) {
		assert_int_equal(w.state, WG_NO_DEVICE);
	} else {
		assert_int_equal(w.state, WG_FAILED);
		assert_int_equal(w.error, EPERM);
	}
	assert_int_equal(w.n_peers, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_one_peer, setup),
		cmocka_unit_test_setup(test_peers_over_messages, setup),
		cmocka_unit_test_setup(test_peer_continued, setup),
		cmocka_unit_test_setup(test_no_handshake, setup),
		cmocka_unit_test_setup(test_bad_attributes, setup),
		cmocka_unit_test_setup(test_short_message, setup),
		cmocka_unit_test_setup(test_family, setup),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_read_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
