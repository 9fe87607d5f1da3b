/* The keys command's work, which build does too (cmd_keys.c). */
#ifndef SCOUT_CMD_KEYS_H
#define SCOUT_CMD_KEYS_H

#include "diag.h"
#include "emit.h"
#include "profile.h"

/* Makes the VPN's keys (e->keys, or e->wg_keys for WireGuard) and the SSH keys (e->ssh_keys) where there
 * are none, and, with a profile p (may be NULL), each of its scouts' that
 * has none; then prints what d holds. Returns 0 with whether it made any
 * of each, or -1. */
int keys_make(const struct profile *p, const struct emit_opts *e, struct diag *d, int *ret_made,
	      int *ret_ssh_made);

#endif
