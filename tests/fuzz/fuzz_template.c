/* libFuzzer: any text through the template renderer, with variables of
 * both kinds and one holding a value that must never be rendered. */
#include <stdint.h>

#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *items[] = { "1.1.1.1", "2001:db8::1", "" };
	struct tvars vars = { 0 };
	struct diag d = { 0 };
	struct buf out = { 0 };

	tvars_set(&vars, "vpn.server", "vpn.example.org");
	tvars_set(&vars, "vpn.port", "1194");
	tvars_set(&vars, "bad", "x\nup /bin/sh");
	tvars_set_list(&vars, "container.dns", items, 3);
	tvars_set_list(&vars, "none", NULL, 0);
	template_render("fuzz", (const char *)data, size, &vars, &d, &out);
	buf_free(&out);
	tvars_free(&vars);
	return 0;
}
