/* scout-console's checks and texts, which need no terminal: what a toggle
 * says it opens, the Static IP and Proxy forms' checks, and running a
 * program by argv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console/console.h"
#include "profile_load.h"

static struct profile *load(const char *text)
{
	struct diag d = { 0 };
	struct profile *p = NULL;

	assert_int_equal(profile_parse("t.yaml", text, strlen(text), &d, &p), 0);
	return p;
}

#define DEFAULT "vpn:\n  server: vpn.example.org\n"
#define CUSTOM                                                                                        \
	"vpn:\n  server: vpn.example.org\n  interface: vpn7\n  protocol: tcp\n"                        \
	"lan:\n  interfaces: [enp+, usb0]\nhost_control:\n  port: 2222\n"                              \
	"forward:\n  tcp: [443, 3000-3004]\n  udp: [51820]\nhost_ports:\n  udp: [5353]\n"

static void same(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_describe(void **state)
{
	struct profile *p = load(DEFAULT), *c = load(CUSTOM);

	(void)state;
	same(describe_lan_access(p, false), "TCP 22, 2000-2009 of the container from eth+, wlan+");
	same(describe_lan_access(p, true),
	     "TCP 22, 2000-2009 of the container; the host's SSH, TCP 23 (Host Control is on) from eth+, wlan+");
	same(describe_host_control(p, false), "the host's SSH, TCP 23, from the VPN (tap0)");
	same(describe_host_control(p, true),
	     "the host's SSH, TCP 23, from the VPN (tap0) and from eth+, wlan+ (Access from LAN is on)");
	same(describe_lan_access(c, false),
	     "TCP 443, 3000-3004 of the container; UDP 51820 of the container; UDP 5353 of the host from enp+, usb0");
	same(describe_host_control(c, false), "the host's SSH, TCP 2222, from the VPN (vpn7)");
	same(describe_ports("TCP", &c->forward.tcp), "TCP 443, 3000-3004");
	profile_free(p);
	profile_free(c);
}

static void test_static_ip_interface(void **state)
{
	struct profile *p = load(DEFAULT);
	struct static_ip ip = { .prefix = 99 };

	(void)state;
	assert_null(static_ip_ifname(p, "wlan7")); /* a LAN interface, plugged in or not */
	same(static_ip_ifname(p, "tap0"), "Interface: 'tap0' is not a LAN interface (lan.interfaces: eth+, wlan+)");
	same(static_ip_ifname(p, "eth/0"),
	     "Interface: 'eth/0' contains a character Linux refuses in interface names ('/', ':', whitespace or non-ASCII)");
	same(static_ip_ifname(p, ""), "Interface: '' is empty");
	same(static_ip_parse(p, "eth97", "192.168.1.20/24", "", "", &ip), "Interface: 'eth97' is not on this scout");
	same(static_ip_parse(p, "lo", "192.168.1.20/24", "", "", &ip),
	     "Interface: 'lo' is not a LAN interface (lan.interfaces: eth+, wlan+)");
	assert_int_equal(ip.prefix, 99); /* untouched */
	profile_free(p);
}

static void test_proxy_form(void **state)
{
	struct profile *udp = load(DEFAULT), *tcp = load(CUSTOM);
	struct proxy x = { .port = 7 };
	char *auth = NULL, path[] = "/tmp/scout-test-auth.XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	same(proxy_parse(udp, "ftp", "p", "1", "", &x, &auth), "Type: 'ftp' is not http or socks");
	same(proxy_parse(udp, "http", "proxy.lan", "3128", "", &x, &auth),
	     "Type: an HTTP proxy carries TCP only and this VPN is UDP (vpn.protocol); use socks");
	same(proxy_parse(tcp, "http", "a b", "3128", "", &x, &auth),
	     "Host: 'a b' contains a character not allowed in host names (letters, digits, '-' and '.')");
	same(proxy_parse(tcp, "socks", "proxy.lan", "0", "", &x, &auth), "Port: '0' is not a port (1-65535)");
	same(proxy_parse(tcp, "socks", "proxy.lan", "65536", "", &x, &auth), "Port: '65536' is not a port (1-65535)");
	same(proxy_parse(tcp, "socks", "proxy.lan", "1080", "auth", &x, &auth),
	     "Credentials file: 'auth' is not an absolute path");
	same(proxy_parse(tcp, "socks", "proxy.lan", "1080", "/nonexistent/auth", &x, &auth),
	     "Credentials file: '/nonexistent/auth' is not a file on this scout");
	assert_int_equal(x.port, 7); /* untouched by the refusals */
	assert_null(proxy_parse(udp, "socks", "2001:db8::8", "1080", path, &x, &auth));
	assert_int_equal(x.type, PROXY_SOCKS);
	assert_string_equal(x.host, "2001:db8::8");
	assert_int_equal(x.port, 1080);
	assert_string_equal(auth, path);
	free(auth);
	assert_null(proxy_parse(tcp, "http", "proxy.lan", "3128", "", &x, &auth));
	assert_int_equal(x.type, PROXY_HTTP);
	assert_null(auth);
	unlink(path);
	profile_free(udp);
	profile_free(tcp);
}

static void test_run(void **state)
{
	char *sh[] = { "/bin/sh", "-c", "echo out; echo first >&2; echo second >&2; exit 3", NULL };
	char *missing[] = { "/nonexistent/tool", NULL };
	char *killed[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };
	/* A program quoting an interface's name: its bytes, escaped. */
	char *esc[] = { "/bin/sh", "-c", "printf 'no device eth\\033[2J\\302\\233x\\n' >&2; exit 1", NULL };
	struct run r;

	(void)state;
	run_capture(sh, &r);
	assert_int_equal(r.status, 3);
	assert_string_equal(r.out, "out\n");
	assert_string_equal(r.err, "first\nsecond\n");
	same(run_reason("sh failed", &r), "sh failed: first");
	run_free(&r);
	run_capture(missing, &r);
	assert_int_equal(r.status, -1);
	same(run_reason("tool failed", &r), "tool failed: cannot run /nonexistent/tool: No such file or directory");
	run_free(&r);
	run_capture(killed, &r);
	assert_int_equal(r.status, 128 + 15);
	same(run_reason("sh failed", &r), "sh failed: ended by signal 15");
	run_free(&r);
	run_capture(esc, &r);
	same(run_reason("ip failed", &r), "ip failed: no device eth\\x1b[2J\\xc2\\x9bx");
	run_free(&r);
}

/* A name without a slash is looked up in PATH; an output is kept up to
 * 64 KiB (and the read that crossed it), the rest read and dropped. */
static void test_run_limits(void **state)
{
	char *big[] = { "sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x; echo done >&2", NULL };
	struct run r;

	(void)state;
	run_capture(big, &r);
	assert_int_equal(r.status, 0);
	assert_in_range(strlen(r.out), 64 * 1024, 64 * 1024 + 4095);
	assert_string_equal(r.err, "done\n");
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_static_ip_interface),
		cmocka_unit_test(test_proxy_form),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_run_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
