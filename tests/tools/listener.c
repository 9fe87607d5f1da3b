/* A TCP listener for the namespace tests: on each port given, IPv4 and IPv6
 * alike, it answers every connection with "NAME PEER\n" (PEER: the address
 * the connection came from) and closes it; named "hold", it keeps every
 * connection open (an expert who stays connected). Runs until killed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PORTS 32

static int listen_on(const char *port_s)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT };
	int fd = socket(AF_INET6, SOCK_STREAM, 0), off = 0, on = 1;
	char *end;
	long port = strtol(port_s, &end, 10);

	if (fd < 0 || *end || port < 1 || port > 65535) {
		fprintf(stderr, "listener: bad port %s\n", port_s);
		exit(2);
	}
	a.sin6_port = htons((uint16_t)port);
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 64) < 0) {
		perror("listener: bind/listen");
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct pollfd fds[MAX_PORTS];
	int n = argc - 2;

	if (argc < 3 || n > MAX_PORTS) {
		fprintf(stderr, "usage: listener NAME PORT...\n");
		return 2;
	}
	for (int i = 0; i < n; i++)
		fds[i] = (struct pollfd){ .fd = listen_on(argv[i + 2]), .events = POLLIN };
	for (;;) {
		if (poll(fds, (nfds_t)n, -1) < 0)
			continue;
		for (int i = 0; i < n; i++) {
			struct sockaddr_in6 peer;
			socklen_t len = sizeof(peer);
			char addr[INET6_ADDRSTRLEN], reply[128];
			int c;

			if (!(fds[i].revents & POLLIN))
				continue;
			c = accept(fds[i].fd, (struct sockaddr *)&peer, &len);
			if (c < 0)
				continue;
			inet_ntop(AF_INET6, &peer.sin6_addr, addr, sizeof(addr));
			/* IPv4 peers arrive as ::ffff:a.b.c.d */
			snprintf(reply, sizeof(reply), "%s %s\n", argv[1],
				 strncmp(addr, "::ffff:", 7) ? addr : addr + 7);
			if (write(c, reply, strlen(reply)) < 0)
				perror("listener: write");
			if (strcmp(argv[1], "hold"))
				close(c);
		}
	}
}
