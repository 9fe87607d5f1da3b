/* The profile schema: every key, its type, where it lands in the model and
 * its default. */
#include <stddef.h>

#include "schema.h"
#include "profile.h"

#define FIELD(id, sec, k, t, member) \
	[id] = { .section = sec, .key = k, .type = t, \
		 .offset = offsetof(struct profile, member), .name = sec "." k }

const struct field schema_fields[FLD_COUNT] = {
	[FLD_VERSION] = { .key = "version", .type = T_VERSION, .name = "version" },
	[FLD_SCOUTS] = { .key = "scouts", .type = T_SCOUT_LIST, .offset = offsetof(struct profile, scouts),
			 .name = "scouts" },
	FIELD(FLD_VPN_TYPE, "vpn", "type", T_VPN_TYPE, vpn.type),
	FIELD(FLD_VPN_SERVER, "vpn", "server", T_HOST, vpn.server),
	FIELD(FLD_VPN_PORT, "vpn", "port", T_PORT, vpn.port),
	FIELD(FLD_VPN_PROTOCOL, "vpn", "protocol", T_PROTOCOL, vpn.protocol),
	FIELD(FLD_VPN_INTERFACE, "vpn", "interface", T_IFNAME, vpn.interface),
	FIELD(FLD_VPN_SUBNET, "vpn", "subnet", T_CIDR4, vpn.subnet),
	FIELD(FLD_VPN_SERVER_ADDRESS, "vpn", "server_address", T_IPV4, vpn.server_address),
	FIELD(FLD_VPN_SCOUT_ADDRESS, "vpn", "scout_address", T_IPV4, vpn.scout_address),
	FIELD(FLD_VPN_EXPERT_ADDRESS, "vpn", "expert_address", T_IPV4, vpn.expert_address),
	FIELD(FLD_VPN_PROXY, "vpn", "proxy", T_PROXY, vpn.proxy),
	FIELD(FLD_VPN_PROXY_AUTH, "vpn", "proxy_auth", T_OPT_PATH, vpn.proxy_auth),
	FIELD(FLD_CT_NAME, "container", "name", T_MACHINE, container.name),
	FIELD(FLD_CT_ROOT, "container", "root", T_PATH, container.root),
	FIELD(FLD_CT_SUBNET, "container", "subnet", T_CIDR4, container.subnet),
	FIELD(FLD_CT_HOST_INTERFACE, "container", "host_interface", T_IFNAME, container.host_interface),
	FIELD(FLD_CT_HOST_ADDRESS, "container", "host_address", T_IPV4, container.host_address),
	FIELD(FLD_CT_INTERFACE, "container", "interface", T_IFNAME, container.interface),
	FIELD(FLD_CT_ADDRESS, "container", "address", T_IPV4, container.address),
	FIELD(FLD_CT_DNS, "container", "dns", T_IP_LIST, container.dns),
	FIELD(FLD_LAN_INTERFACES, "lan", "interfaces", T_IFPATTERN_LIST, lan.interfaces),
	FIELD(FLD_LAN_ACCESS, "lan", "access", T_BOOL, lan.access),
	FIELD(FLD_LAN_WIFI, "lan", "wifi", T_WIFI_LIST, lan.wifi),
	FIELD(FLD_LAN_WIFI_FIRMWARE, "lan", "wifi_firmware", T_FIRMWARE_LIST, lan.wifi_firmware),
	FIELD(FLD_HC_ENABLED, "host_control", "enabled", T_BOOL, host_control.enabled),
	FIELD(FLD_HC_PORT, "host_control", "port", T_PORT, host_control.port),
	FIELD(FLD_FWD_TCP, "forward", "tcp", T_PORT_LIST, forward.tcp),
	FIELD(FLD_FWD_UDP, "forward", "udp", T_PORT_LIST, forward.udp),
	FIELD(FLD_HOST_TCP, "host_ports", "tcp", T_PORT_LIST, host_ports.tcp),
	FIELD(FLD_HOST_UDP, "host_ports", "udp", T_PORT_LIST, host_ports.udp),
};

const char *const schema_sections[SCHEMA_N_SECTIONS] = {
	"vpn", "container", "lan", "host_control", "forward", "host_ports",
};

/* The defaults, in the profile's own syntax so they go through the same
 * parsers as what users write. vpn.server has none: it is required. */
const char *const schema_defaults[FLD_COUNT] = {
	[FLD_VERSION] = "1",
	[FLD_SCOUTS] = "", /* one scout, SCOUT_DEFAULT_NAME at vpn.scout_address */
	[FLD_VPN_TYPE] = "openvpn",
	[FLD_VPN_PORT] = "1194",
	[FLD_VPN_PROTOCOL] = "udp",
	[FLD_VPN_INTERFACE] = "tap0", /* wg0 for vpn.type: wireguard */
	[FLD_VPN_SUBNET] = "10.1.0.0/24",
	[FLD_VPN_SERVER_ADDRESS] = "10.1.0.1",
	[FLD_VPN_SCOUT_ADDRESS] = "10.1.0.2",
	[FLD_VPN_EXPERT_ADDRESS] = "10.1.0.3",
	[FLD_VPN_PROXY] = "none",
	[FLD_VPN_PROXY_AUTH] = "none",
	[FLD_CT_NAME] = "container",
	[FLD_CT_ROOT] = MACHINES_DIR "/container", /* follows container.name when left out */
	[FLD_CT_SUBNET] = "10.0.3.0/24",
	[FLD_CT_HOST_INTERFACE] = "ve-container",
	[FLD_CT_HOST_ADDRESS] = "10.0.3.1",
	[FLD_CT_INTERFACE] = "eth0",
	[FLD_CT_ADDRESS] = "10.0.3.2",
	[FLD_CT_DNS] = "1.1.1.1 8.8.8.8",
	[FLD_LAN_INTERFACES] = "eth+ wlan+",
	[FLD_LAN_ACCESS] = "false",
	[FLD_LAN_WIFI] = "",
	[FLD_LAN_WIFI_FIRMWARE] = "",
	[FLD_HC_ENABLED] = "false",
	[FLD_HC_PORT] = "23",
	[FLD_FWD_TCP] = "22 2000-2009",
	[FLD_FWD_UDP] = "",
	[FLD_HOST_TCP] = "",
	[FLD_HOST_UDP] = "",
};

const char *field_name(enum field_id f)
{
	return schema_fields[f].name;
}
