/* The profile schema: every key, its type, where its value lands in the
 * model and its default (schema.c). */
#ifndef SCOUT_SCHEMA_H
#define SCOUT_SCHEMA_H

#include <stddef.h>

enum field_id {
	FLD_VERSION,
	FLD_SCOUTS,
	FLD_VPN_TYPE,
	FLD_VPN_SERVER,
	FLD_VPN_PORT,
	FLD_VPN_PROTOCOL,
	FLD_VPN_INTERFACE,
	FLD_VPN_SUBNET,
	FLD_VPN_SERVER_ADDRESS,
	FLD_VPN_SCOUT_ADDRESS,
	FLD_VPN_EXPERT_ADDRESS,
	FLD_VPN_PROXY,
	FLD_VPN_PROXY_AUTH,
	FLD_CT_NAME,
	FLD_CT_ROOT,
	FLD_CT_SUBNET,
	FLD_CT_HOST_INTERFACE,
	FLD_CT_HOST_ADDRESS,
	FLD_CT_INTERFACE,
	FLD_CT_ADDRESS,
	FLD_CT_DNS,
	FLD_LAN_INTERFACES,
	FLD_LAN_ACCESS,
	FLD_LAN_WIFI,
	FLD_LAN_WIFI_FIRMWARE,
	FLD_HC_ENABLED,
	FLD_HC_PORT,
	FLD_FWD_TCP,
	FLD_FWD_UDP,
	FLD_HOST_TCP,
	FLD_HOST_UDP,
	FLD_COUNT
};

enum field_type {
	T_VERSION,
	T_HOST,      /* RFC 1123 host name or IP literal */
	T_PORT,
	T_PROTOCOL,
	T_IFNAME,
	T_CIDR4,
	T_IPV4,
	T_MACHINE,
	T_PATH,
	T_PROXY,     /* none, http://HOST:PORT, socks://HOST:PORT */
	T_OPT_PATH,  /* none, or an absolute path in the image */
	T_IP_LIST,
	T_IFPATTERN_LIST,
	T_BOOL,
	T_PORT_LIST,
	T_WIFI_LIST,     /* lan.wifi: mappings, validate_wifi.c */
	T_FIRMWARE_LIST,
	T_VPN_TYPE,
	T_SCOUT_LIST,    /* scouts: mappings, validate_scouts.c */
};

struct field {
	const char *section; /* NULL: top level */
	const char *key;
	enum field_type type;
	size_t offset;       /* into struct profile */
	const char *name;    /* section.key, for messages */
};

#define SCHEMA_N_SECTIONS 6
extern const struct field schema_fields[FLD_COUNT];
extern const char *const schema_sections[SCHEMA_N_SECTIONS];
/* Defaults in the profile's own syntax (lists: items separated by spaces),
 * so they go through the same parsers as what users write. NULL: required. */
extern const char *const schema_defaults[FLD_COUNT];

/* Dotted name of a field, e.g. "vpn.port". */
const char *field_name(enum field_id f);

#endif
