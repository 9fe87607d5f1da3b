# shellcheck shell=bash disable=SC2034 # OUTDIR and the rest are for the suites that source this
# The firewall lab, shared by firewall.sh and console.sh: a scout namespace
# (s) wired to a VPN peer (v), a LAN peer (l, IPv4 and IPv6), a second LAN
# peer (l2) on an interface plugged in later, and the container (c); TCP
# listeners that answer with their name; the overlay built by build.sh for
# one of two profiles. Sourced after lib.sh.

LISTENER=$TOP/tests/.bin/listener
PROBE=$TOP/tests/.bin/probe

ns() { echo "sfw$$-$CASE-$1"; }

# --- the two profiles ---------------------------------------------------
# Each sets the values the topology and the matrix use, and the profile.
use_default() {
	CASE=default VPN_IF=tap0 SCOUT_VPN=10.1.0.2 PEER_VPN=10.1.0.3 VPN_LEN=24
	CT_HOST_IF=ve-container CT_IF=eth0 CT_HOST=10.0.3.1 CT_ADDR=10.0.3.2 CT_LEN=24 CT_NET=10.0.3.0/24
	LAN_IF=eth0 LAN2_IF=wlan0 FWD_PORTS="22 2000 2009" OTHER_PORT=8080 HC_PORT=23
	PROFILE='vpn:
  server: vpn.example.org
'
}
use_custom() {
	CASE=custom VPN_IF=vpn7 SCOUT_VPN=172.20.19.254 PEER_VPN=172.20.17.9 VPN_LEN=22
	CT_HOST_IF=vb-lab CT_IF=uplink0 CT_HOST=192.168.77.6 CT_ADDR=192.168.77.1 CT_LEN=29 CT_NET=192.168.77.0/29
	LAN_IF=enp3s0 LAN2_IF=usb0 FWD_PORTS="443 3000 3004" OTHER_PORT=22 HC_PORT=2222
	PROFILE='vpn:
  server: 2001:db8::10
  protocol: tcp
  interface: vpn7
  subnet: 172.20.16.0/22
  server_address: 172.20.16.1
  scout_address: 172.20.19.254
  expert_address: 172.20.17.9
container:
  name: lab-box
  subnet: 192.168.77.0/29
  host_interface: vb-lab
  host_address: 192.168.77.6
  interface: uplink0
  address: 192.168.77.1
lan:
  interfaces: [enp+, usb0]
host_control:
  port: 2222
forward:
  tcp: [443, 3000-3004]
  udp: [51820]
host_ports:
  udp: [5353]
'
}

# Builds the overlay with build.sh, as a user would, and unpacks it.
build_overlay() {
	local dir=$TMP/$CASE
	mkdir -p "$dir/root"
	printf '%s' "$PROFILE" >"$dir/network.yaml"
	if ! (cd "$TOP" && ./build.sh -q -c "$dir/network.yaml" -o "$dir/out" -r /nonexistent) \
		>"$dir/build.log" 2>&1; then
		not_ok "$CASE: build.sh failed"
		cat "$dir/build.log"
		return 1
	fi
	tar -xpf "$dir/out/overlay.tar.gz" -C "$dir/root"
	BIN=$dir/root/usr/sbin/host-iptables
	OUTDIR=$dir/out
	check "$CASE: the overlay holds an executable /usr/sbin/host-iptables" test -x "$BIN"
}

# --- the topology -------------------------------------------------------
start_listener() {
	local where=$1 name=$2
	shift 2
	# Not through in_ns: $! must be the listener itself to end it.
	ip netns exec "$(ns "$where")" "$LISTENER" "$name" "$@" >>"$TMP/listeners.log" 2>&1 &
	at_exit "kill $! 2>/dev/null"
}

topology() {
	local n
	make_ns s v l l2 c
	for n in s v l l2 c; do
		in_ns $n sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	done
	ip link add "$VPN_IF" netns "$(ns s)" type veth peer name v0 netns "$(ns v)"
	ip link add "$LAN_IF" netns "$(ns s)" type veth peer name l0 netns "$(ns l)"
	ip link add "$CT_HOST_IF" netns "$(ns s)" type veth peer name "$CT_IF" netns "$(ns c)"
	in_ns s ip addr add "$SCOUT_VPN/$VPN_LEN" dev "$VPN_IF"
	in_ns s ip addr add 192.168.50.1/24 dev "$LAN_IF"
	in_ns s ip -6 addr add fd00:50::1/64 dev "$LAN_IF" nodad
	in_ns s ip -6 addr add fe80::1/64 dev "$LAN_IF" nodad
	in_ns s ip addr add "$CT_HOST/$CT_LEN" dev "$CT_HOST_IF"
	in_ns v ip addr add "$PEER_VPN/$VPN_LEN" dev v0
	in_ns l ip addr add 192.168.50.2/24 dev l0
	in_ns l ip -6 addr add fd00:50::2/64 dev l0 nodad
	# A LAN machine that routes the container subnet via the scout.
	in_ns c ip addr add "$CT_ADDR/$CT_LEN" dev "$CT_IF"
	for n in "s $VPN_IF" "s $LAN_IF" "s $CT_HOST_IF" "v v0" "l l0" "c $CT_IF"; do
		in_ns ${n% *} ip link set "${n#* }" up
	done
	in_ns l ip route add "$CT_NET" via 192.168.50.1
	in_ns c ip route add default via "$CT_HOST"
	start_listener s host $FWD_PORTS $OTHER_PORT $HC_PORT
	start_listener c container $FWD_PORTS $OTHER_PORT $HC_PORT
	start_listener v vpn-peer 80
	start_listener l lan-peer 80
	start_listener l2 lan-peer-2 80
	wait_listener s 127.0.0.1 "$HC_PORT" && wait_listener c 127.0.0.1 "$HC_PORT" &&
		wait_listener v 127.0.0.1 80 && wait_listener l 127.0.0.1 80
}

wait_listener() {
	local _
	for _ in $(seq 50); do
		case $(in_ns "$1" "$PROBE" "$2" "$3" 200) in *" "*) return 0 ;; esac
		sleep 0.1
	done
	echo "listener in $1 on port $3 did not start"
	return 1
}

# The interface plugged in after the rules: a second LAN on $LAN2_IF.
plug_second_lan() {
	ip link add "$LAN2_IF" netns "$(ns s)" type veth peer name l0 netns "$(ns l2)"
	in_ns s ip addr add 192.168.60.1/24 dev "$LAN2_IF"
	in_ns l2 ip addr add 192.168.60.2/24 dev l0
	in_ns s ip link set "$LAN2_IF" up
	in_ns l2 ip link set l0 up
}

# --- assertions ---------------------------------------------------------
# expect WHAT FROM ADDRESS PORT WANT: WANT is the listener that must answer,
# or "nothing" (dropped or refused by the scout, never a listener).
expect() {
	local what=$1 from=$2 addr=$3 port=$4 want=$5 got
	got=$(in_ns "$from" "$PROBE" "$addr" "$port" "$([ "$want" = nothing ] && echo 400 || echo 3000)")
	case "$want:$got" in
	nothing:timeout | nothing:refused | nothing:unreachable) ok "$what" ;;
	nothing:*) not_ok "$what: expected nothing, $got answered" ;;
	*) if [ "${got%% *}" = "$want" ]; then ok "$what"; else not_ok "$what: expected $want, got $got"; fi ;;
	esac
}

# expect_from WHAT FROM ADDRESS PORT WANT PEER: WANT answers and saw PEER.
expect_from() {
	local got
	got=$(in_ns "$2" "$PROBE" "$3" "$4" 3000)
	if [ "$got" = "$5 $6" ]; then ok "$1"; else not_ok "$1: expected '$5 $6', got '$got'"; fi
}

