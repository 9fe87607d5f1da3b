/* The validate stage's part for lan.wifi and lan.wifi_firmware
 * (validate_wifi.c): the one list whose items are mappings, and the
 * checks across its items. */
#ifndef SCOUT_VALIDATE_WIFI_H
#define SCOUT_VALIDATE_WIFI_H

#include <stdbool.h>
#include <stddef.h>

#include "validator.h"

/* Item i of lan.wifi (n) into *(struct wifi_network *)dst; false after
 * reporting what is wrong with it. */
bool wifi_parse_item(struct validator *v, enum field_id f, size_t i, const struct ynode *n, void *dst);
/* An SSID or a firmware set listed twice. */
void wifi_check_lists(struct validator *v);

#endif
