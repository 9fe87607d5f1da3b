/* Connects to ADDRESS PORT (IPv6 link-local as fe80::1%IFACE) within
 * TIMEOUT_MS and prints one word of what happened: the listener's reply
 * ("NAME PEER"), or "refused", "timeout", "unreachable". */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *ai;
	struct pollfd p;
	char buf[128];
	int fd, err = 0, timeout;
	socklen_t len = sizeof(err);
	ssize_t n;

	if (argc != 4) {
		fprintf(stderr, "usage: probe ADDRESS PORT TIMEOUT_MS\n");
		return 2;
	}
	{
		char *end;
		long t = strtol(argv[3], &end, 10);

		if (*end || t < 1 || t > 60000) {
			fprintf(stderr, "probe: timeout must be 1-60000 ms\n");
			return 2;
		}
		timeout = (int)t;
	}
	if (getaddrinfo(argv[1], argv[2], &hints, &ai)) {
		fprintf(stderr, "probe: bad address %s port %s\n", argv[1], argv[2]);
		return 2;
	}
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)
		err = errno;
	freeaddrinfo(ai);
	p = (struct pollfd){ .fd = fd, .events = POLLOUT };
	if (!err && poll(&p, 1, timeout) != 1) {
		puts("timeout");
		return 0;
	}
	if (!err)
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
	if (err) {
		puts(err == ECONNREFUSED ? "refused" : err == ETIMEDOUT ? "timeout" : "unreachable");
		return 0;
	}
	p.events = POLLIN;
	if (poll(&p, 1, timeout) != 1) {
		puts("timeout");
		return 0;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	puts(n > 0 ? buf : "closed");
	return 0;
}
