#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static const struct option long_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "out", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "keys", required_argument, NULL, 'k' },
	{ "resources", required_argument, NULL, 'r' },
	{ "templates", required_argument, NULL, 't' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "add", required_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

int cli_parse(int argc, char **argv, const char *allowed, struct cli_opts *o)
{
	const char *keys = NULL;
	int c;

	*o = (struct cli_opts){
		.config = "config/network.yaml",
		.out = "build",
		.format = PACK_TAR_GZ,
		.emit = { .templates = "templates", .resources = "resources" },
	};
	optind = 1;
	while ((c = getopt_long(argc, argv, "a:c:o:f:k:r:t:q", long_opts, NULL)) != -1) {
		if (c == '?' || !strchr(allowed, c)) {
			if (c != '?')
				fprintf(stderr, "%s: option -%c is not accepted here\n", argv[0], c);
			return EXIT_USAGE;
		}
		switch (c) {
		case 'c': o->config = optarg; break;
		case 'o': o->out = optarg; break;
		case 'f':
			if (pack_format_parse(optarg, &o->format) < 0) {
				fprintf(stderr, "%s: --format must be tar.gz, tar.zst or tar, not '%s'\n",
					argv[0], optarg);
				return EXIT_USAGE;
			}
			break;
		case 'k': keys = optarg; break;
		case 'r': o->emit.resources = optarg; break;
		case 't': o->emit.templates = optarg; break;
		case 'q': o->quiet = true; break;
		case 'a': {
			const char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg || !eq[1]) {
				fprintf(stderr, "%s: --add wants PATH=FILE, not '%s'\n", argv[0], optarg);
				return EXIT_USAGE;
			}
			o->emit.extras = xgrow(o->emit.extras, o->emit.n_extras, sizeof(*o->emit.extras));
			o->emit.extras[o->emit.n_extras++] = (struct extra){
				.path = xstrndup(optarg, (size_t)(eq - optarg)), .file = eq + 1,
			};
			break;
		}
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
		return EXIT_USAGE;
	}
	if (!o->config || !*o->config || (keys && !*keys)) {
		fprintf(stderr, "%s: --config and --keys need a name\n", argv[0]);
		return EXIT_USAGE;
	}
	if (!keys) {
		const char *slash = strrchr(o->config, '/');

		o->keys_default = slash ? xasprintf("%.*s/openvpn", (int)(slash - o->config), o->config)
					: xstrdup("openvpn");
		keys = o->keys_default;
	}
	o->emit.keys = keys;
	return 0;
}

void cli_free(struct cli_opts *o)
{
	free(o->keys_default);
	for (size_t i = 0; i < o->emit.n_extras; i++)
		free(o->emit.extras[i].path);
	free(o->emit.extras);
	*o = (struct cli_opts){ 0 };
}

static int mkdir_p(const char *dir)
{
	char *path = xstrdup(dir);
	int ret = 0;

	for (char *p = path + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			ret = -errno;
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	free(path);
	return ret;
}

int cli_write(const char *dir, char **name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, *name);
	int r = mkdir_p(dir);

	if (!r)
		r = write_file_atomic(path, data, len, 0644);
	free(*name);
	*name = path;
	if (r < 0) {
		fprintf(stderr, "%s: error: cannot write: %s\n", r == -EEXIST || r == -ENOTDIR ? dir : path,
			strerror(-r));
		return -1;
	}
	return 0;
}

int cli_generate(const struct cli_opts *o, struct profile **ret_profile, struct outputs *ret)
{
	struct diag d = { .stream = stderr };
	struct profile *p = NULL;
	struct outputs out = { 0 };

	if (!profile_load(o->config, &d, &p))
		emit_all(p, &o->emit, &d, &out);
	diag_flush(&d);
	if (d.errors) {
		profile_free(p);
		outputs_free(&out);
		return EXIT_INPUT;
	}
	*ret_profile = p;
	*ret = out;
	return 0;
}
