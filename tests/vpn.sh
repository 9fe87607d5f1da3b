#!/usr/bin/env bash
# The VPN end to end with real OpenVPN, for UDP and TCP transport. From a
# profile with no keys, build.sh makes the keys, the overlay and both
# exports; then, in network namespaces:
#   server  runs exports/server (its /etc/openvpn, in a private mount namespace)
#   scout   runs the overlay's own /etc/openvpn/client/scout.conf and keys,
#           and the overlay's host-iptables
#   expert  runs exports/expert
#   container on the scout's ve-container, with a TCP listener
# and the expert must reach the container through the scout's VPN address.
# The server has two interfaces, and the clients connect to the address
# that is not on their link (the profile's vpn.server): over UDP it must
# answer from that address (multihome), or the clients drop its replies.
. "$(dirname "$0")/lib.sh"

LISTENER=$TOP/tests/.bin/listener
PROBE=$TOP/tests/.bin/probe
need vpn "needs root for network namespaces" test "$(id -u)" -eq 0
need vpn "openvpn is not installed" command -v openvpn >/dev/null
need vpn "/dev/net/tun is missing" test -c /dev/net/tun

ns() { echo "svpn$$-$PROTO-$1"; }



tunnel() {
	PROTO=$1
	local dir=$TMP/$PROTO n t0 t1
	mkdir -p "$dir/cfg" "$dir/root"
	printf 'vpn:\n  server: 203.0.113.1\n  protocol: %s\n' "$PROTO" >"$dir/cfg/network.yaml"
	if ! (cd "$TOP" && ./build.sh -q -c "$dir/cfg/network.yaml" -o "$dir/out" -r /nonexistent) >"$dir/build.log" 2>&1; then
		not_ok "$PROTO: build.sh"
		cat "$dir/build.log"
		return
	fi
	check "$PROTO: build.sh made the keys" test -s "$dir/cfg/openvpn/ca.key"
	check "$PROTO: and both exports" test -d "$dir/out/exports/server" -a -d "$dir/out/exports/expert"
	if [ "$PROTO" = udp ]; then
		check "udp: the server answers from the address it was reached at" \
			grep -qx multihome "$dir/out/exports/server/etc/openvpn/server/scout.conf"
	else
		check "tcp: no multihome (UDP only)" not grep -q multihome "$dir/out/exports/server/etc/openvpn/server/scout.conf"
	fi
	tar -xpf "$dir/out/overlay.tar.gz" -C "$dir/root"

	make_ns server scout expert container
	# The server's network: a bridge the scout and the expert both reach,
	# and a second interface with the address they connect to.
	bridge_ns server 198.51.100.1/24
	server_address server
	ip link add eth0 netns "$(ns scout)" type veth peer name p-scout netns "$(ns server)"
	ip link add x0 netns "$(ns expert)" type veth peer name p-expert netns "$(ns server)"
	for n in p-scout p-expert; do
		in_ns server ip link set "$n" master br0 up
	done
	in_ns scout ip addr add 198.51.100.2/24 dev eth0
	in_ns scout ip link set eth0 up
	in_ns scout ip route add 203.0.113.1 via 198.51.100.1
	in_ns expert ip addr add 198.51.100.3/24 dev x0
	in_ns expert ip link set x0 up
	in_ns expert ip route add 203.0.113.1 via 198.51.100.1
	ip link add ve-container netns "$(ns scout)" type veth peer name eth0 netns "$(ns container)"
	in_ns scout ip addr add 10.0.3.1/24 dev ve-container
	in_ns scout ip link set ve-container up
	in_ns container ip addr add 10.0.3.2/24 dev eth0
	in_ns container ip link set eth0 up
	in_ns container ip route add default via 10.0.3.1
	ip netns exec "$(ns container)" "$LISTENER" container 22 8080 >/dev/null 2>&1 &
	at_exit "kill $! 2>/dev/null"

	check "$PROTO: the overlay's host-iptables applies" in_ns scout "$dir/root/usr/sbin/host-iptables"
	t0=$(date +%s.%N)
	run_openvpn server "$dir/out/exports/server/etc/openvpn" server scout.conf "$dir/server.log"
	run_openvpn scout "$dir/root/etc/openvpn" client scout.conf "$dir/scout.log"
	run_openvpn expert "$dir/out/exports/expert/etc/openvpn" client expert.conf "$dir/expert.log"
	check "$PROTO: the scout's tap0 gets 10.1.0.2" wait_addr scout tap0 10.1.0.2 "$dir/scout.log"
	check "$PROTO: the expert's tap gets 10.1.0.3" wait_addr expert tap0 10.1.0.3 "$dir/expert.log"
	check "$PROTO: the scout's tap0 has the profile's MAC address" \
		sh -c "ip -n '$(ns scout)' link show tap0 | grep -q 'link/ether 02:00:0a:01:00:02 '"
	local got
	for _ in $(seq 20); do # the first packets may wait for neighbour discovery
		got=$(in_ns expert "$PROBE" 10.1.0.2 22 1000)
		[ "${got%% *}" = container ] && break
		sleep 0.5
	done
	t1=$(date +%s.%N)
	if [ "$got" = "container 10.1.0.3" ]; then
		ok "$PROTO: expert -> 10.1.0.2:22 reaches the container's listener"
	else
		not_ok "$PROTO: expert -> 10.1.0.2:22: got '$got'"
		tail -n 5 "$dir/server.log" "$dir/scout.log" "$dir/expert.log"
	fi
	got=$(in_ns expert "$PROBE" 10.1.0.2 8080 500)
	case $got in
	container*) not_ok "$PROTO: expert -> 10.1.0.2:8080 (not forwarded) answered: $got" ;;
	*) ok "$PROTO: expert -> 10.1.0.2:8080 (not forwarded) does not reach the container" ;;
	esac
	check "$PROTO: the CA's key is in no output" \
		not grep -rqF -- "$(sed -n 2p "$dir/cfg/openvpn/ca.key")" "$dir/root" "$dir/out/exports"
	echo "$PROTO: tunnel up and container reached in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
}

tunnel udp
tunnel tcp
[ -n "${VPN_KEEP:-}" ] && cp -r "$TMP" /tmp/vpn-kept
finish
