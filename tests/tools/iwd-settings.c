/* tests/.bin/iwd-settings FILE: FILE as iwd reads its main.conf and its
 * network files, through ell's l_settings (the parser iwd 2.3 uses, from
 * the same libell0): every group and key with its value unescaped, one
 * "[GROUP] KEY=VALUE" a line, the value's bytes as they are. Exit status 1
 * when ell refuses the file. */
#include <ell/ell.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	struct l_settings *s;
	char **groups;
	int ret = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	s = l_settings_new();
	if (!l_settings_load_from_file(s, argv[1])) {
		fprintf(stderr, "%s: ell cannot parse it\n", argv[1]);
		l_settings_free(s);
		return 1;
	}
	groups = l_settings_get_groups(s);
	for (size_t g = 0; groups && groups[g]; g++) {
		char **keys = l_settings_get_keys(s, groups[g]);

		for (size_t k = 0; keys && keys[k]; k++) {
			char *v = l_settings_get_string(s, groups[g], keys[k]);

			if (!v) {
				fprintf(stderr, "%s: [%s] %s is not a string\n", argv[1], groups[g], keys[k]);
				ret = 1;
				continue;
			}
			printf("[%s] %s=%s\n", groups[g], keys[k], v);
			l_free(v);
		}
		l_strfreev(keys);
	}
	l_strfreev(groups);
	l_settings_free(s);
	return ret;
}
