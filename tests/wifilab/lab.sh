#!/bin/bash
# The Wi-Fi lab, run in the guest by wifilab.service before iwd starts:
#   phy0    stays: the scout's radio (wlan0), iwd's
#   ap      a netns with the other radios, one hostapd access point on
#           each (hostapd-*.conf beside this script), dnsmasq's DHCP on
#           them, and the expert's OpenVPN server (the export
#           exports/server) at vpn.server, on a dummy interface
#   exp     a netns routed to the server through ap: the expert's OpenVPN
#           client (exports/expert); expert-ssh runs its ssh there
# What each step does goes to the journal (wifilab.service); the daemons
# log to /run/wifilab.
set -euo pipefail
L=/usr/lib/wifilab
R=/run/wifilab
. "$L/lab.env" # VPN_SERVER, AP_IFACES (wlanN:ADDRESS/PREFIX ...)
install -d -m 700 "$R"

radios=$(ls "$L"/hostapd-*.conf | wc -l)
modprobe mac80211_hwsim radios=$((radios + 1))
for _ in $(seq 50); do [ -e "/sys/class/ieee80211/phy$radios" ] && break; sleep 0.1; done
ip netns add ap
ip netns add exp
for i in $(seq "$radios"); do iw phy "phy$i" set netns name ap; done
ip -n ap link set lo up
ip -n exp link set lo up

# The access points, their addresses and DHCP.
dhcp=()
for a in $AP_IFACES; do
	ip -n ap addr add "${a#*:}" dev "${a%%:*}"
	net=${a#*:}
	net=${net%.*/*}
	dhcp+=(--interface="${a%%:*}" --dhcp-range="$net.100,$net.150,1h")
done
ip netns exec ap hostapd -B -P "$R/hostapd.pid" -f "$R/hostapd.log" -t "$L"/hostapd-*.conf
ip netns exec ap dnsmasq --conf-file=/dev/null --bind-dynamic --no-resolv --no-hosts --user=root \
	"${dhcp[@]}" --dhcp-leasefile="$R/leases" --log-dhcp --log-facility="$R/dnsmasq.log" --pid-file="$R/dnsmasq.pid"

# The expert's server at vpn.server, and the expert behind it.
ip -n ap link add vpn0 type dummy
ip -n ap addr add "$VPN_SERVER/32" dev vpn0
ip -n ap link set vpn0 up
ip link add eth0 netns exp type veth peer name x0 netns ap
ip -n ap addr add 198.51.100.1/24 dev x0
ip -n ap link set x0 up
ip -n exp addr add 198.51.100.3/24 dev eth0
ip -n exp link set eth0 up
ip -n exp route add "$VPN_SERVER/32" via 198.51.100.1
ip netns exec ap sysctl -qw net.ipv4.ip_forward=1
# openvpn NS EXPORT DIR CONFIG: OpenVPN as its unit runs it, with the
# export's etc/openvpn shown at /etc/openvpn to it alone.
openvpn_in() {
	ip netns exec "$1" unshare -m --propagation private sh -c '
		mount --bind "$1" /etc/openvpn && cd "/etc/openvpn/$2" &&
		exec openvpn --suppress-timestamps --config "$3"' sh "$L/$2/etc/openvpn" "$3" "$4" \
		>"$R/openvpn-$2.log" 2>&1 &
}
openvpn_in ap server server scout.conf
openvpn_in exp expert client expert.conf
echo "wifilab: $radios access points in netns ap, the expert's server at $VPN_SERVER, the expert in netns exp"
