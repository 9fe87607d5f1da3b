/* scout-netgen paths: where the other commands read and write, with the
 * same options, for scripts (./build.sh image) that must not parse the
 * options a second time; and what of the profile the image recipe needs
 * (lan.wifi_firmware). NAME, NUL, VALUE, NUL for each. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "profile_load.h"

/* The profile's firmware sets, space-separated, in its order. */
static char *firmware_sets(const struct profile *p)
{
	struct buf b = { 0 };

	buf_puts(&b, "");
	for (size_t i = 0; i < p->lan.n_wifi_firmware; i++)
		buf_printf(&b, "%s%s", i ? " " : "", wifi_firmware_names[p->lan.wifi_firmware[i]]);
	return buf_steal(&b, NULL);
}

/* With more than one scout, their names (each one's outputs are in
 * OUT/scouts/NAME/), space-separated; empty for one scout (OUT itself). */
static char *scout_names(const struct profile *p)
{
	struct buf b = { 0 };

	buf_puts(&b, "");
	for (size_t i = 0; p->n_scouts > 1 && i < p->n_scouts; i++)
		buf_printf(&b, "%s%s", i ? " " : "", p->scouts[i].name);
	return buf_steal(&b, NULL);
}

static int paths_main(const struct cli_opts *o)
{
	struct diag d = { .stream = stderr };
	struct profile *p = NULL;
	char *sets, *scouts;

	if (profile_load_or_report(o->config, &d, &p))
		return EXIT_INPUT;
	sets = firmware_sets(p);
	scouts = scout_names(p);
	const char *pairs[][2] = {
		{ "config", o->config }, { "out", o->out }, { "format", pack_format_suffix(o->format) },
		{ "keys", o->emit.keys }, { "ssh-keys", o->emit.ssh_keys },
		{ "templates", o->emit.templates }, { "resources", o->emit.resources },
		{ "wifi_firmware", sets }, { "scouts", scouts },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		printf("%s%c%s%c", pairs[i][0], '\0', pairs[i][1], '\0');
	free(sets);
	free(scouts);
	profile_free(p);
	return fflush(stdout) == 0 ? 0 : 1;
}

const struct cli_command paths_command = {
	.name = "paths",
	.fn = paths_main,
	.options = "acofkswKHrtq",
	.summary = "Prints where build reads and writes, given its options, and the firmware sets (for scripts)",
	.help = "Prints, for the options given (build's), each of config, out, format,\n"
		"keys, ssh-keys, templates and resources followed by its value, and\n"
		"wifi_firmware followed by the profile's lan.wifi_firmware (names\n"
		"separated by spaces), and scouts followed by the scouts' names when\n"
		"there are several (separated by spaces; empty for one scout), each\n"
		"ended by a NUL byte. Reads the profile\n"
		"(its errors are reported, exit status 1); writes nothing.",
};
