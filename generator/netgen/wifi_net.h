/* The profile's Wi-Fi networks (lan.wifi) as iwd's network files, in
 * WIFI_NET_DIR of the overlay (wifi_net.c). */
#ifndef SCOUT_WIFI_NET_H
#define SCOUT_WIFI_NET_H

#include "diag.h"
#include "overlay.h"
#include "profile.h"

/* 0700; each file 0600. iwd-run.conf copies them to /run/iwd. */
#define WIFI_NET_DIR "etc/scout/iwd"

/* Reads each network's passphrase file (relative to the profile's
 * directory), checks it and adds the network's file; the directory is
 * always there (iwd's unit copies from it). Returns the number of errors,
 * reported at the passphrase_file's value in the profile. */
unsigned wifi_net_add(const struct profile *p, struct diag *d, struct overlay *o);

#endif
