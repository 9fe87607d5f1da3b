/* LD_PRELOAD shim for the tests: the iptables tools (libiptc) refuse chain
 * names over 28 bytes, which is all a rule's target can name, but the
 * kernel takes 29. This lengthens the chain LONGNAME_FROM (28 bytes) by one
 * byte in the table iptables-legacy-restore hands to the kernel, so that
 * a test can give host-iptables a table it cannot write back as it read it. */
#include <dlfcn.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter_ipv4/ip_tables.h>

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	int (*real)(int, int, int, const void *, socklen_t) =
		(int (*)(int, int, int, const void *, socklen_t))dlsym(RTLD_NEXT, "setsockopt");
	const char *from = getenv("LONGNAME_FROM");
	size_t n = from ? strlen(from) : 0;
	char *copy, *at;
	int ret;

	if (level != IPPROTO_IP || name != IPT_SO_SET_REPLACE || n != XT_EXTENSION_MAXNAMELEN - 1)
		return real(fd, level, name, val, len);
	copy = malloc(len);
	if (!copy)
		return -1;
	memcpy(copy, val, len);
	/* The chain's name is in its ERROR entry, NUL-padded to 30 bytes. */
	at = memmem(copy, len, from, n + 1);
	if (at && at + n + 2 <= copy + len && at[n + 1] == '\0')
		at[n] = 'X';
	ret = real(fd, level, name, copy, len);
	free(copy);
	return ret;
}
