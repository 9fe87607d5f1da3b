/* Joining a network. Network.Connect is a long call (iwd scans, asks the
 * agent, authenticates): it is sent async and the console keeps serving
 * the bus (the agent's RequestPassphrase comes in meanwhile) and the
 * screen (the owner may stop it), bounded by WIFI_CONNECT_TIMEOUT_MS.
 * The passphrase is held only until iwd has it, then wiped. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include "console.h"
#include "util.h"
#include "wifi_join.h"

#define IWD "net.connman.iwd"
#define AGENT_PATH "/org/scout/console/agent"
#define SHORT_USEC (3 * 1000 * 1000ULL)
#define CANCELED IWD ".Agent.Error.Canceled"

struct agent {
	const char *network; /* the only network it answers for */
	char *passphrase;    /* a copy, wiped once given (NULL: none to give) */
	char *iwd;           /* iwd's unique bus name: the only caller answered */
	bool asked, done;
	sd_bus_error error; /* Connect's error, once done */
};

static void wipe(char **s)
{
	if (*s) {
		explicit_bzero(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

/* Only iwd may ask, and only for the network being joined: another
 * program on the bus must not get the owner's passphrase. */
static int request_passphrase(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct agent *a = userdata;
	const char *network, *sender = sd_bus_message_get_sender(m);
	int r;

	(void)ret_error;
	if ((r = sd_bus_message_read(m, "o", &network)) < 0)
		return r;
	if (!sender || !a->iwd || strcmp(sender, a->iwd) || strcmp(network, a->network) || !a->passphrase)
		return sd_bus_reply_method_errorf(m, CANCELED, "scout-console has no passphrase for this request");
	r = sd_bus_reply_method_return(m, "s", a->passphrase);
	/* sd-bus copied it into the reply, which it frees (unwiped) once
	 * sent; this copy goes now. */
	wipe(&a->passphrase);
	a->asked = r >= 0;
	return r;
}

/* Release, and Cancel with whatever arguments (iwd's doc says
 * Cancel(s reason), older ones Cancel()): iwd dropped the agent or the
 * request; Connect's reply says what became of the join. */
static int agent_note(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct agent *a = userdata;

	(void)ret_error;
	if (!sd_bus_message_is_method_call(m, IWD ".Agent", "Release") &&
	    !sd_bus_message_is_method_call(m, IWD ".Agent", "Cancel"))
		return 0; /* RequestPassphrase: the vtable's */
	wipe(&a->passphrase);
	return sd_bus_reply_method_return(m, "");
}

static const sd_bus_vtable agent_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("RequestPassphrase", "o", "s", request_passphrase, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

static int connect_done(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct agent *a = userdata;

	(void)ret_error;
	if (sd_bus_message_is_method_error(m, NULL))
		sd_bus_error_copy(&a->error, sd_bus_message_get_error(m));
	a->done = true;
	return 0;
}

/* iwd's unique name, or NULL. */
static char *iwd_owner(sd_bus *bus)
{
	sd_bus_creds *c = NULL;
	const char *unique = NULL;
	char *ret = NULL;

	if (sd_bus_get_name_creds(bus, IWD, SD_BUS_CREDS_UNIQUE_NAME, &c) >= 0 &&
	    sd_bus_creds_get_unique_name(c, &unique) >= 0)
		ret = xstrdup(unique);
	sd_bus_creds_unref(c);
	return ret;
}

/* Serves the bus until Connect's reply (sd-bus makes a timeout one),
 * asking wait whether the owner stops it. */
static int serve(struct wifi *w, struct agent *a, wifi_wait_fn *wait, void *ctx, struct wifi_join *ret)
{
	long long start = now_ms();

	while (!a->done) {
		int r = sd_bus_process(w->bus, NULL);

		if (r < 0)
			return r;
		if (r > 0)
			continue;
		if (now_ms() - start > WIFI_CONNECT_TIMEOUT_MS + 5000)
			return -ETIMEDOUT; /* sd-bus should have ended it already */
		if ((r = sd_bus_wait(w->bus, 100 * 1000)) < 0 && r != -EINTR)
			return r;
		if (!ret->stopped && wait && wait(now_ms() - start, ctx)) {
			char *error = NULL;

			ret->stopped = true;
			/* iwd ends the pending Connect (net.connman.iwd.Aborted). */
			if (wifi_disconnect(w, &error))
				free(error);
		}
	}
	return 0;
}

/* Registers the agent, sends Connect and serves until it ends. */
static int run_connect(struct wifi *w, const char *path, struct agent *a, wifi_wait_fn *wait, void *ctx,
		       struct wifi_join *ret)
{
	sd_bus_slot *object = NULL, *notes = NULL, *pending = NULL;
	sd_bus_message *m = NULL;
	const char *manager = w->agent_manager ? w->agent_manager : "/net/connman/iwd";
	char *error = NULL;
	int r;

	if ((r = sd_bus_add_object_vtable(w->bus, &object, AGENT_PATH, IWD ".Agent", agent_vtable, a)) < 0 ||
	    (r = sd_bus_add_object(w->bus, &notes, AGENT_PATH, agent_note, a)) < 0) {
		sd_bus_slot_unref(object);
		ret->error = xasprintf("cannot serve iwd's agent requests: %s", strerror(-r));
		return -1;
	}
	if (wifi_call(w, manager, IWD ".AgentManager", "RegisterAgent", SHORT_USEC, NULL, &error, "o", AGENT_PATH)) {
		ret->error = xasprintf("iwd refused the console's agent: %s", error);
		free(error);
		sd_bus_slot_unref(notes);
		sd_bus_slot_unref(object);
		return -1;
	}
	r = sd_bus_message_new_method_call(w->bus, &m, IWD, path, IWD ".Network", "Connect");
	if (r >= 0)
		r = sd_bus_message_set_auto_start(m, 0); /* as wifi_call */
	if (r >= 0)
		r = sd_bus_call_async(w->bus, &pending, m, connect_done, a, WIFI_CONNECT_TIMEOUT_MS * 1000ULL);
	if (r >= 0)
		r = serve(w, a, wait, ctx, ret);
	if (r < 0)
		ret->error = xasprintf("Connect: %s", r == -ETIMEDOUT ? "no answer from iwd" : strerror(-r));
	else if (sd_bus_error_is_set(&a->error))
		ret->error = wifi_bus_error(&a->error, -EIO);
	sd_bus_slot_unref(pending);
	sd_bus_message_unref(m);
	/* Fails only when iwd dropped it already (Release) or is gone. */
	(void)wifi_call(w, manager, IWD ".AgentManager", "UnregisterAgent", SHORT_USEC, NULL, NULL, "o", AGENT_PATH);
	sd_bus_slot_unref(notes);
	sd_bus_slot_unref(object);
	return ret->error ? -1 : 0;
}

static const struct wifi_known *known_find(const struct wifi *w, const char *name, const char *type)
{
	for (size_t i = 0; i < w->n_known; i++)
		if (!strcmp(w->known[i].name, name) && !strcmp(w->known[i].type, type))
			return &w->known[i];
	return NULL;
}

/* After a failed join: a KnownNetwork for this SSID that was not there
 * before was made by this join (iwd keeps one after a successful join
 * only, but a failure must change nothing whatever iwd does): Forget it. */
static void forget_new(struct wifi *w, const char *name, const char *type, bool known_before, struct wifi_join *ret)
{
	const struct wifi_known *k;
	char *error = NULL;

	if (known_before)
		return;
	wifi_read(w);
	if (!(k = known_find(w, name, type)))
		return;
	if (wifi_call(w, k->path, IWD ".KnownNetwork", "Forget", SHORT_USEC, NULL, &error, NULL))
		ret->forget_error = error;
	else
		ret->forgot = true;
}

int wifi_connect(struct wifi *w, const char *path, const char *passphrase, wifi_wait_fn *wait, void *ctx,
		 struct wifi_join *ret)
{
	/* path may be the last read's, which wifi_read frees: a copy. */
	char *network = xstrdup(path), *name, *type;
	struct agent a = { .network = network, .error = SD_BUS_ERROR_NULL };
	const struct wifi_net *net;
	bool known_before;
	int r;

	*ret = (struct wifi_join){ 0 };
	wifi_read(w); /* what is known now, read from iwd */
	if (!w->available || !(net = wifi_net_find(w, network))) {
		ret->error = xasprintf("%s", w->available ? "the network is no longer in range" : w->why);
		free(network);
		return -1;
	}
	name = xstrdup(net->name);
	type = xstrdup(net->type);
	known_before = known_find(w, name, type) != NULL;
	a.passphrase = passphrase ? xstrdup(passphrase) : NULL;
	a.iwd = iwd_owner(w->bus);
	r = run_connect(w, network, &a, wait, ctx, ret);
	ret->asked = a.asked;
	ret->failed_iwd = sd_bus_error_has_name(&a.error, IWD ".Failed");
	wipe(&a.passphrase);
	if (r < 0)
		forget_new(w, name, type, known_before, ret);
	sd_bus_error_free(&a.error);
	free(a.iwd);
	free(network);
	free(name);
	free(type);
	return r;
}

void wifi_join_free(struct wifi_join *j)
{
	free(j->error);
	free(j->forget_error);
	*j = (struct wifi_join){ 0 };
}
