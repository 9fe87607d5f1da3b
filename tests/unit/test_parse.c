/* Table-driven tests of every checked parser in generator/lib/parse.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "parse.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A check's reason for in: got, and want (NULL: accepted). */
static void expect_why(const char *in, const char *got, const char *want)
{
	if (!want && got)
		fail_msg("'%s' refused: %s", in, got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("'%s': got %s, want %s", in, got ? got : "(accepted)", want);
}

struct why_case {
	const char *in;
	const char *why; /* NULL: accepted */
};

/* check(in) for each case, against its reason. */
static void expect_whys(const struct why_case *cases, size_t n, const char *(*check)(const char *))
{
	for (size_t i = 0; i < n; i++)
		expect_why(cases[i].in, check(cases[i].in), cases[i].why);
}

static void test_u32(void **state)
{
	static const struct {
		const char *in;
		uint32_t min, max;
		const char *why; /* NULL: accepted */
		uint32_t want;
	} cases[] = {
		{ "0", 0, 10, NULL, 0 },
		{ "10", 0, 10, NULL, 10 },
		{ "11", 0, 10, "is out of range", 0 },
		{ "4294967295", 0, UINT32_MAX, NULL, UINT32_MAX },
		{ "4294967296", 0, UINT32_MAX, "is out of range", 0 },
		{ "99999999999999999999999", 0, UINT32_MAX, "is out of range", 0 },
		{ "", 0, 10, "is empty", 0 },
		{ "-1", 0, 10, "is not a decimal number", 0 },
		{ "+1", 0, 10, "is not a decimal number", 0 },
		{ " 1", 0, 10, "is not a decimal number", 0 },
		{ "1 ", 0, 10, "is not a decimal number", 0 },
		{ "0x10", 0, 100, "is not a decimal number", 0 },
		{ "012", 0, 100, "has a leading zero", 0 },
		{ "1e3", 0, 10000, "is not a decimal number", 0 },
		{ "5", 6, 10, "is out of range", 0 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		uint32_t got = 12345;
		const char *why = parse_u32(cases[i].in, cases[i].min, cases[i].max, &got);

		if (cases[i].why) {
			assert_non_null(why);
			assert_string_equal(why, cases[i].why);
			assert_int_equal(got, 12345); /* untouched on failure */
		} else {
			assert_null(why);
			assert_int_equal(got, cases[i].want);
		}
	}
}

static void test_port_range(void **state)
{
	static const struct {
		const char *in;
		int ok;
		uint16_t first, last;
	} cases[] = {
		{ "22", 1, 22, 22 },
		{ "1", 1, 1, 1 },
		{ "65535", 1, 65535, 65535 },
		{ "2000-2009", 1, 2000, 2009 },
		{ "5-5", 1, 5, 5 },
		{ "1-65535", 1, 1, 65535 },
		{ "0", 0, 0, 0 },
		{ "65536", 0, 0, 0 },
		{ "2009-2000", 0, 0, 0 },
		{ "-5", 0, 0, 0 },
		{ "5-", 0, 0, 0 },
		{ "1-2-3", 0, 0, 0 },
		{ "1--3", 0, 0, 0 },
		{ "1234567-2", 0, 0, 0 },
		{ "a-b", 0, 0, 0 },
		{ "22 ", 0, 0, 0 },
		{ "", 0, 0, 0 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		uint16_t a = 7, b = 7;
		const char *why = parse_port_range(cases[i].in, &a, &b);

		if (cases[i].ok) {
			assert_null(why);
			assert_int_equal(a, cases[i].first);
			assert_int_equal(b, cases[i].last);
		} else {
			assert_non_null(why);
			assert_int_equal(a, 7);
			assert_int_equal(b, 7);
		}
	}
	assert_string_equal(parse_port_range("9-8", &(uint16_t){ 0 }, &(uint16_t){ 0 }),
			    "is a reversed range");
}

static void test_ipv4_and_cidr(void **state)
{
	static const struct {
		const char *in;
		const char *why;
		uint32_t addr;
		unsigned prefix;
	} cidrs[] = {
		{ "10.1.0.0/24", NULL, 0x0a010000, 24 },
		{ "0.0.0.0/0", NULL, 0, 0 },
		{ "192.168.4.0/30", NULL, 0xc0a80400, 30 },
		{ "10.1.0.0/31", "is too small: the prefix length must be at most 30", 0, 0 },
		{ "10.1.0.0/32", "is too small: the prefix length must be at most 30", 0, 0 },
		{ "10.1.0.0/33", "has a prefix length that is not 0-32", 0, 0 },
		{ "10.1.0.0/", "has a prefix length that is not 0-32", 0, 0 },
		{ "10.1.0.0/024", "has a prefix length that is not 0-32", 0, 0 },
		{ "10.1.0.5/24", "has host bits set", 0, 0 },
		{ "10.1.0/24", "is not an IPv4 address", 0, 0 },
		{ "10.1.0.256/24", "is not an IPv4 address", 0, 0 },
		{ "010.1.0.0/24", "is not an IPv4 address", 0, 0 },
		{ "10.1.0.0", "is not in CIDR notation (ADDRESS/PREFIX)", 0, 0 },
		{ "fe80::/64", "is not an IPv4 address", 0, 0 },
		{ "100.100.100.100.100/8", "is not an IPv4 address", 0, 0 },
	};
	struct ipaddr ip;
	uint32_t a = 0;
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cidrs); i++) {
		struct net4 n = { 99, 99 };
		const char *why = parse_cidr4(cidrs[i].in, &n);

		if (cidrs[i].why) {
			assert_non_null(why);
			assert_string_equal(why, cidrs[i].why);
			assert_int_equal(n.prefix, 99);
		} else {
			assert_null(why);
			assert_int_equal(n.addr, cidrs[i].addr);
			assert_int_equal(n.prefix, cidrs[i].prefix);
		}
	}
	assert_null(parse_ipv4("10.0.3.2", &a));
	assert_int_equal(a, 0x0a000302);
	assert_non_null(parse_ipv4("10.0.3", &a));
	assert_non_null(parse_ipv4("10.0.3.2 ", &a));
	assert_non_null(parse_ipv4("::1", &a));
	assert_null(parse_ip("2001:db8::1", &ip));
	assert_int_equal(ip.family, AF_INET6);
	assert_null(parse_ip("1.1.1.1", &ip));
	assert_int_equal(ip.family, AF_INET);
	assert_non_null(parse_ip("2001:db8::1/64", &ip));
	assert_non_null(parse_ip("example.org", &ip));
}

static void test_net4_helpers(void **state)
{
	struct net4 a = { 0x0a010000, 24 }, b = { 0x0a000000, 8 }, c = { 0x0a000300, 24 };
	char s[16];
	(void)state;
	assert_int_equal(net4_mask(&a), 0xffffff00);
	assert_int_equal(net4_broadcast(&a), 0x0a0100ff);
	assert_true(net4_contains(&a, 0x0a010002));
	assert_false(net4_contains(&a, 0x0a020002));
	assert_true(net4_overlap(&a, &b));
	assert_true(net4_overlap(&b, &a));
	assert_false(net4_overlap(&a, &c));
	assert_int_equal(net4_mask(&(struct net4){ 0, 0 }), 0);
	ipv4_format(0x0a000302, s);
	assert_string_equal(s, "10.0.3.2");
}

static void test_ifname(void **state)
{
	static const char linux_refuses[] =
		"contains a character Linux refuses in interface names ('/', ':', whitespace or non-ASCII)";
	static const char glob[] = "contains * ? [ ] or !, which systemd-networkd reads as a glob or a negation; "
				   "names are letters, digits, '-', '_' and '.'";
	static const char glob_lan[] = "contains * ? [ ] or !, which systemd-networkd reads as a glob or a negation; "
				       "names are letters, digits, '-', '_' and '.', and a final '+' is the only wildcard";
	static const char other[] = "contains a character other than letters, digits, '-', '_' and '.'";
	static const char other_lan[] =
		"contains a character other than letters, digits, '-', '_' and '.' (and a final '+' wildcard)";
	static const struct {
		const char *in;
		int wildcard;
		const char *why; /* NULL: accepted */
	} cases[] = {
		{ "eth0", 0, NULL },
		{ "ve-container", 0, NULL },
		{ "eth0.100", 0, NULL },
		{ "ip_vti0", 0, NULL },
		{ "enP1p0s0", 0, NULL },
		{ "abcdefghijklmno", 0, NULL },  /* 15 bytes */
		{ "abcdefghijklmnop", 0, "is longer than 15 bytes" },
		{ "", 0, "is empty" },
		{ "a/b", 0, linux_refuses },
		{ "a:b", 0, linux_refuses },
		{ "a b", 0, linux_refuses },
		{ "a\tb", 0, linux_refuses },
		{ "a\x7f", 0, linux_refuses },
		{ "t\xc3\xa4p0", 0, linux_refuses },
		{ ".", 0, "is not a valid interface name" },
		{ "..", 0, "is not a valid interface name" },
		{ "-eth0", 0, "starts with '-', which programs would read as an option" },
		{ "-eth+", 1, "starts with '-', which programs would read as an option" },
		{ "eth+", 0, "contains '+', which is a wildcard and is allowed only in lan.interfaces" },
		{ "eth+", 1, NULL },
		{ "wlan+", 1, NULL },
		{ "e+th", 1, "has '+' before the end; '+' is a wildcard only as the last character" },
		{ "++", 1, "has '+' before the end; '+' is a wildcard only as the last character" },
		{ "+", 1, "matches every interface" },
		/* networkd's Name= globs and negation */
		{ "*", 1, glob_lan },
		{ "eth*", 1, glob_lan },
		{ "eth?", 1, glob_lan },
		{ "[a-z]*", 1, glob_lan },
		{ "!tap0", 1, glob_lan },
		{ "eth]", 1, glob_lan },
		{ "tap*", 0, glob },
		{ "!tap0", 0, glob },
		/* systemd refuses '%'; the rest is special somewhere we write names */
		{ "en%1", 0, other },
		{ "en%1", 1, other_lan },
		{ "a\\b", 0, other },
		{ "a\"b", 0, other },
		{ "a#b", 1, other_lan },
		{ "a;b", 0, other },
		{ "a@b", 0, other },
		{ "a$b", 0, other },
		{ "a=b", 0, other },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *why = check_ifname(cases[i].in, cases[i].wildcard);

		expect_why(cases[i].in, why, cases[i].why);
	}
}

static void test_hostname(void **state)
{
	static const struct {
		const char *in;
		int ok;
	} cases[] = {
		{ "vpn.example.org", 1 },
		{ "localhost", 1 },
		{ "a", 1 },
		{ "1a.example", 1 },
		{ "xn--bcher-kva.example", 1 },
		{ "vpn-1.example.org", 1 },
		{ "", 0 },
		{ "-vpn.example.org", 0 },
		{ "vpn-.example.org", 0 },
		{ "vpn..example.org", 0 },
		{ ".example.org", 0 },
		{ "example.org.", 0 },
		{ "vpn_1.example.org", 0 },
		{ "vpn example.org", 0 },
		{ "999.1.1.1", 0 },
		{ "10.1.0", 0 },
		{ "1234", 0 },
		{ "0123456789012345678901234567890123456789012345678901234567890123.org", 0 }, /* 64 */
		{ "012345678901234567890123456789012345678901234567890123456789012.org", 1 },  /* 63 */
		/* What glibc's inet_aton (and so getaddrinfo) reads as an address. */
		{ "0x0a010009", 0 },
		{ "0XA", 0 },
		{ "0xdeadbeef", 0 },
		{ "167837705", 0 },
		{ "10.1.9", 0 },
		{ "0x0a.1.0.9", 0 },
		{ "010.1.0.9", 0 },
		{ "deadbeef", 1 },
		{ "0x1.example", 1 },
		{ "1e1.example", 1 },
		{ "0xg", 1 },
	};
	char big[300];
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *why = check_hostname(cases[i].in);

		if (cases[i].ok)
			assert_null(why);
		else
			assert_non_null(why);
	}
	memset(big, 'a', sizeof(big));
	for (size_t i = 50; i < sizeof(big); i += 51)
		big[i] = '.';
	big[253] = '\0';
	assert_null(check_hostname(big));
	big[253] = 'a';
	big[254] = '\0';
	assert_string_equal(check_hostname(big), "is longer than 253 characters");
	assert_string_equal(check_hostname("0x0a010009"), "is an IPv4 address in a form other than a dotted quad "
							    "(hexadecimal, octal or fewer than four parts)");
	assert_null(check_machine_name("container"));
	assert_non_null(check_machine_name("my_container"));
}

/* vpn.server's literal addresses: what cannot be a remote server's. */
static const char *peer_ip_why(const char *in)
{
	struct ipaddr ip;

	assert_null(parse_ip(in, &ip));
	return check_peer_ip(&ip);
}

static void test_peer_ip(void **state)
{
	static const struct why_case cases[] = {
		{ "192.0.2.7", NULL },
		{ "2001:db8::10", NULL },
		{ "::ffff:192.0.2.7", NULL },
		{ "0.0.0.0", "is in 0.0.0.0/8 (this host)" },
		{ "0.1.2.3", "is in 0.0.0.0/8 (this host)" },
		{ "127.0.0.1", "is in the loopback block 127.0.0.0/8" },
		{ "127.255.255.254", "is in the loopback block 127.0.0.0/8" },
		{ "169.254.1.1", "is in the link-local block 169.254.0.0/16, which is never routed" },
		{ "224.0.0.1", "is in the multicast block 224.0.0.0/4" },
		{ "239.255.255.255", "is in the multicast block 224.0.0.0/4" },
		{ "240.0.0.1", "is in the reserved block 240.0.0.0/4" },
		{ "255.255.255.254", "is in the reserved block 240.0.0.0/4" },
		{ "255.255.255.255", "is the broadcast address" },
		{ "::", "is the unspecified address" },
		{ "::1", "is the loopback address" },
		{ "ff02::1", "is a multicast address" },
		{ "::ffff:127.0.0.1", "is in the loopback block 127.0.0.0/8" },
		{ "::ffff:0.0.0.0", "is in 0.0.0.0/8 (this host)" },
		{ "::127.0.0.1", "is in the loopback block 127.0.0.0/8" },
		{ "::0.0.0.2", "is in 0.0.0.0/8 (this host)" },
	};
	(void)state;
	expect_whys(cases, ARRAY_LEN(cases), peer_ip_why);
}

/* The IPv4 address behind an IPv6 one (mapped or compatible), for the
 * checks against the subnets. */
static void test_ipaddr_v4(void **state)
{
	static const struct {
		const char *in;
		int has;
		uint32_t v4;
	} cases[] = {
		{ "10.1.0.9", 1, 0x0a010009 },
		{ "::ffff:10.1.0.9", 1, 0x0a010009 },
		{ "::10.1.0.9", 1, 0x0a010009 },
		{ "2001:db8::10.1.0.9", 0, 0 },
		{ "::", 0, 0 },
		{ "::1", 0, 0 },
		{ "64:ff9b::10.1.0.9", 0, 0 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct ipaddr ip;
		uint32_t v4 = 7;

		assert_null(parse_ip(cases[i].in, &ip));
		assert_int_equal(ipaddr_v4(&ip, &v4), cases[i].has);
		assert_int_equal(v4, cases[i].has ? cases[i].v4 : 7);
	}
}

/* vpn.subnet and container.subnet: never in a block that is not routed
 * like unicast. */
static const char *subnet_why(const char *in)
{
	struct net4 n;

	assert_null(parse_cidr4(in, &n));
	return check_subnet4(&n);
}

static void test_subnet4(void **state)
{
	static const struct why_case cases[] = {
		{ "10.1.0.0/24", NULL },
		{ "192.168.77.0/29", NULL },
		{ "100.64.0.0/10", NULL },
		{ "126.255.255.252/30", NULL },
		{ "128.0.0.0/30", NULL },
		{ "223.255.255.0/24", NULL },
		{ "0.0.0.0/24", "overlaps 0.0.0.0/8 (this host)" },
		{ "0.0.0.0/0", "overlaps 0.0.0.0/8 (this host)" },
		{ "127.0.0.0/24", "overlaps the loopback block 127.0.0.0/8" },
		{ "64.0.0.0/2", "overlaps the loopback block 127.0.0.0/8" },
		{ "169.254.3.0/24", "overlaps the link-local block 169.254.0.0/16, which is never routed" },
		{ "169.0.0.0/8", "overlaps the link-local block 169.254.0.0/16, which is never routed" },
		{ "224.0.0.0/24", "overlaps the multicast block 224.0.0.0/4" },
		{ "240.0.0.0/24", "overlaps the reserved block 240.0.0.0/4" },
		{ "255.255.255.0/24", "holds the broadcast address 255.255.255.255" },
	};
	(void)state;
	expect_whys(cases, ARRAY_LEN(cases), subnet_why);
}

static void test_proxy(void **state)
{
	static const struct {
		const char *in;
		enum proxy_type type;
		const char *host;
		uint16_t port;
	} good[] = {
		{ "none", PROXY_NONE, "", 0 },
		{ "http://proxy.lan:3128", PROXY_HTTP, "proxy.lan", 3128 },
		{ "socks://10.0.0.1:1080", PROXY_SOCKS, "10.0.0.1", 1080 },
		{ "http://[2001:db8::8]:8080", PROXY_HTTP, "2001:db8::8", 8080 },
		{ "socks://p:65535", PROXY_SOCKS, "p", 65535 },
	};
	static const char *const bad[] = {
		"", "None", "http://", "http://proxy.lan", "http://proxy.lan:", "http://:3128",
		"http://proxy.lan:0", "http://proxy.lan:65536", "http://proxy.lan:31x", "ftp://proxy.lan:21",
		"socks://2001:db8::1:1080", "socks://[10.0.0.1]:1080", "socks://[2001:db8::1:1080",
		"http://-bad-.lan:3128", "http://a b:3128", "proxy.lan:3128",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct proxy p;

		assert_null(parse_proxy(good[i].in, &p));
		assert_int_equal(p.type, good[i].type);
		if (p.type != PROXY_NONE) {
			assert_string_equal(p.host, good[i].host);
			assert_int_equal(p.port, good[i].port);
		}
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct proxy p = { .type = PROXY_SOCKS, .port = 7 };

		if (!parse_proxy(bad[i], &p))
			fail_msg("'%s' was taken as a proxy", bad[i]);
		assert_int_equal(p.port, 7); /* untouched */
	}
}

static void test_ipv4_prefix(void **state)
{
	uint32_t a = 0;
	unsigned n = 0;

	(void)state;
	assert_null(parse_ipv4_prefix("192.168.1.20/24", &a, &n));
	assert_int_equal(a, 0xc0a80114);
	assert_int_equal(n, 24);
	assert_null(parse_ipv4_prefix("10.0.0.1/32", &a, &n));
	assert_string_equal(parse_ipv4_prefix("10.9.9.9/33", &a, &n), "has a prefix length that is not 1-32");
	assert_string_equal(parse_ipv4_prefix("10.9.9.9/0", &a, &n), "has a prefix length that is not 1-32");
	assert_string_equal(parse_ipv4_prefix("300.1.1.1/24", &a, &n), "is not an IPv4 address");
	assert_non_null(parse_ipv4_prefix("10.0.0.1", &a, &n));
	assert_non_null(parse_ipv4_prefix("127.0.0.1/8", &a, &n));
	assert_non_null(parse_ipv4_prefix("224.0.0.1/4", &a, &n));
	assert_non_null(parse_ipv4_prefix("0.0.0.0/8", &a, &n));
	assert_int_equal(a, 0x0a000001); /* untouched by the failures */
}

static void test_abs_path(void **state)
{
	static const struct {
		const char *in;
		int ok;
	} cases[] = {
		{ "/var/lib/machines/container", 1 },
		{ "/srv/c-1/root.d", 1 },
		{ "/", 0 },
		{ "", 0 },
		{ "var/lib", 0 },
		{ "/var//lib", 0 },
		{ "/var/lib/", 0 },
		{ "/var/../etc", 0 },
		{ "/var/./lib", 0 },
		{ "/var/l b", 0 },
		{ "/var/$x", 0 },
		{ "/var/a*b", 0 },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *why = check_abs_path(cases[i].in);

		if (cases[i].ok)
			assert_null(why);
		else
			assert_non_null(why);
	}
}

static void test_unsafe_char(void **state)
{
	static const struct {
		const char *in;
		long at;
		const char *what;
	} cases[] = {
		{ "vpn.example.org", -1, NULL },
		{ "a\nb", 1, "a line break" },
		{ "a\rb", 1, "a line break" },
		{ "\tx", 0, "a control character" },
		{ "x\x7f", 1, "a control character" },
		{ "a\"b", 1, "a quote" },
		{ "a'b", 1, "a quote" },
		{ "a\\b", 1, "a backslash" },
		{ "a#b", 1, "a comment character ('#' or ';')" },
		{ "a;b", 1, "a comment character ('#' or ';')" },
		{ "\xc3\xa4", 0, "a non-ASCII character" },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		const char *what = NULL;
		long at = find_unsafe_char(cases[i].in, strlen(cases[i].in), &what);

		assert_int_equal(at, cases[i].at);
		if (cases[i].what)
			assert_string_equal(what, cases[i].what);
	}
	/* A NUL inside the value counts, not only what strlen sees. */
	{
		const char *w = NULL;

		assert_int_equal(find_unsafe_char("ab\0c", 4, &w), 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u32),
		cmocka_unit_test(test_port_range),
		cmocka_unit_test(test_ipv4_and_cidr),
		cmocka_unit_test(test_net4_helpers),
		cmocka_unit_test(test_ifname),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_abs_path),
		cmocka_unit_test(test_peer_ip),
		cmocka_unit_test(test_ipaddr_v4),
		cmocka_unit_test(test_subnet4),
		cmocka_unit_test(test_proxy),
		cmocka_unit_test(test_ipv4_prefix),
		cmocka_unit_test(test_unsafe_char),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
