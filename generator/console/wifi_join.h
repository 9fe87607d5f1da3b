/* Joining a network: Network.Connect with the console's agent answering
 * iwd's RequestPassphrase, and what a failed join leaves behind taken back. */
#ifndef SCOUT_CONSOLE_WIFI_JOIN_H
#define SCOUT_CONSOLE_WIFI_JOIN_H

#include "wifi.h"

/* Called about every 100 ms while a join runs, with the time it took so
 * far; returning true asks iwd to stop (Station.Disconnect). */
typedef bool wifi_wait_fn(long long elapsed_ms, void *ctx);

struct wifi_join {
	char *error;      /* iwd's error, "NAME: message" escaped, or NULL */
	bool failed_iwd;  /* the error is net.connman.iwd.Failed */
	bool asked;       /* iwd asked the agent and got the passphrase */
	bool stopped;     /* the owner stopped it */
	bool forgot;      /* a KnownNetwork this join made was forgotten */
	char *forget_error;
};
/* Network.Connect on path, async, with an agent registered for it that
 * answers iwd's RequestPassphrase for this network only (passphrase may be
 * NULL: open or known networks), bounded by WIFI_CONNECT_TIMEOUT_MS. On
 * failure, a KnownNetwork that was not there before is forgotten. The
 * caller reads the state back afterwards (wifi_read). Returns 0 when
 * Connect succeeded, -1 otherwise (*ret says why). */
#define WIFI_CONNECT_TIMEOUT_MS 30000
int wifi_connect(struct wifi *w, const char *path, const char *passphrase, wifi_wait_fn *wait, void *ctx,
		 struct wifi_join *ret);
void wifi_join_free(struct wifi_join *j);

#endif
