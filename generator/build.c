/* scout-netgen build: the overlay archive from the profile. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "digest.h"
#include "util.h"

/* Reproducible builds: SOURCE_DATE_EPOCH when set, else the Unix epoch. */
static int archive_mtime(int64_t *ret)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	uint32_t hi;

	if (!s) {
		*ret = 0;
		return 0;
	}
	/* Seconds up to 2^32-1 (year 2106) fit every tar header field. */
	if (parse_u32(s, 0, UINT32_MAX, &hi)) {
		fprintf(stderr, "scout-netgen: SOURCE_DATE_EPOCH='%s' is not a number of seconds (0-4294967295)\n", s);
		return -1;
	}
	*ret = hi;
	return 0;
}

static void print_ports(const char *proto, const struct port_list *l)
{
	printf("%s ", proto);
	if (!l->n)
		fputs("none", stdout);
	for (size_t i = 0; i < l->n; i++) {
		printf("%s%u", i ? "," : "", l->ranges[i].first);
		if (l->ranges[i].last != l->ranges[i].first)
			printf("-%u", l->ranges[i].last);
	}
}

static void summary(const struct profile *p, const char *path, const struct buf *archive,
		    const struct outputs *out, const char *dir, enum pack_format f)
{
	char hex[65];

	sha256_hex(archive->data, archive->len, hex);
	printf("profile    %s\n", p->path);
	printf("vpn        %s port %u/%s, %s, scout %u.%u.%u.%u\n", p->vpn.server, p->vpn.port,
	       p->vpn.protocol == PROTO_UDP ? "udp" : "tcp", p->vpn.interface,
	       p->vpn.scout_address >> 24, (p->vpn.scout_address >> 16) & 255,
	       (p->vpn.scout_address >> 8) & 255, p->vpn.scout_address & 255);
	printf("forwarded  ");
	print_ports("tcp", &p->forward.tcp);
	fputs("; ", stdout);
	print_ports("udp", &p->forward.udp);
	printf(" -> %s\n", p->container.name);
	printf("output     %s (%zu bytes)\n", path, archive->len);
	printf("sha256     %s\n", hex);
	if (out->server.n)
		printf("server     %s/exports/server/ and server.%s\n", dir, pack_format_suffix(f));
	if (out->expert.n)
		printf("expert     %s/exports/expert/ and expert.%s\n", dir, pack_format_suffix(f));
}

int build_main(int argc, char **argv)
{
	struct cli_opts o;
	struct profile *p = NULL;
	struct outputs out = { 0 };
	struct buf archive = { 0 };
	char *path = NULL, *error = NULL;
	int64_t mtime;
	int ret = cli_parse(argc, argv, "acofkrtq", &o);

	if (ret)
		goto cleanup;
	if (archive_mtime(&mtime) < 0) {
		ret = EXIT_USAGE;
		goto cleanup;
	}
	ret = cli_generate(&o, &p, &out);
	if (ret)
		goto cleanup;
	ret = EXIT_INPUT;
	if (pack_overlay(&out.overlay, o.format, mtime, &archive, &error) < 0) {
		fprintf(stderr, "scout-netgen: %s\n", error);
		goto cleanup;
	}
	path = xasprintf("overlay.%s", pack_format_suffix(o.format));
	if (cli_write(o.out, &path, archive.data, archive.len) < 0)
		goto cleanup;
	if ((out.server.n && export_write(&out.server, o.out, "server", o.format, mtime) < 0) ||
	    (out.expert.n && export_write(&out.expert, o.out, "expert", o.format, mtime) < 0))
		goto cleanup;
	if (!o.quiet)
		summary(p, path, &archive, &out, o.out, o.format);
	ret = 0;
cleanup:
	buf_free(&archive);
	free(error);
	free(path);
	outputs_free(&out);
	profile_free(p);
	cli_free(&o);
	return ret;
}
