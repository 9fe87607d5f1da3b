#!/usr/bin/env bash
# The scout under attack (NETWORK.md, "Under attack"), with forged packets
# (Debian's python3-scapy, tests/tools/forge.py) in the firewall lab of
# fwlab.sh, the overlay's own host-iptables and sysctl file applied:
# - TunnelVision: a rogue DHCP route for the expert's address via a LAN
#   host, then the expert's SYN and a forged ACK from the LAN: no reply to
#   the expert leaves by the LAN, the attacker gets no byte;
# - forged UDP from the LAN in the expert's name, joining the expert's
#   flow to a forwarded UDP port, never reaches the container;
# - a router advertisement on the tunnel changes no route or address
#   (the firewall and the sysctl each refuse it), one on the LAN does;
# - the container's packets with any source but its own never reach the
#   LAN or the VPN;
# - the container's flow out by one link answered by a forger on the
#   other, ICMP errors forged from the LAN about the host's flow on the
#   tunnel, echo requests and dying packets in the expert's name that the
#   scout would answer into the tunnel: none passes;
# - the scout's own "fragmentation needed" reaches the container (a
#   tunnel with a smaller MTU does not stall a transfer), and switching
#   access from LAN off ends a flow it let in;
# - systemd-networkd with the overlay's LAN file, offered routes into the
#   tunnel by a rogue DHCP server (dnsmasq), takes none of them.
. "$(dirname "$0")/lib.sh"

need attacks "needs root for network namespaces" test "$(id -u)" -eq 0
need attacks "iptables-legacy is not installed (package iptables)" command -v iptables-legacy >/dev/null
need attacks "scapy is not installed (package python3-scapy)" /usr/bin/python3 -c 'import scapy.all' 2>/dev/null
need attacks "dnsmasq is not installed (package dnsmasq-base)" command -v dnsmasq >/dev/null
need attacks "systemd-networkd is not installed (package systemd)" test -x /lib/systemd/systemd-networkd

. "$(dirname "$0")/fwlab.sh"
FORGE=$TOP/tests/tools/forge.py

forge() { local n=$1; shift; in_ns "$n" /usr/bin/python3 "$FORGE" "$@"; }
mac_of() { in_ns "$1" cat "/sys/class/net/$2/address"; }

# watch NS IFACE SECONDS NAME: captures in the background into $TMP/NAME,
# returns once the capture runs.
watch() {
	local out=$TMP/$CASE-$4 _
	rm -f "$out"
	ip netns exec "$(ns "$1")" /usr/bin/python3 "$FORGE" watch "$2" "$3" "$out" &
	WATCHERS+=("$!")
	for _ in $(seq 100); do
		[ -s "$out" ] && return 0
		sleep 0.1
	done
	echo "the watcher on $1 $2 did not start"
}
watched() { local w; for w in "${WATCHERS[@]}"; do wait "$w"; done; WATCHERS=(); }
WATCHERS=()

# seen NAME PATTERN: lines of capture NAME matching PATTERN (ERE).
seen() { grep -E -- "$2" "$TMP/$CASE-$1" || true; }
none_seen() {
	local got
	got=$(seen "$2" "$3")
	if [ -z "$got" ]; then ok "$1"; else not_ok "$1"; printf '  %s\n' "$got" | head -5; fi
}

# TunnelVision (CVE-2024-3661): the route a rogue DHCP server's option 121
# would install, the expert's SYN to a forwarded port, then the attacker's
# ACK from the LAN completing the expert's handshake (with the container's
# sequence number, which a leak would have given it; the test hands it
# over to show the ACK is refused on its own).
tunnelvision() {
	local port=${FWD_PORTS%% *} sport=40001 isn scout_mac t="$CASE/TunnelVision"
	scout_mac=$(mac_of s "$LAN_IF")
	in_ns s ip route add "$PEER_VPN/32" via 192.168.50.2 dev "$LAN_IF"
	watch l l0 6 lan
	watch c "$CT_IF" 6 container
	forge v syn "$PEER_VPN" "$sport" "$SCOUT_VPN" "$port"
	sleep 1
	isn=$(seen container "^IP $CT_ADDR > $PEER_VPN TCP $port > $sport flags=SA" | head -1 | sed 's/.*seq=\([0-9]*\).*/\1/')
	check "$t: the container answered the expert's SYN" test -n "$isn"
	forge l ack l0 "$scout_mac" "$PEER_VPN" "$sport" "$SCOUT_VPN" "$port" "$((${isn:-0} + 1))"
	watched
	none_seen "$t: no reply to the expert leaves by the LAN" lan "> $PEER_VPN "
	none_seen "$t: the attacker gets no byte from the container" lan "data="
	none_seen "$t: the forged ACK never reaches the container" container "^IP $PEER_VPN > $CT_ADDR TCP $sport > $port flags=A "
	none_seen "$t: the container sends no data" container "^IP $CT_ADDR .*data="
	in_ns s ip route del "$PEER_VPN/32"
}

# Datagrams from the LAN forged with the expert's address and port, while
# the expert's own flow to a forwarded UDP port is established (an echo
# server in the container answers it).
forged_udp() {
	local port=$1 sport=40002 scout_mac t="$CASE/forged UDP" i
	scout_mac=$(mac_of s "$LAN_IF")
	ip netns exec "$(ns c)" /usr/bin/python3 "$FORGE" echo "$port" 6 &
	WATCHERS+=("$!")
	watch c "$CT_IF" 5 udp
	forge v udp v0 route "$PEER_VPN" "$sport" "$SCOUT_VPN" "$port" expert-1
	for i in 1 2 3; do
		forge l udp l0 "$scout_mac" "$PEER_VPN" "$sport" "$SCOUT_VPN" "$port" "forged-$i"
	done
	forge v udp v0 route "$PEER_VPN" "$sport" "$SCOUT_VPN" "$port" expert-2
	watched
	check "$t: the expert's datagrams reach the container" \
		test "$(seen udp "^IP $PEER_VPN > $CT_ADDR UDP .*data=expert-[12]$" | wc -l)" -eq 2
	check "$t: and are answered (the flow is established)" \
		test "$(seen udp "^IP $CT_ADDR > $PEER_VPN UDP .*data=expert-[12]$" | wc -l)" -eq 2
	none_seen "$t: the forged ones do not" udp "data=forged"
}

# routes_v6: the scout's IPv6 default routes and global addresses.
routes_v6() { in_ns s ip -6 route show default; in_ns s ip -6 addr show scope global | grep -o 'inet6 [^ ]*'; }

router_advertisements() {
	local t="$CASE/router advertisement" before
	in_ns s sysctl -qw "net.ipv6.conf.$VPN_IF.accept_ra=1" "net.ipv6.conf.$LAN_IF.accept_ra=1"
	before=$(routes_v6)
	forge v ra v0 2001:db8:77::
	sleep 1
	check "$t on the tunnel, kernel accepting: the firewall drops it" test "$(routes_v6)" = "$before"
	check "$t: the overlay's sysctl file applies" quiet in_ns s sysctl -p "$ROOT/etc/sysctl.d/50-scout-network.conf"
	check "$t: tunnel accept_ra is 0" test "$(in_ns s cat "/proc/sys/net/ipv6/conf/$VPN_IF/accept_ra")" = 0
	check "$t: container link accept_ra is 0" \
		test "$(in_ns s cat "/proc/sys/net/ipv6/conf/$CT_HOST_IF/accept_ra")" = 0
	in_ns s ip6tables-legacy -I INPUT -p ipv6-icmp -j ACCEPT
	forge v ra v0 2001:db8:78::
	sleep 1
	in_ns s ip6tables-legacy -D INPUT -p ipv6-icmp -j ACCEPT
	check "$t on the tunnel, firewall accepting: the sysctl ignores it" test "$(routes_v6)" = "$before"
	forge l ra l0 2001:db8:79::
	sleep 1
	check "$t on the LAN: taken (default route)" sh -c "ip netns exec '$(ns s)' ip -6 route show default | grep -q 'dev $LAN_IF'"
	check "$t on the LAN: taken (address)" sh -c "ip netns exec '$(ns s)' ip -6 addr show dev '$LAN_IF' | grep -q 2001:db8:79:"
	check "$t: verify" quiet in_ns s "$BIN" verify
}

# The container sends with sources that are not its own, to the LAN peer
# and the VPN peer; with its own address as the control.
container_spoofing() {
	local t="$CASE/container spoofing" src dst
	watch l l0 5 lan-spoof
	watch v v0 5 vpn-spoof
	for dst in 192.168.50.2 "$PEER_VPN"; do
		forge c udp "$CT_IF" route "$CT_ADDR" 40003 "$dst" 9 "genuine"
		for src in 192.168.50.77 "$PEER_VPN" 8.8.8.8 "${CT_NET%.*/*}.5"; do
			forge c udp "$CT_IF" route "$src" 40003 "$dst" 9 "spoofed-from-$src"
		done
	done
	watched
	check "$t: its own address reaches the LAN, masqueraded" \
		test "$(seen lan-spoof "^IP 192.168.50.1 > 192.168.50.2 UDP .*data=genuine$" | wc -l)" -eq 1
	check "$t: its own address reaches the VPN, masqueraded" \
		test "$(seen vpn-spoof "^IP $SCOUT_VPN > $PEER_VPN UDP .*data=genuine$" | wc -l)" -eq 1
	none_seen "$t: nothing forged reaches the LAN" lan-spoof "data=spoofed"
	none_seen "$t: nothing forged reaches the VPN" vpn-spoof "data=spoofed"
}

# The container's own flow out by one link, answered by a forger on the
# other: its reply must come by the link it left by.
cross_link_replies() {
	local t="$CASE/container's flows answered from the wrong link" port scout_vpn_mac scout_lan_mac
	scout_vpn_mac=$(mac_of s "$VPN_IF") scout_lan_mac=$(mac_of s "$LAN_IF")
	watch v v0 4 xl-vpn
	watch c "$CT_IF" 6 xl-ct
	forge c udp "$CT_IF" route "$CT_ADDR" 5353 "$PEER_VPN" 53 "question"
	sleep 1
	port=$(seen xl-vpn "^IP $SCOUT_VPN > $PEER_VPN UDP [0-9]+ > 53 data=question" | head -1 | awk '{ print $6 }')
	check "$t: the container's datagram left by the tunnel, masqueraded" test -n "$port"
	forge l udp l0 "$scout_lan_mac" "$PEER_VPN" 53 "$SCOUT_VPN" "${port:-5353}" "forged-answer"
	forge c udp "$CT_IF" route "$CT_ADDR" 5354 192.168.50.2 53 "question"
	sleep 1
	forge v udp v0 "$scout_vpn_mac" 192.168.50.2 53 192.168.50.1 5354 "forged-answer"
	watched
	none_seen "$t: a LAN host's forged answer to the tunnel flow, or a VPN peer's to the LAN flow" xl-ct "data=forged"
}

# ICMP errors forged from the LAN about the host's own flow on the tunnel
# (a port unreachable would end it): they come from the flow's zone only.
forged_icmp_errors() {
	local t="$CASE/forged ICMP error" scout_lan_mac got
	scout_lan_mac=$(mac_of s "$LAN_IF")
	in_ns v iptables-legacy -A INPUT -p udp --dport 9999 -j DROP
	ip netns exec "$(ns s)" /usr/bin/python3 "$FORGE" ask 41001 "$PEER_VPN" 9999 hello 3 >"$TMP/ask" &
	sleep 1
	for type_code in "3 3" "11 0"; do
		# shellcheck disable=SC2086 # type and code
		forge l icmp l0 "$scout_lan_mac" 192.168.50.2 "$SCOUT_VPN" $type_code "$SCOUT_VPN" 41001 "$PEER_VPN" 9999
	done
	wait "$!"
	check "$t: neither port unreachable nor time exceeded from the LAN reaches the host's flow on the tunnel" \
		test "$(cat "$TMP/ask")" = timeout
	in_ns v iptables-legacy -D INPUT -p udp --dport 9999 -j DROP
	got=$(in_ns s /usr/bin/python3 "$FORGE" ask 41002 "$PEER_VPN" 9999 hello 3)
	check "$t: one from the VPN peer itself does" test "$got" = refused
}

# Packets from the LAN in the expert's name that the scout would answer
# into the tunnel: an echo request, and a packet whose time runs out.
reflections() {
	local t="$CASE/reflection" scout_lan_mac
	scout_lan_mac=$(mac_of s "$LAN_IF")
	watch v v0 4 refl
	forge l ping l0 "$scout_lan_mac" "$PEER_VPN" 192.168.50.1 64 reflected-echo
	forge l ping l0 "$scout_lan_mac" "$PEER_VPN" "$CT_ADDR" 1 reflected-ttl
	watched
	none_seen "$t: no echo reply in the expert's name reaches the VPN" refl "ICMP type=0"
	none_seen "$t: no time exceeded reaches the VPN" refl "ICMP type=11"
}

# Path MTU: the tunnel's MTU below the container's; the scout's own
# "fragmentation needed" must reach the container, or big transfers hang.
path_mtu() {
	local port=$1 t="$CASE/path MTU" got
	in_ns s ip link set "$VPN_IF" mtu 1400
	ip netns exec "$(ns c)" /usr/bin/python3 "$FORGE" serve "$port" 200000 10 &
	WATCHERS+=("$!")
	sleep 0.5
	got=$(in_ns v /usr/bin/python3 "$FORGE" fetch "$SCOUT_VPN" "$port" 8)
	watched
	in_ns s ip link set "$VPN_IF" mtu 1500
	check "$t: the expert receives 200,000 bytes through a forwarded port (got $got)" test "$got" = 200000
}

# A toggle switched off ends what it let in: a LAN host's flow to a host
# port, opened while access from LAN was on.
toggle_cuts() {
	local port=$1 t="$CASE/access from LAN switched off"
	ip netns exec "$(ns s)" /usr/bin/python3 "$FORGE" echo "$port" 8 &
	WATCHERS+=("$!")
	sleep 0.5
	in_ns s "$BIN" enable-access-from-lan
	check "$t: while on, the LAN host's datagram is answered" \
		test "$(in_ns l /usr/bin/python3 "$FORGE" ask 41003 192.168.50.1 "$port" one 2)" = answered
	in_ns s "$BIN" disable-access-from-lan
	check "$t: once off, the same flow is not" \
		test "$(in_ns l /usr/bin/python3 "$FORGE" ask 41003 192.168.50.1 "$port" two 2)" = timeout
	watched
}

# TunnelVision at its source: a rogue DHCP server (dnsmasq) offering the
# overlay's 80-scout-lan.network, run by systemd-networkd, a gateway and
# classless static routes (option 121) for the expert's address and the
# VPN server via a LAN host. networkd takes the address and the gateway,
# no route, and keeps the offer in its lease for the owner's console.
rogue_dhcp() {
	local t="$CASE/rogue DHCP" d=$TMP/$CASE/dhcp routes lease
	mkdir -p "$d"
	make_ns d1 d2
	ip link add eth0 netns "$(ns d1)" type veth peer name l0 netns "$(ns d2)"
	in_ns d2 ip addr add 192.168.80.1/24 dev l0
	in_ns d2 ip link set l0 up
	ip netns exec "$(ns d2)" dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces \
		--interface=l0 --dhcp-range=192.168.80.50,192.168.80.60,1h --dhcp-leasefile="$d/leases" \
		--pid-file="$d/dnsmasq.pid" --dhcp-option=3,192.168.80.1 \
		--dhcp-option=121,"$PEER_VPN"/32,192.168.80.2,198.51.100.7/32,192.168.80.2 >"$d/dnsmasq.log" 2>&1 &
	at_exit "kill $! 2>/dev/null"
	mkdir -p "$d/network"
	cp "$ROOT/etc/systemd/network/80-scout-lan.network" "$d/network/"
	in_ns d1 unshare -m --propagation private sh -c '
		mount -t tmpfs tmpfs /run && mount --bind "$1/network" /etc/systemd/network &&
		mount -t tmpfs tmpfs /usr/lib/systemd/network && mount -o remount,ro /sys &&
		mkdir -p /run/systemd/netif && chown systemd-network: /run/systemd/netif &&
		/lib/systemd/systemd-networkd >"$1/networkd.log" 2>&1 &
		for _ in $(seq 100); do
			ip -4 route show default | grep -q . && break
			sleep 0.1
		done
		sleep 0.5
		ip -4 route >"$1/routes"
		cat /run/systemd/netif/leases/* >"$1/lease" 2>/dev/null
		kill $!' sh "$d"
	routes=$(cat "$d/routes") lease=$(cat "$d/lease")
	check "$t: the address and the gateway are taken" grep -q '^default via 192.168.80.1 dev eth0' "$d/routes"
	check "$t: no route for the expert's address" not grep -q "^$PEER_VPN" "$d/routes"
	check "$t: no route for the VPN server" not grep -q '^198.51.100.7' "$d/routes"
	check "$t: the lease keeps the offer for the console" \
		grep -qx "CLASSLESS_ROUTES=$PEER_VPN/32,192.168.80.2 198.51.100.7/32,192.168.80.2" "$d/lease"
	[ "$FAILED" -eq 0 ] || printf 'routes:\n%s\nlease:\n%s\n' "$routes" "$lease"
}

run_case() {
	build_overlay || return
	ROOT=$TMP/$CASE/root
	topology || { not_ok "$CASE: topology"; return; }
	check "$CASE: boot apply" in_ns s "$BIN"
	tunnelvision
	[ "$CASE" = custom ] && forged_udp 51820
	container_spoofing
	cross_link_replies
	forged_icmp_errors
	reflections
	path_mtu "$PMTU_PORT"
	[ "$CASE" = custom ] && toggle_cuts 5353
	router_advertisements
	[ "$CASE" = default ] && rogue_dhcp
}

use_default
PMTU_PORT=2005 # forwarded, and no listener of the lab's on it
run_case
use_custom
PMTU_PORT=3002
run_case

finish
