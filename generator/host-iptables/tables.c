#include "tables.h"

#include <errno.h>
#include <fcntl.h>
#include <libiptc/libip6tc.h>
#include <libiptc/libiptc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "entry.h"

#define COMMIT_TRIES 5


/* libip4tc and libip6tc have the same calls over different entry types; one
 * table of wrappers per family lets the rest of this file ignore which. */
struct fw_ops {
	struct xtc_handle *(*init)(const char *table);
	void (*free)(struct xtc_handle *h);
	const char *(*first_chain)(struct xtc_handle *h);
	const char *(*next_chain)(struct xtc_handle *h);
	int (*builtin)(const char *chain, struct xtc_handle *h);
	const void *(*first_rule)(const char *chain, struct xtc_handle *h);
	const void *(*next_rule)(const void *prev, struct xtc_handle *h);
	const char *(*get_target)(const void *e, struct xtc_handle *h);
	const char *(*get_policy)(const char *chain, struct xt_counters *c, struct xtc_handle *h);
	int (*append)(const char *chain, const void *e, struct xtc_handle *h);
	int (*flush)(const char *chain, struct xtc_handle *h);
	int (*create)(const char *chain, struct xtc_handle *h);
	int (*remove)(const char *chain, struct xtc_handle *h);
	int (*set_policy)(const char *chain, const char *policy, struct xt_counters *c, struct xtc_handle *h);
	int (*commit)(struct xtc_handle *h);
	/* cppcheck-suppress unusedStructMember ; used through ops_of() in fail() */
	const char *(*strerror)(int err);
	size_t head; /* sizeof the entry header */
};

#define FAMILY_OPS(name, P, ENTRY)                                                              \
	static const void *P##_first_rule_w(const char *c, struct xtc_handle *h)                \
	{ return P##_first_rule(c, h); }                                                       \
	static const void *P##_next_rule_w(const void *e, struct xtc_handle *h)                 \
	{ return P##_next_rule(e, h); }                                                        \
	static const char *P##_get_target_w(const void *e, struct xtc_handle *h)                \
	{ return P##_get_target(e, h); }                                                       \
	static int P##_append_w(const char *c, const void *e, struct xtc_handle *h)             \
	{ return P##_append_entry(c, e, h); }                                                  \
	static const struct fw_ops name = {                                                     \
		.init = P##_init, .free = P##_free, .first_chain = P##_first_chain,             \
		.next_chain = P##_next_chain, .builtin = P##_builtin,                           \
		.first_rule = P##_first_rule_w, .next_rule = P##_next_rule_w,                   \
		.get_target = P##_get_target_w, .get_policy = P##_get_policy,                   \
		.append = P##_append_w, .flush = P##_flush_entries, .create = P##_create_chain, \
		.remove = P##_delete_chain, .set_policy = P##_set_policy, .commit = P##_commit, \
		.strerror = P##_strerror, .head = sizeof(ENTRY),                                \
	}

FAMILY_OPS(ops4, iptc, struct ipt_entry);
FAMILY_OPS(ops6, ip6tc, struct ip6t_entry);

static const struct fw_ops *ops_of(enum rs_table id)
{
	return rs_tables[id].family == 6 ? &ops6 : &ops4;
}

static int fail(char **ret_error, enum rs_table id, const char *chain, const char *what, int err)
{
	*ret_error = xasprintf("%s table%s%s: %s: %s", rs_tables[id].title, chain ? ", chain " : "",
			       chain ? chain : "", what, ops_of(id)->strerror(err));
	return -1;
}

int fw_lock(unsigned timeout_ms, char **ret_error)
{
	const char *path = getenv("XTABLES_LOCKFILE");
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	int fd;

	if (!path || !*path)
		path = "/run/xtables.lock";
	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		*ret_error = xasprintf("cannot open the xtables lock %s: %s", path, strerror(errno));
		return -1;
	}
	for (unsigned waited = 0; flock(fd, LOCK_EX | LOCK_NB) < 0; waited += 50) {
		if (errno != EWOULDBLOCK || waited >= timeout_ms) {
			*ret_error = errno == EWOULDBLOCK
				? xasprintf("another program has held the xtables lock %s for %u ms", path, waited)
				: xasprintf("cannot take the xtables lock %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		nanosleep(&pause, NULL);
	}
	return fd;
}

void fw_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the flock */
}

static size_t add_chain(struct fw_table *t, const char *name, const char *policy)
{
	t->chains = xgrow(t->chains, t->n_chains, sizeof(*t->chains));
	t->policies = xgrow(t->policies, t->n_chains, sizeof(*t->policies));
	t->chains[t->n_chains] = xstrdup(name);
	t->policies[t->n_chains] = xstrdup(policy ? policy : "");
	return t->n_chains++;
}

static struct fw_rule *add_rule(struct fw_table *t, size_t chain, void *entry, size_t size,
				const char *label)
{
	struct fw_rule *r;

	t->rules = xgrow(t->rules, t->n_rules, sizeof(*t->rules));
	r = &t->rules[t->n_rules++];
	*r = (struct fw_rule){ .chain = chain, .entry = entry, .size = size, .label = xstrdup(label) };
	return r;
}

/* The size of an entry is its next_offset, at the same place in both. */
static size_t entry_size(const struct fw_ops *ops, const void *e)
{
	return ops == &ops6 ? ((const struct ip6t_entry *)e)->next_offset
			    : ((const struct ipt_entry *)e)->next_offset;
}

static struct xt_entry_target *target_of(const struct fw_table *t, const void *e)
{
	const unsigned char *p = e;
	uint16_t off = rs_tables[t->id].family == 6 ? ((const struct ip6t_entry *)e)->target_offset
						   : ((const struct ipt_entry *)e)->target_offset;

	return (struct xt_entry_target *)(p + off);
}

static bool is_chain(const struct fw_table *t, const char *name)
{
	for (size_t i = 0; i < t->n_chains; i++)
		if (!strcmp(t->chains[i], name))
			return true;
	return false;
}

/* Standard targets (verdicts and jumps) are known by their label; libiptc
 * maps a label in the target's name to the verdict when appending. */
static bool is_standard(const struct fw_table *t, const char *label)
{
	return !*label || !strcmp(label, "ACCEPT") || !strcmp(label, "DROP") ||
	       !strcmp(label, "RETURN") || !strcmp(label, "QUEUE") || is_chain(t, label);
}

int fw_table_read(enum rs_table id, struct fw_table *ret, char **ret_error)
{
	const struct fw_ops *ops = ops_of(id);
	struct xtc_handle *h = ops->init(rs_tables[id].name);
	struct fw_table t = { .id = id };

	if (!h)
		return fail(ret_error, id, NULL, "cannot read the table", errno);
	for (const char *c = ops->first_chain(h); c; c = ops->next_chain(h)) {
		struct xt_counters counters;
		const char *policy = ops->builtin(c, h) ? ops->get_policy(c, &counters, h) : NULL;
		size_t ci = add_chain(&t, c, policy);

		for (const void *e = ops->first_rule(c, h); e; e = ops->next_rule(e, h)) {
			size_t size = entry_size(ops, e);
			void *copy = xmalloc(size);

			memcpy(copy, e, size);
			add_rule(&t, ci, copy, size, ops->get_target(e, h));
		}
	}
	/* A standard target (a verdict or a jump to any chain, hence after
	 * all chains are known) keeps its label in its name, as
	 * iptc_append_entry() wants it to put the rule back. */
	for (size_t i = 0; i < t.n_rules; i++) {
		const char *label = t.rules[i].label;

		if (!is_standard(&t, label))
			continue;
		if (strlen(label) >= XT_EXTENSION_MAXNAMELEN) {
			/* The kernel takes chain names of up to 29 bytes; a
			 * jump names its chain in 28. */
			if (!t.unrestorable)
				t.unrestorable = xasprintf("%s table, chain %s: a rule jumps to chain %s, whose name is longer than a rule can name (%d bytes)",
							   rs_tables[id].title, t.chains[t.rules[i].chain], label,
							   XT_EXTENSION_MAXNAMELEN - 1);
			continue;
		}
		memcpy(target_of(&t, t.rules[i].entry)->u.user.name, label, strlen(label) + 1);
	}
	t.handle = h;
	*ret = t;
	return 0;
}

void fw_rule_build(const struct rs_rule *r, struct fw_rule *ret)
{
	ret->entry = entry_build(r, &ret->size);
	ret->src = r;
	ret->label = xstrdup(rs_target_label(r));
}

void fw_rule_free(struct fw_rule *r)
{
	free(r->entry);
	free(r->label);
}

void fw_table_build(const struct rs_ruleset *rs, enum rs_table id, unsigned state, struct fw_table *ret)
{
	struct fw_table t = { .id = id };

	for (size_t c = 0; c < rs->n_chains; c++) {
		size_t ci;

		if (rs->chains[c].table != id)
			continue;
		ci = add_chain(&t, rs->chains[c].name, rs->chains[c].policy == RS_USER_CHAIN ? NULL : rs_policies[rs->chains[c].policy].save);
		for (size_t i = 0; i < rs->n_rules; i++) {
			const struct rs_rule *r = &rs->rules[i];

			if (r->table != id || strcmp(r->chain, rs->chains[c].name) || !rs_rule_active(r, state))
				continue;
			struct fw_rule *slot = add_rule(&t, ci, NULL, 0, "");

			free(slot->label);
			fw_rule_build(r, slot);
		}
	}
	*ret = t;
}

/* Flushes every chain, then removes the user chains: a user chain can go
 * only once nothing jumps to it. */
static int clear_table(const struct fw_ops *ops, struct xtc_handle *h, enum rs_table id, char **ret_error)
{
	size_t n = 0;
	char **names = NULL;
	int ret = 0;

	for (const char *c = ops->first_chain(h); c; c = ops->next_chain(h)) {
		names = xgrow(names, n, sizeof(*names));
		names[n++] = xstrdup(c);
	}
	for (size_t i = 0; i < n && !ret; i++)
		if (!ops->flush(names[i], h))
			ret = fail(ret_error, id, names[i], "cannot flush the chain", errno);
	for (size_t i = 0; i < n && !ret; i++)
		if (!ops->builtin(names[i], h) && !ops->remove(names[i], h))
			ret = fail(ret_error, id, names[i], "cannot remove the chain", errno);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

static int replace_contents(const struct fw_ops *ops, struct xtc_handle *h, const struct fw_table *t,
			    char **ret_error)
{
	if (clear_table(ops, h, t->id, ret_error) < 0)
		return -1;
	for (size_t i = 0; i < t->n_chains; i++) {
		if (!t->policies[i][0] && !ops->create(t->chains[i], h))
			return fail(ret_error, t->id, t->chains[i], "cannot create the chain", errno);
		if (t->policies[i][0] && !ops->set_policy(t->chains[i], t->policies[i], NULL, h))
			return fail(ret_error, t->id, t->chains[i], "cannot set the policy", errno);
	}
	for (size_t i = 0; i < t->n_rules; i++)
		if (!ops->append(t->chains[t->rules[i].chain], t->rules[i].entry, h))
			return fail(ret_error, t->id, t->chains[t->rules[i].chain], "cannot add a rule", errno);
	return 0;
}

/* A test hook: makes the commit of one table fail, to show that the tables
 * committed before it are put back. */
static bool forced_failure(enum rs_table id)
{
	const char *s = getenv("HOST_IPTABLES_TEST_FAIL_COMMIT");

	return s && !strcmp(s, rs_tables[id].key);
}

int fw_table_install(const struct fw_table *t, struct fw_table *read, char **ret_error)
{
	const struct fw_ops *ops = ops_of(t->id);

	if (t->unrestorable) {
		*ret_error = xstrdup(t->unrestorable);
		return -1;
	}
	for (int attempt = 1;; attempt++) {
		struct xtc_handle *h = read && read->handle ? read->handle : ops->init(rs_tables[t->id].name);
		int ok;

		if (read)
			read->handle = NULL; /* used once: after a commit it is stale */
		if (!h)
			return fail(ret_error, t->id, NULL, "cannot read the table", errno);
		if (replace_contents(ops, h, t, ret_error) < 0) {
			ops->free(h);
			return -1;
		}
		if (forced_failure(t->id)) {
			ops->free(h);
			*ret_error = xasprintf("%s table: cannot commit: failure forced by HOST_IPTABLES_TEST_FAIL_COMMIT",
					       rs_tables[t->id].title);
			return -1;
		}
		ok = ops->commit(h);
		ops->free(h);
		if (ok)
			return 0;
		/* EAGAIN: another writer changed the table after we read it. */
		if (errno != EAGAIN || attempt == COMMIT_TRIES)
			return fail(ret_error, t->id, NULL, "cannot commit", errno);
	}
}

static uint16_t target_offset(const struct fw_table *t, const void *e)
{
	return (uint16_t)((const unsigned char *)target_of(t, e) - (const unsigned char *)e);
}

/* Matches and targets: size, name up to its NUL, revision and data. The
 * kernel fills only the name's string when it hands entries back; the bytes
 * after the NUL are whatever was there. */
static bool extensions_equal(const unsigned char *a, const unsigned char *b, size_t len)
{
	size_t off = 0;

	while (off < len) {
		const struct xt_entry_match *ma = (const void *)(a + off), *mb = (const void *)(b + off);
		size_t size = ma->u.user.match_size;

		if (size != mb->u.user.match_size || size < sizeof(*ma) || size > len - off ||
		    strncmp(ma->u.user.name, mb->u.user.name, sizeof(ma->u.user.name)) ||
		    ma->u.user.revision != mb->u.user.revision ||
		    memcmp(ma->data, mb->data, size - sizeof(*ma)))
			return false;
		off += size;
	}
	return true;
}

/* Equal as netfilter sees them: addresses, interfaces, protocol, matches
 * and target, but not the counters or libiptc's bookkeeping. */
static bool rule_equal(const struct fw_table *ta, const struct fw_rule *a, const struct fw_table *tb,
		       const struct fw_rule *b)
{
	size_t head = ops_of(ta->id)->head;
	uint16_t ta_off = target_offset(ta, a->entry), tb_off = target_offset(tb, b->entry);
	size_t ip_size = rs_tables[ta->id].family == 6 ? sizeof(struct ip6t_ip6) : sizeof(struct ipt_ip);
	const unsigned char *ea = a->entry, *eb = b->entry;

	if (a->size != b->size || ta_off != tb_off || ta_off < head || ta_off > a->size ||
	    strcmp(a->label, b->label))
		return false;
	if (memcmp(ea, eb, ip_size) || !extensions_equal(ea + head, eb + head, ta_off - head))
		return false;
	return is_standard(ta, a->label) || extensions_equal(ea + ta_off, eb + ta_off, a->size - ta_off);
}

static void describe(const struct fw_table *t, const struct fw_rule *r, size_t pos, struct buf *out)
{
	if (r->src) {
		rs_format_rule(r->src, out);
	} else {
		buf_printf(out, "-A %s (rule %zu, -j %s)", t->chains[r->chain], pos + 1,
			   *r->label ? r->label : "(no target)");
	}
}

/* Rules of one chain, in order. */
static size_t chain_rules(const struct fw_table *t, size_t chain, const struct fw_rule **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_rules && n < max; i++)
		if (t->rules[i].chain == chain)
			out[n++] = &t->rules[i];
	return n;
}

static size_t find_chain(const struct fw_table *t, const char *name)
{
	for (size_t i = 0; i < t->n_chains; i++)
		if (!strcmp(t->chains[i], name))
			return i;
	return SIZE_MAX;
}

bool fw_table_equal(const struct fw_table *want, const struct fw_table *have, struct buf *diff)
{
	const char *title = rs_tables[want->id].title;
	size_t max = (want->n_rules > have->n_rules ? want->n_rules : have->n_rules) + 1;
	const struct fw_rule **wr = xcalloc(max, sizeof(*wr)), **hr = xcalloc(max, sizeof(*hr));
	bool equal = true;

	for (size_t c = 0; c < want->n_chains; c++) {
		size_t hc = find_chain(have, want->chains[c]), nw, nh, i;

		if (hc == SIZE_MAX) {
			if (diff)
				buf_printf(diff, "%s: missing chain %s\n", title, want->chains[c]);
			equal = false;
			continue;
		}
		if (strcmp(want->policies[c], have->policies[hc])) {
			if (diff)
				buf_printf(diff, "%s: chain %s policy is %s, not %s\n", title, want->chains[c],
					   *have->policies[hc] ? have->policies[hc] : "-", want->policies[c]);
			equal = false;
		}
		nw = chain_rules(want, c, wr, max);
		nh = chain_rules(have, hc, hr, max);
		for (i = 0; i < nw && i < nh && rule_equal(want, wr[i], have, hr[i]); i++)
			;
		if (i == nw && i == nh)
			continue;
		equal = false;
		if (!diff)
			continue;
		for (size_t k = i; k < nw; k++) {
			buf_printf(diff, "%s: expected: ", title);
			describe(want, wr[k], k, diff);
			buf_puts(diff, "\n");
		}
		for (size_t k = i; k < nh; k++) {
			buf_printf(diff, "%s: found:    ", title);
			describe(have, hr[k], k, diff);
			buf_puts(diff, "\n");
		}
	}
	for (size_t c = 0; c < have->n_chains; c++)
		if (find_chain(want, have->chains[c]) == SIZE_MAX) {
			if (diff)
				buf_printf(diff, "%s: unexpected chain %s\n", title, have->chains[c]);
			equal = false;
		}
	free(wr);
	free(hr);
	return equal;
}

bool fw_table_has(const struct fw_table *t, const struct fw_rule *r, const char *chain)
{
	size_t c = find_chain(t, chain);

	for (size_t i = 0; c != SIZE_MAX && i < t->n_rules; i++)
		if (t->rules[i].chain == c && rule_equal(t, &t->rules[i], t, r))
			return true;
	return false;
}

void fw_table_free(struct fw_table *t)
{
	if (t->handle)
		ops_of(t->id)->free(t->handle);
	for (size_t i = 0; i < t->n_rules; i++)
		fw_rule_free(&t->rules[i]);
	for (size_t i = 0; i < t->n_chains; i++) {
		free(t->chains[i]);
		free(t->policies[i]);
	}
	free(t->rules);
	free(t->chains);
	free(t->policies);
	free(t->unrestorable);
	*t = (struct fw_table){ 0 };
}
