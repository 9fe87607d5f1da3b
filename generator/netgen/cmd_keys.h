/* The keys command's work, which build does too (cmd_keys.c). */
#ifndef SCOUT_CMD_KEYS_H
#define SCOUT_CMD_KEYS_H

#include "diag.h"

/* Makes the VPN's keys in keys and the SSH keys in ssh_keys where there
 * are none, and prints what d holds. Returns 0 with how many of each it
 * made, or -1. */
int keys_make(const char *keys, const char *ssh_keys, struct diag *d, int *ret_made, int *ret_ssh_made);

#endif
