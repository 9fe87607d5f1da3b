/* The kernel's x_tables through libiptc (libip4tc, libip6tc): read a table,
 * replace one whole table in one commit, compare two tables. */
#ifndef FW_TABLES_H
#define FW_TABLES_H

#include <stdbool.h>
#include <stddef.h>

struct xtc_handle;

#include "ruleset.h"

struct fw_rule {
	size_t chain;        /* index into chains */
	void *entry;         /* ipt_entry or ip6t_entry */
	size_t size;
	char *label;         /* target: ACCEPT, DROP, a chain, or an extension's name; whole, however long */
	const struct rs_rule *src; /* the rule it was built from, NULL if read */
};

struct fw_table {
	enum rs_table id;
	struct xtc_handle *handle; /* from fw_table_read, until install uses it */
	char **chains;       /* names as the kernel has them, whole */
	char **policies;     /* "" for user chains */
	size_t n_chains;
	struct fw_rule *rules;
	size_t n_rules;
	char *unrestorable;  /* why this table, as read, cannot be put back; NULL: it can */
};

/* Every function returning int gives 0, or -1 with a message naming the
 * table, the chain and the system's error in *ret_error (to be freed). */

/* Holds the xtables lock (/run/xtables.lock, or $XTABLES_LOCKFILE) as the
 * iptables tools do, waiting at most timeout_ms. Returns the fd. */
int fw_lock(unsigned timeout_ms, char **ret_error);
void fw_unlock(int fd);

int fw_table_read(enum rs_table id, struct fw_table *ret, char **ret_error);
/* The entry and label for one rule of the rule set. */
void fw_rule_build(const struct rs_rule *r, struct fw_rule *ret);
void fw_rule_free(struct fw_rule *r);
/* The table the rule set wants in the given toggle state. */
void fw_table_build(const struct rs_ruleset *rs, enum rs_table id, unsigned state, struct fw_table *ret);
/* Replaces the kernel's table with t in one commit (retried on EAGAIN).
 * When read (the same table, read under the same lock) still holds its
 * libiptc handle, the first attempt uses it instead of reading again. */
int fw_table_install(const struct fw_table *t, struct fw_table *read, char **ret_error);
/* Lists what differs into diff (when non-NULL); returns true when equal. */
bool fw_table_equal(const struct fw_table *want, const struct fw_table *have, struct buf *diff);
/* Whether chain of t holds a rule equal to r. */
bool fw_table_has(const struct fw_table *t, const struct fw_rule *r, const char *chain);
void fw_table_free(struct fw_table *t);

#endif
