/* host-iptables: the scout's firewall, compiled with its rule set built in.
 * Programs netfilter through libiptc; runs no other program. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "entry.h"
#include "ruleset.h"
#include "tables.h"
#include "util.h"

#define LOCK_WAIT_MS 10000

static const enum rs_table all_tables[] = { RS_FILTER4, RS_NAT4, RS_FILTER6 };

static void report(char *error)
{
	fprintf(stderr, "host-iptables: %s\n", error);
	free(error);
}

/* The toggle state the kernel's tables show: a toggle is on when the first
 * rule that exists only while it is on is there. */
static unsigned current_state(struct fw_table have[RS_TABLE_COUNT])
{
	static const unsigned toggles[] = { RS_LAN_ACCESS, RS_HOST_CONTROL };
	unsigned state = 0;

	for (size_t k = 0; k < ARRAY_SIZE(toggles); k++) {
		for (size_t i = 0; i < ruleset.n_rules; i++) {
			const struct rs_rule *r = &ruleset.rules[i];
			struct fw_rule probe = { 0 };
			bool found;

			if (r->when != toggles[k])
				continue;
			fw_rule_build(r, &probe);
			found = fw_table_has(&have[r->table], &probe, r->chain);
			fw_rule_free(&probe);
			if (found)
				state |= toggles[k];
			break;
		}
	}
	return state;
}

/* Reads the three tables; the caller holds the xtables lock, as every
 * iptables tool does even to list, so nothing is read half-written. */
static int read_all(struct fw_table have[RS_TABLE_COUNT])
{
	char *error = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(all_tables); i++)
		if (fw_table_read(all_tables[i], &have[all_tables[i]], &error) < 0) {
			report(error);
			while (i--)
				fw_table_free(&have[all_tables[i]]);
			return -1;
		}
	return 0;
}

/* read_all under the lock, for the commands that only look. */
static int read_locked(struct fw_table have[RS_TABLE_COUNT])
{
	char *error = NULL;
	int lock = fw_lock(LOCK_WAIT_MS, &error), ret;

	if (lock < 0) {
		report(error);
		return -1;
	}
	ret = read_all(have);
	fw_unlock(lock);
	return ret;
}

static void free_all(struct fw_table t[RS_TABLE_COUNT])
{
	for (size_t i = 0; i < ARRAY_SIZE(all_tables); i++)
		fw_table_free(&t[all_tables[i]]);
}

/* Installs want, one commit per table. When a commit fails, the tables
 * committed before it get their old contents back. have: the kernel's
 * tables as read under the same lock. */
static int install(struct fw_table want[RS_TABLE_COUNT], struct fw_table have[RS_TABLE_COUNT])
{
	char *error = NULL;
	size_t done;

	for (done = 0; done < ARRAY_SIZE(all_tables); done++)
		if (fw_table_install(&want[all_tables[done]], &have[all_tables[done]], &error) < 0)
			break;
	if (done == ARRAY_SIZE(all_tables))
		return 0;
	report(error);
	while (done--) {
		enum rs_table t = all_tables[done];

		if (fw_table_install(&have[t], NULL, &error) < 0) {
			report(error);
			fprintf(stderr, "host-iptables: %s table could not be put back\n", rs_tables[t].title);
		} else {
			fprintf(stderr, "host-iptables: %s table put back as it was\n", rs_tables[t].title);
		}
	}
	return -1;
}

static int set_ip_forward(bool on)
{
	int fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, on ? "1\n" : "0\n", 2) != 2) {
		fprintf(stderr, "host-iptables: cannot set net.ipv4.ip_forward=%d: %s\n", on, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Under the xtables lock: reads the tables, works out the new state from
 * the current one, and installs it unless the tables already are exactly
 * that. set/clear: toggle bits to turn on/off; boot: use the profile's. */
static int change(unsigned set, unsigned clear, int boot)
{
	struct fw_table have[RS_TABLE_COUNT] = { 0 }, want[RS_TABLE_COUNT] = { 0 };
	char *error = NULL;
	unsigned state;
	int lock, ret = 1;
	bool same = true;

	if ((set | clear) & ~ruleset.toggles) {
		fprintf(stderr, "host-iptables: the profile lists no LAN interfaces; there is no access from LAN to switch\n");
		return 1;
	}
	lock = fw_lock(LOCK_WAIT_MS, &error);
	if (lock < 0) {
		report(error);
		return 1;
	}
	if (read_all(have) < 0)
		goto cleanup;
	state = boot ? ruleset.boot_state : (current_state(have) | set) & ~clear;
	for (size_t i = 0; i < ARRAY_SIZE(all_tables); i++) {
		enum rs_table t = all_tables[i];

		fw_table_build(&ruleset, t, state, &want[t]);
		same = same && fw_table_equal(&want[t], &have[t], NULL);
	}
	if (!same && install(want, have) < 0)
		goto cleanup;
	ret = 0;
cleanup:
	free_all(want);
	free_all(have);
	fw_unlock(lock);
	return ret;
}

static int read_state(unsigned *ret)
{
	struct fw_table have[RS_TABLE_COUNT] = { 0 };

	if (read_locked(have) < 0)
		return -1;
	*ret = current_state(have);
	free_all(have);
	return 0;
}

/* The scout routes only once every table is in: forwarding goes on after
 * the last commit, and off when the rule set could not be installed. */
static int cmd_apply(void)
{
	if (change(0, 0, 1)) {
		if (set_ip_forward(false) == 0)
			fprintf(stderr, "host-iptables: the rule set is not installed: IPv4 forwarding is off\n");
		return 1;
	}
	return set_ip_forward(true) < 0 ? 1 : 0;
}

static int cmd_enable_lan(void) { return change(RS_LAN_ACCESS, 0, 0); }
static int cmd_disable_lan(void) { return change(0, RS_LAN_ACCESS, 0); }
static int cmd_enable_hc(void) { return change(RS_HOST_CONTROL, 0, 0); }
static int cmd_disable_hc(void) { return change(0, RS_HOST_CONTROL, 0); }

static int cmd_check(unsigned bit, const char *what)
{
	unsigned state;

	if (read_state(&state) < 0)
		return 1;
	printf("%s is %s\n", what, state & bit ? "ON" : "OFF");
	return 0;
}

static int cmd_check_lan(void) { return cmd_check(RS_LAN_ACCESS, "Access from LAN"); }
static int cmd_check_hc(void) { return cmd_check(RS_HOST_CONTROL, "Host control"); }

static int cmd_save(void)
{
	struct buf out = { 0 };

	rs_format_family(&ruleset, 4, ruleset.boot_state, &out);
	rs_format_family(&ruleset, 6, ruleset.boot_state, &out);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int cmd_verify(void)
{
	struct fw_table have[RS_TABLE_COUNT] = { 0 };
	struct buf diff = { 0 };
	unsigned state;
	bool equal = true;

	if (read_locked(have) < 0)
		return 1;
	state = current_state(have);
	for (size_t i = 0; i < ARRAY_SIZE(all_tables); i++) {
		struct fw_table want;

		fw_table_build(&ruleset, all_tables[i], state, &want);
		equal &= fw_table_equal(&want, &have[all_tables[i]], &diff);
		fw_table_free(&want);
	}
	free_all(have);
	if (!equal)
		fputs(diff.data, stdout);
	else
		printf("the kernel's tables are the rule set (access from LAN %s, host control %s)\n",
		       state & RS_LAN_ACCESS ? "on" : "off", state & RS_HOST_CONTROL ? "on" : "off");
	buf_free(&diff);
	return equal ? 0 : 1;
}

static int cmd_help(void);

static int cmd_version(void)
{
	printf("host-iptables (scout-netgen %s), profile sha256 %s\n", ruleset.generator_version,
	       ruleset.profile_sha256);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
	const char *description;
} commands[] = {
	{ "enable-access-from-lan", cmd_enable_lan, "make the forwarded ports reachable from the LAN too" },
	{ "disable-access-from-lan", cmd_disable_lan, "forwarded ports from the VPN only" },
	{ "check-access-from-lan", cmd_check_lan, "print whether access from LAN is on" },
	{ "enable-host-control", cmd_enable_hc, "open the host's own SSH port to the VPN" },
	{ "disable-host-control", cmd_disable_hc, "close it" },
	{ "check-host-control", cmd_check_hc, "print whether host control is on" },
	{ "save", cmd_save, "print the rule set in iptables-save format; touch nothing" },
	{ "verify", cmd_verify, "compare the kernel's tables with the rule set" },
	{ "--help", cmd_help, "this text" },
	{ "--version", cmd_version, "version and the profile's sha256" },
};

static int cmd_help(void)
{
	printf("Usage: host-iptables [command]\n\n"
	       "Without a command: install the whole rule set (IPv4 filter and nat, IPv6\n"
	       "filter) as the profile says, then set net.ipv4.ip_forward=1 (or 0 when\n"
	       "the rule set could not be installed).\n\nCommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  %-24s %s\n", commands[i].name, commands[i].description);
	printf("\nExit status: 0 done, 1 failed (the tables are as they were), 2 usage.\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 1)
		return cmd_apply();
	if (argc > 2) {
		fprintf(stderr, "host-iptables: one command at a time (try --help)\n");
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn();
	{
		char *shown = escape_text(argv[1], strlen(argv[1]));

		fprintf(stderr, "host-iptables: unknown command '%s' (try --help)\n", shown);
		free(shown);
	}
	return EXIT_USAGE;
}
