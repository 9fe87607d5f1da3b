#!/usr/bin/env bash
# A fleet on one OpenVPN server, end to end with real OpenVPN, over UDP and
# TCP. From a profile with two scouts (alpha, bravo) and no keys, build.sh
# makes the keys, one overlay per scout and both exports; then, in network
# namespaces:
#   server   runs exports/server (its own isolate script brings the
#            isolation up and down with the tunnel)
#   alpha    runs build/scouts/alpha's overlay: its scout.conf, keys and
#            host-iptables, with a container (a listener named alpha)
#   bravo    the same for bravo
#   expert   runs exports/expert
# The expert must reach both containers; alpha, with its own firewall
# taken down (a scout the attacker owns), must reach neither bravo nor
# the expert: not by asking, not with forged addresses (scapy: the
# expert's IP, the expert's MAC, ARP replies claiming the expert's
# address). A revoked scout cannot connect (UDP run). The UDP run's server filters
# with iptables, the TCP run's with nft (a server without iptables).
. "$(dirname "$0")/lib.sh"

LISTENER=$TOP/tests/.bin/listener
FORGE=$TOP/tests/tools/forge.py
need fleet "needs root for network namespaces" test "$(id -u)" -eq 0
need fleet "openvpn is not installed" command -v openvpn >/dev/null
need fleet "/dev/net/tun is missing" test -c /dev/net/tun
need fleet "nft is not installed (package nftables)" command -v nft >/dev/null
need fleet "scapy is not installed (package python3-scapy)" /usr/bin/python3 -c 'import scapy.all' 2>/dev/null

[ -n "${FLEET_KEEP:-}" ] && at_exit "rm -rf /tmp/fleet-kept && cp -r '$TMP' /tmp/fleet-kept"
ns() { echo "sflt$$-$PROTO-$1"; }
EXPERT=10.1.0.3 ALPHA=10.1.0.10 BRAVO=10.1.0.11
EXPERT_MAC=02:00:0a:01:00:03



# run_server ETC LOG [noiptables]: OpenVPN with exports/server's
# /etc/openvpn, as run_openvpn; with noiptables, on a server without
# iptables (its /usr/sbin seen without them).
run_server() {
	nsenter --net="/run/netns/$(ns server)" unshare -m --propagation private sh -c '
		if [ "$3" = noiptables ]; then
			mkdir -p "$4" && mount --bind /usr/sbin "$4" && mount -t tmpfs tmpfs /usr/sbin &&
			for f in "$4"/*; do
				case ${f##*/} in ip6tables* | iptables*) ;; *) ln -s "$f" /usr/sbin/ ;; esac
			done
		fi
		mount --bind "$1" /etc/openvpn && cd /etc/openvpn/server &&
		exec openvpn --suppress-timestamps --config scout.conf' sh "$1" "$2" "${3:-}" "$TMP/sbin" \
		>"$2.log" 2>&1 &
	SERVER_PID=$!
	at_exit "kill $SERVER_PID 2>/dev/null"
}

scout_ns() { # NAME ADDRESS-ON-LAN: a scout and its container, as on a machine
	local name=$1 lan=$2
	ip link add eth0 netns "$(ns "$name")" type veth peer name "p-$name" netns "$(ns server)"
	in_ns server ip link set "p-$name" master br0 up
	in_ns "$name" ip addr add "$lan/24" dev eth0
	in_ns "$name" ip link set eth0 up
	in_ns "$name" ip route add 203.0.113.1 via 198.51.100.1
	ip link add ve-container netns "$(ns "$name")" type veth peer name eth0 netns "$(ns "c$name")"
	in_ns "$name" ip addr add 10.0.3.1/24 dev ve-container
	in_ns "$name" ip link set ve-container up
	in_ns "c$name" ip addr add 10.0.3.2/24 dev eth0
	in_ns "c$name" ip link set eth0 up
	in_ns "c$name" ip route add default via 10.0.3.1
	ip netns exec "$(ns "c$name")" "$LISTENER" "$name" 22 >/dev/null 2>&1 &
	at_exit "kill $! 2>/dev/null"
}

# watch NS IFACE SECONDS OUT: scapy's capture in the background, one
# line per packet (line-buffered: ending it early loses nothing).
watch() {
	rm -f "$4"
	ip netns exec "$(ns "$1")" /usr/bin/python3 "$FORGE" watch "$2" "$3" "$4" &
	WATCHER=$!
	for _ in $(seq 100); do [ -s "$4" ] && return 0; sleep 0.1; done
}


# revoked DIR: bravo revoked and taken out of the profile, the server
# restarted from the new export: bravo's old overlay is refused for its
# certificate (not only for its missing client-config-dir file), alpha
# and the expert carry on.
revoked() {
	local dir=$1
	check "revoke: keys --revoke bravo" quiet "$GEN" keys --revoke bravo -k "$dir/cfg/openvpn"
	printf 'vpn:\n  server: 203.0.113.1\n  protocol: udp\nscouts:\n  - {name: alpha, address: %s}\n' "$ALPHA" \
		>"$dir/cfg/network.yaml"
	if ! (cd "$TOP" && ./build.sh -q -c "$dir/cfg/network.yaml" -o "$dir/out2" -r /nonexistent) >"$dir/build2.log" 2>&1; then
		not_ok "revoke: build.sh without bravo"
		cat "$dir/build2.log"
		return
	fi
	kill_in alpha
	kill_in bravo
	kill_in expert
	in_ns alpha "$dir/alpha/usr/sbin/host-iptables" # alpha's own firewall again
	run_server "$dir/out2/exports/server/etc/openvpn" "$dir/server2"
	run_openvpn alpha "$dir/alpha/etc/openvpn" client scout.conf "$dir/alpha2.log"
	run_openvpn bravo "$dir/bravo/etc/openvpn" client scout.conf "$dir/bravo2.log"
	run_openvpn expert "$dir/out2/exports/expert/etc/openvpn" client expert.conf "$dir/expert2.log"
	check "revoke: alpha connects again" wait_addr alpha tap0 "$ALPHA" "$dir/alpha2.log"
	check "revoke: the expert reaches alpha's container" test "$(TRIES=40 reach expert "$ALPHA" 22)" = alpha
	check "revoke: the server refuses bravo's certificate as revoked" \
		grep -q "VERIFY ERROR: depth=0, error=certificate revoked: .*CN=bravo" "$dir/server2.log"
	check "revoke: bravo has no address in the VPN" \
		not sh -c "ip -n '$(ns bravo)' -4 -o addr show dev tap0 2>/dev/null | grep -q ' $BRAVO/'"
}

fleet() {
	PROTO=$1
	local dir=$TMP/$PROTO t0 t1 s
	mkdir -p "$dir/cfg"
	printf 'vpn:\n  server: 203.0.113.1\n  protocol: %s\nscouts:\n  - {name: alpha, address: %s}\n  - {name: bravo, address: %s}\n' \
		"$PROTO" "$ALPHA" "$BRAVO" >"$dir/cfg/network.yaml"
	if ! (cd "$TOP" && ./build.sh -q -c "$dir/cfg/network.yaml" -o "$dir/out" -r /nonexistent) >"$dir/build.log" 2>&1; then
		not_ok "$PROTO: build.sh"
		cat "$dir/build.log"
		return
	fi
	check "$PROTO: the server's config has no client-to-client" \
		not grep -q '^client-to-client' "$dir/out/exports/server/etc/openvpn/server/scout.conf"
	for s in alpha bravo; do
		mkdir -p "$dir/$s"
		tar -xpf "$dir/out/scouts/$s/overlay.tar.gz" -C "$dir/$s"
	done

	make_ns server alpha bravo calpha cbravo expert
	bridge_ns server 198.51.100.1/24
	server_address server
	scout_ns alpha 198.51.100.2
	scout_ns bravo 198.51.100.4
	ip link add x0 netns "$(ns expert)" type veth peer name p-expert netns "$(ns server)"
	in_ns server ip link set p-expert master br0 up
	in_ns expert ip addr add 198.51.100.3/24 dev x0
	in_ns expert ip link set x0 up
	in_ns expert ip route add 203.0.113.1 via 198.51.100.1
	ip netns exec "$(ns expert)" "$LISTENER" expert 7000 >/dev/null 2>&1 &
	at_exit "kill $! 2>/dev/null"
	SERVER_VPN=$(awk '$1 == "ifconfig" { print $2 }' "$dir/out/exports/server/etc/openvpn/server/scout.conf")
	ip netns exec "$(ns server)" "$LISTENER" server 7002 >/dev/null 2>&1 &
	at_exit "kill $! 2>/dev/null"

	for s in alpha bravo; do
		check "$PROTO: $s's own host-iptables applies" in_ns "$s" "$dir/$s/usr/sbin/host-iptables"
	done
	t0=$(date +%s.%N)
	if [ "$PROTO" = udp ]; then
		run_server "$dir/out/exports/server/etc/openvpn" "$dir/server"
	else
		run_server "$dir/out/exports/server/etc/openvpn" "$dir/server" noiptables
	fi
	run_openvpn alpha "$dir/alpha/etc/openvpn" client scout.conf "$dir/alpha.log"
	run_openvpn bravo "$dir/bravo/etc/openvpn" client scout.conf "$dir/bravo.log"
	run_openvpn expert "$dir/out/exports/expert/etc/openvpn" client expert.conf "$dir/expert.log"
	check "$PROTO: alpha's tap0 gets $ALPHA" wait_addr alpha tap0 "$ALPHA" "$dir/alpha.log"
	check "$PROTO: bravo's tap0 gets $BRAVO" wait_addr bravo tap0 "$BRAVO" "$dir/bravo.log"
	check "$PROTO: the expert's tap0 gets $EXPERT" wait_addr expert tap0 "$EXPERT" "$dir/expert.log"
	check "$PROTO: the expert reaches alpha's container" test "$(TRIES=40 reach expert "$ALPHA" 22)" = alpha
	t1=$(date +%s.%N)
	check "$PROTO: the expert reaches bravo's container" test "$(TRIES=40 reach expert "$BRAVO" 22)" = bravo
	if [ "$PROTO" = udp ]; then
		check "udp: the server's isolation is in iptables" \
			sh -c "ip netns exec '$(ns server)' iptables -S FORWARD | grep -qx -- '-A FORWARD -i tap0 -j scout-tap0'"
	else
		check "tcp: the server without iptables isolates with nft" \
			sh -c "ip netns exec '$(ns server)' nft list table inet scout_tap0 | grep -q 'jump from_tunnel'"
	fi
	check "$PROTO: the server answers no ICMP redirect (send_redirects off on tap0)" \
		test "$(in_ns server cat /proc/sys/net/ipv4/conf/tap0/send_redirects)" = 0
	check "$PROTO: the expert reaches the server's own service" test "$(TRIES=10 reach expert "$SERVER_VPN" 7002)" = server
	if [ "$PROTO" = udp ]; then
		# Later, another program (ufw, Docker) puts its own accept first.
		in_ns server iptables -w -I FORWARD 1 -i tap0 -j ACCEPT
		in_ns server iptables -w -I INPUT 1 -i tap0 -j ACCEPT
	fi
	# A flow of the expert's to bravo, for alpha to forge errors about.
	in_ns expert /usr/bin/python3 "$FORGE" ask 5454 "$BRAVO" 53 hello 1 >/dev/null

	# From here alpha is the attacker's: its firewall is down, forwarding on.
	in_ns alpha iptables-legacy -P INPUT ACCEPT
	in_ns alpha iptables-legacy -P OUTPUT ACCEPT
	in_ns alpha iptables-legacy -P FORWARD ACCEPT
	in_ns alpha iptables-legacy -F
	in_ns alpha iptables-legacy -t nat -F
	in_ns alpha sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
	in_ns alpha iptables-legacy -t nat -A POSTROUTING -o tap0 -j MASQUERADE
	watch bravo tap0 60 "$dir/bravo-tap0"
	local bravo_watch=$WATCHER
	watch expert tap0 60 "$dir/expert-tap0"
	local expert_watch=$WATCHER
	check "$PROTO: alpha does not reach bravo's container" not test "$(TRIES=3 reach alpha "$BRAVO" 22)" = bravo
	check "$PROTO: alpha's container does not reach bravo's" not test "$(TRIES=3 reach calpha "$BRAVO" 22)" = bravo
	check "$PROTO: alpha does not reach the expert" not test "$(TRIES=3 reach alpha "$EXPERT" 7000)" = expert
	quiet in_ns alpha ping -c 2 -W 1 "$BRAVO"
	in_ns alpha /usr/bin/python3 "$FORGE" ask 5353 "$BRAVO" 53 hello 1 >/dev/null
	local smac
	smac=$(in_ns server cat /sys/class/net/tap0/address)
	# As the expert: its address with alpha's MAC, then with the expert's.
	in_ns alpha /usr/bin/python3 "$FORGE" synfrom tap0 "$(in_ns alpha cat /sys/class/net/tap0/address)" "$smac" \
		"$EXPERT" 4001 "$BRAVO" 22
	in_ns alpha /usr/bin/python3 "$FORGE" synfrom tap0 "$EXPERT_MAC" "$smac" "$EXPERT" 4002 "$BRAVO" 22
	# ARP replies: the expert's address is alpha's.
	in_ns alpha /usr/bin/python3 "$FORGE" arp tap0 "$(in_ns alpha cat /sys/class/net/tap0/address)" "$EXPERT"
	# An error about the expert's flow to bravo, from alpha.
	in_ns alpha /usr/bin/python3 "$FORGE" icmp tap0 "$smac" "$ALPHA" "$EXPERT" 3 3 "$EXPERT" 5454 "$BRAVO" 53
	# As bravo, TTL 1: the server's "time exceeded" would go to bravo.
	in_ns alpha /usr/bin/python3 "$FORGE" ping tap0 "$smac" "$BRAVO" "$EXPERT" 1 spoof
	check "$PROTO: alpha does not reach the server's own service" not test "$(TRIES=3 reach alpha "$SERVER_VPN" 7002)" = server
	# Router advertisements from alpha: the server's tunnel has no IPv6.
	in_ns alpha /usr/bin/python3 "$FORGE" ra tap0 2001:db8:66::
	sleep 1
	kill "$bravo_watch" "$expert_watch" && wait "$bravo_watch" "$expert_watch" 2>/dev/null
	check "$PROTO: the capture on bravo's tap0 ran" grep -qx ready "$dir/bravo-tap0"
	check "$PROTO: the capture on the expert's tap0 ran" grep -qx ready "$dir/expert-tap0"
	check "$PROTO: the server wrote nothing to bravo for alpha's packet claiming bravo's address" \
		not grep -q "^IP $SERVER_VPN > $BRAVO ICMP" "$dir/bravo-tap0"
	check "$PROTO: no ICMP error forged by alpha about the expert's flow to bravo reached the expert" \
		not grep -q "^IP $ALPHA > $EXPERT ICMP" "$dir/expert-tap0"
	check "$PROTO: the server's tunnel has IPv6 off" test "$(in_ns server cat /proc/sys/net/ipv6/conf/tap0/disable_ipv6)" = 1
	check "$PROTO: alpha's router advertisement gave the server no route" \
		test -z "$(ip -n "$(ns server)" -6 route show dev tap0)"
	check "$PROTO: nothing from alpha's address reached bravo (TCP, UDP, ping)" \
		not grep -q "^IP $ALPHA > " "$dir/bravo-tap0"
	check "$PROTO: no forged SYN as the expert reached bravo" not grep -qE "TCP (4001|4002) > 22" "$dir/bravo-tap0"
	check "$PROTO: the server refused alpha's use of the expert's MAC" \
		grep -q "refused $EXPERT_MAC from 'alpha'" "$dir/server.log"
	check "$PROTO: the server keeps the expert's MAC for its address" \
		sh -c "ip -n '$(ns server)' neigh show $EXPERT dev tap0 | grep -q '$EXPERT_MAC PERMANENT'"
	check "$PROTO: and after all that the expert still reaches bravo's container" \
		test "$(TRIES=10 reach expert "$BRAVO" 22)" = bravo

	kill "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	if [ "$PROTO" = udp ]; then
		check "udp: the server's rules go with the tunnel" \
			not sh -c "ip netns exec '$(ns server)' iptables -S | grep -q scout-tap0"
	else
		check "tcp: the server's nft table goes with the tunnel" \
			not ip netns exec "$(ns server)" nft list table inet scout_tap0 2>/dev/null
	fi
	[ "$PROTO" = udp ] && revoked "$dir"
	echo "$PROTO: tunnel up and alpha's container reached in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
}

for p in ${FLEET_PROTOS:-udp tcp}; do fleet "$p"; done
finish
