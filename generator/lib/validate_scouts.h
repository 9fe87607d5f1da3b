/* The validate stage's part for scouts: (validate_scouts.c): the fleet's
 * list of { name, address } and the checks across its items. */
#ifndef SCOUT_VALIDATE_SCOUTS_H
#define SCOUT_VALIDATE_SCOUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "validator.h"

/* What is wrong with s (len bytes) as a scout's name, or NULL. */
const char *scout_name_problem(const char *s, size_t len);
/* Item i of scouts: (n) into *(struct scout *)dst; false after reporting
 * what is wrong with it. */
bool scouts_parse_item(struct validator *v, enum field_id f, size_t i, const struct ynode *n, void *dst);
/* Once every field has parsed: the one scout of a profile without
 * scouts:, or the fleet's checks (names and addresses unique, addresses in
 * vpn.subnet and not the server's or the expert's). Selects scout 0. */
void scouts_finish(struct validator *v);

#endif
