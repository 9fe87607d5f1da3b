/* The model built from profiles in memory: the defaults are the seed
 * values of the network design, and what users write lands where it should. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "profile_load.h"

static struct profile *parse(const char *text, unsigned *ret_errors)
{
	struct diag d = { 0 };
	struct profile *p = NULL;

	*ret_errors = profile_parse("t.yaml", text, strlen(text), &d, &p);
	return p;
}

static uint32_t ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return ntohl(a.s_addr);
}

static void test_defaults(void **state)
{
	unsigned errors;
	struct profile *p = parse("vpn: {server: vpn.example.org}\n", &errors);
	(void)state;
	assert_int_equal(errors, 0);
	assert_non_null(p);
	assert_string_equal(p->vpn.server, "vpn.example.org");
	assert_int_equal(p->vpn.port, 1194);
	assert_int_equal(p->vpn.protocol, PROTO_UDP);
	assert_string_equal(p->vpn.interface, "tap0");
	assert_int_equal(p->vpn.subnet.addr, ip4("10.1.0.0"));
	assert_int_equal(p->vpn.subnet.prefix, 24);
	assert_int_equal(p->vpn.server_address, ip4("10.1.0.1"));
	assert_int_equal(p->vpn.scout_address, ip4("10.1.0.2"));
	assert_int_equal(p->vpn.expert_address, ip4("10.1.0.3"));
	assert_string_equal(p->container.name, "container");
	assert_string_equal(p->container.root, "/var/lib/machines/container");
	assert_int_equal(p->container.subnet.addr, ip4("10.0.3.0"));
	assert_string_equal(p->container.host_interface, "ve-container");
	assert_int_equal(p->container.host_address, ip4("10.0.3.1"));
	assert_string_equal(p->container.interface, "eth0");
	assert_int_equal(p->container.address, ip4("10.0.3.2"));
	assert_int_equal(p->container.n_dns, 2);
	assert_int_equal(p->container.dns[1].family, AF_INET);
	assert_int_equal(ntohl(p->container.dns[1].u.v4.s_addr), ip4("8.8.8.8"));
	assert_int_equal(p->lan.n_interfaces, 2);
	assert_string_equal(p->lan.interfaces[0], "eth+");
	assert_string_equal(p->lan.interfaces[1], "wlan+");
	assert_false(p->lan.access);
	assert_false(p->host_control.enabled);
	assert_int_equal(p->host_control.port, 23);
	assert_int_equal(p->forward.tcp.n, 2);
	assert_int_equal(p->forward.tcp.ranges[1].first, 2000);
	assert_int_equal(p->forward.tcp.ranges[1].last, 2009);
	assert_int_equal(port_list_count(&p->forward.tcp), 11);
	assert_int_equal(p->forward.udp.n, 0);
	assert_int_equal(strlen(p->sha256), 64);
	profile_free(p);
}

static void test_values(void **state)
{
	static const char text[] =
		"vpn: {server: '2001:db8::1', protocol: tcp, port: 443}\n"
		"container: {dns: ['2606:4700:4700::1111']}\n"
		"lan: {interfaces: [], access: false}\n"
		"host_control: {enabled: true, port: 2222}\n"
		"forward: {tcp: [], udp: [1-65535]}\n";
	unsigned errors;
	struct profile *p = parse(text, &errors);
	(void)state;
	assert_int_equal(errors, 0);
	assert_string_equal(p->vpn.server, "2001:db8::1");
	assert_int_equal(p->vpn.protocol, PROTO_TCP);
	assert_int_equal(p->vpn.port, 443);
	assert_int_equal(p->container.dns[0].family, AF_INET6);
	assert_int_equal(p->lan.n_interfaces, 0);
	assert_true(p->host_control.enabled);
	assert_int_equal(p->host_control.port, 2222);
	assert_int_equal(p->forward.tcp.n, 0);
	assert_int_equal(port_list_count(&p->forward.udp), 65535);
	profile_free(p);
}

/* The container's root is where systemd-nspawn@NAME.service looks for it:
 * it follows container.name when left out, and nothing else is taken. */
static void test_container_root(void **state)
{
	static const struct {
		const char *container;
		const char *root; /* NULL: refused */
	} cases[] = {
		{ "{}", "/var/lib/machines/container" },
		{ "{name: lab-box}", "/var/lib/machines/lab-box" },
		{ "{name: lab-box, root: /var/lib/machines/lab-box}", "/var/lib/machines/lab-box" },
		{ "{root: /var/lib/machines/container}", "/var/lib/machines/container" },
		{ "{root: /etc}", NULL },
		{ "{root: /var/lib/machines}", NULL },
		{ "{root: /var/lib/machines/other}", NULL },
		{ "{root: /var/lib/machines/container/sub}", NULL },
		{ "{name: lab-box, root: /srv/scout/lab-box}", NULL },
		{ "{name: lab-box, root: /var/lib/machines/container}", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[200];
		unsigned errors;
		struct profile *p;

		assert_true(snprintf(text, sizeof(text), "vpn: {server: x.org}\ncontainer: %s\n", cases[i].container) <
			    (int)sizeof(text));
		p = parse(text, &errors);
		if (!cases[i].root) {
			assert_null(p);
			assert_int_equal(errors, 1);
			continue;
		}
		assert_int_equal(errors, 0);
		assert_string_equal(p->container.root, cases[i].root);
		profile_free(p);
	}
}

/* Errors are counted, every one, and no profile is returned. */
static void test_error_counts(void **state)
{
	static const struct {
		const char *text;
		unsigned errors;
	} cases[] = {
		{ "", 1 },
		{ "vpn: {server: x.org, port: 0, protocol: icmp}\n", 2 },
		{ "vpn: {server: x.org}\nlan: {acess: true}\nforward: {tcp: [22, 22, 22]}\n", 3 },
		{ "vpn: {server: x.org}\ncontainer: {subnet: 10.1.0.0/16}\n", 3 },
		{ "[unclosed\n", 1 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned errors;
		struct profile *p = parse(cases[i].text, &errors);

		assert_null(p);
		assert_int_equal(errors, cases[i].errors);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_container_root),
		cmocka_unit_test(test_error_counts),
	};

	return cmocka_run_group_tests_name("profile", tests, NULL, NULL);
}
