#!/usr/bin/env bash
# WireGuard (vpn.type: wireguard) end to end, in network namespaces, with
# wireguard-go (this machine's kernel has no WireGuard; the image's has):
#   server   wg-quick up exports/server's wg0.conf, whose PreUp and PostUp run the
#            export's isolate script (its /etc/wireguard seen as the
#            export's, in a private mount namespace)
#   alpha    a scout driven by its own overlay: the .netdev's private key
#            file, peer, pre-shared key file, endpoint, allowed IPs and
#            keepalive, the .network's address, and its host-iptables;
#            with a container (a listener named alpha)
#   bravo    the same
#   expert   wg-quick up exports/expert's wg0.conf
# The expert reaches both containers; alpha, its firewall down, reaches
# neither bravo nor the expert, also with packets forged as the expert's;
# wg-quick down takes the server's rules away. And the keys: made once,
# checked, a bad one an error that changes nothing.
. "$(dirname "$0")/lib.sh"

LISTENER=$TOP/tests/.bin/listener
FORGE=$TOP/tests/tools/forge.py
need wireguard "needs root for network namespaces" test "$(id -u)" -eq 0
need wireguard "wireguard-go is not installed (package wireguard-go)" command -v wireguard-go >/dev/null
need wireguard "wg-quick is not installed (package wireguard-tools)" command -v wg-quick >/dev/null
need wireguard "/dev/net/tun is missing" test -c /dev/net/tun
need wireguard "scapy is not installed (package python3-scapy)" /usr/bin/python3 -c 'import scapy.all' 2>/dev/null

ns() { echo "swg$$-$1"; }
EXPERT=10.1.0.3 ALPHA=10.1.0.10 BRAVO=10.1.0.11

# --- keys ---
K=$TMP/cfg/wireguard
mkdir -p "$TMP/cfg"
printf 'vpn:\n  type: wireguard\n  server: 203.0.113.1\nscouts:\n  - {name: alpha, address: %s}\n  - {name: bravo, address: %s}\n' \
	"$ALPHA" "$BRAVO" >"$TMP/cfg/network.yaml"
if ! (cd "$TOP" && ./build.sh -q -c "$TMP/cfg/network.yaml" -o "$TMP/out" -r /nonexistent) >"$TMP/build.log" 2>&1; then
	not_ok "build.sh"
	cat "$TMP/build.log"
	finish
	exit
fi
check "keys: a key pair for the server, the expert and each scout, pre-shared keys for the peers" \
	test "$(cd "$K" && echo *)" = "alpha.key alpha.psk alpha.pub bravo.key bravo.psk bravo.pub expert.key expert.psk expert.pub server.key server.pub"
check "keys: private and pre-shared keys 0600 in a 0700 directory" \
	test "$(stat -c %a "$K" "$K"/*.key "$K"/*.psk | sort -u | tr '\n' ' ')" = "600 700 "
check "keys: wg agrees that each public key is its private key's" \
	sh -c "for k in '$K'/*.key; do [ \"\$(wg pubkey <\"\$k\")\" = \"\$(cat \"\${k%.key}.pub\")\" ] || exit 1; done"
check "keys: no OpenVPN keys for a WireGuard profile" test ! -e "$TMP/cfg/openvpn"
(cd "$TOP" && "$GEN" check -c "$TMP/cfg/network.yaml" -r /nonexistent) 2>&1 | tail -n +2 >"$TMP/check.out"
printf '%s\n' "  scout alpha: $ALPHA, WireGuard keys" "  scout bravo: $BRAVO, WireGuard keys" >"$TMP/want"
same_text "check lists the scouts with their WireGuard keys" "$TMP/want" "$TMP/check.out"
before=$(cat "$K"/*)
(cd "$TOP" && ./build.sh -q -c "$TMP/cfg/network.yaml" -o "$TMP/out" -r /nonexistent) >/dev/null 2>&1
check "keys: made once, never replaced" test "$(cat "$K"/*)" = "$before"

# bad_key NAME FILE CONTENT ERROR [FILE2 CONTENT2]: FILE made CONTENT (and
# FILE2 CONTENT2), the build fails with ERROR about FILE and changes no
# output.
bad_key() {
	local keep keep2 rc=0 sum
	keep=$(cat "$K/$2")
	sum=$(cat "$TMP"/out/scouts/*/overlay.tar.gz "$TMP"/out/exports/*.tar.gz | sha256sum)
	printf '%s' "$3" >"$K/$2"
	if [ $# -gt 4 ]; then
		keep2=$(cat "$K/$5")
		printf '%s' "$6" >"$K/$5"
	fi
	(cd "$TOP" && ./build.sh -q -c "$TMP/cfg/network.yaml" -o "$TMP/out" -r /nonexistent) >/dev/null 2>"$TMP/err" || rc=$?
	check "bad key: $1: exit 1" test "$rc" -eq 1
	printf '%s\n' "$K/$2: error: $4" >"$TMP/want"
	same_text "bad key: $1: the error" "$TMP/want" "$TMP/err"
	check "bad key: $1: no output changed" \
		test "$(cat "$TMP"/out/scouts/*/overlay.tar.gz "$TMP"/out/exports/*.tar.gz | sha256sum)" = "$sum"
	printf '%s\n' "$keep" >"$K/$2"
	[ $# -le 4 ] || printf '%s\n' "$keep2" >"$K/$5"
}
NOTKEY="not a WireGuard key: one line of 32 bytes in base64 (as \`wg genkey\` writes)"
bad_key "not base64" alpha.key $'this is not a key at all, not even close!!=\n' "$NOTKEY"
bad_key "31 bytes" bravo.psk "$(head -c 31 /dev/urandom | base64)"$'\n' "$NOTKEY"
# The same 32 bytes, the last character's unused bits set: wg refuses it.
psk=$(cat "$K/alpha.psk")
last=${psk:42:1}
alt=$(printf '%s' ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/ |
	awk -v c="$last" '{ i = index($0, c) - 1; printf "%s", substr($0, i - i % 4 + (i % 4 == 0 ? 2 : 1), 1) }')
bad_key "a pre-shared key in non-canonical base64" alpha.psk "${psk:0:42}$alt="$'\n' "$NOTKEY"
bad_key "a public key that is not the private key's" alpha.pub "$(cat "$K/bravo.pub")"$'\n' "not the public key of alpha.key"
bad_key "bravo's key pair is alpha's" bravo.key "$(cat "$K/alpha.key")"$'\n' \
	"the same key as alpha.key: each peer needs its own (remove bravo.key and bravo.pub to make a new pair)" \
	bravo.pub "$(cat "$K/alpha.pub")"$'\n'
bad_key "bravo's pre-shared key is the expert's" bravo.psk "$(cat "$K/expert.psk")"$'\n' \
	"the same key as expert.psk: each peer needs its own (remove bravo.psk to make a new one)"

# --- the tunnels ---
for s in alpha bravo; do
	mkdir -p "$TMP/$s"
	tar -xpf "$TMP/out/scouts/$s/overlay.tar.gz" -C "$TMP/$s"
done
make_ns server alpha bravo calpha cbravo expert
at_exit "for n in server alpha bravo expert; do kill_in \$n; done"
bridge_ns server 198.51.100.1/24
server_address server
lan=2
for n in alpha bravo expert; do
	ip link add eth0 netns "$(ns "$n")" type veth peer name "p-$n" netns "$(ns server)"
	in_ns server ip link set "p-$n" master br0 up
	in_ns "$n" ip addr add "198.51.100.$lan/24" dev eth0
	in_ns "$n" ip link set eth0 up
	in_ns "$n" ip route add 203.0.113.1 via 198.51.100.1
	lan=$((lan + 1))
done
for s in alpha bravo; do
	ip link add ve-container netns "$(ns "$s")" type veth peer name eth0 netns "$(ns "c$s")"
	in_ns "$s" ip addr add 10.0.3.1/24 dev ve-container
	in_ns "$s" ip link set ve-container up
	in_ns "c$s" ip addr add 10.0.3.2/24 dev eth0
	in_ns "c$s" ip link set eth0 up
	in_ns "c$s" ip route add default via 10.0.3.1
	ip netns exec "$(ns "c$s")" "$LISTENER" "$s" 22 >/dev/null 2>&1 &
	at_exit "kill $! 2>/dev/null"
done
ip netns exec "$(ns expert)" "$LISTENER" expert 7000 >/dev/null 2>&1 &
at_exit "kill $! 2>/dev/null"
SERVER_VPN=$(sed -n 's/^Address = \(.*\)\/.*/\1/p' "$TMP/out/exports/server/etc/wireguard/wg0.conf")
ip netns exec "$(ns server)" "$LISTENER" server 7002 >/dev/null 2>&1 &
at_exit "kill $! 2>/dev/null"

# Each peer's wireguard-go in a mount namespace of its own.
wg_mounts server alpha bravo expert
nsenter --mount="$TMP/mnt/server" mount --bind "$TMP/out/exports/server/etc/wireguard" /etc/wireguard

# ini FILE KEY: KEY's value in a systemd unit file (the first one).
ini() { sed -n "s/^$2=//p" "$1" | head -1; }

# scout_up NAME: the scout's tunnel as systemd-networkd would make it from
# the overlay's own files.
scout_up() {
	local root=$TMP/$1 netdev network
	netdev=$root/etc/systemd/network/50-scout-wg.netdev
	network=$root/etc/systemd/network/50-scout-wg.network
	check "$1: the overlay's .netdev is a WireGuard netdev named wg0" \
		test "$(ini "$netdev" Kind) $(ini "$netdev" Name)" = "wireguard wg0"
	check "$1: its peer may carry the VPN's subnet only (no default route)" test "$(ini "$netdev" AllowedIPs)" = 10.1.0.0/24
	in_ns "$1" "$root/usr/sbin/host-iptables" || not_ok "$1: its host-iptables applies"
	in_wg "$1" wireguard-go wg0 >/dev/null 2>&1
	in_wg "$1" wg set wg0 private-key "$root$(ini "$netdev" PrivateKeyFile)" \
		peer "$(ini "$netdev" PublicKey)" preshared-key "$root$(ini "$netdev" PresharedKeyFile)" \
		endpoint "$(ini "$netdev" Endpoint)" allowed-ips "$(ini "$netdev" AllowedIPs)" \
		persistent-keepalive "$(ini "$netdev" PersistentKeepalive)"
	in_ns "$1" ip addr add "$(ini "$network" Address)" dev wg0
	in_ns "$1" ip link set wg0 up
}


t0=$(date +%s.%N)
in_wg server wg-quick up wg0 >"$TMP/server.log" 2>&1 || { not_ok "server: wg-quick up"; cat "$TMP/server.log"; }
scout_up alpha
scout_up bravo
in_wg expert wg-quick up "$TMP/out/exports/expert/etc/wireguard/wg0.conf" >"$TMP/expert.log" 2>&1 ||
	{ not_ok "expert: wg-quick up"; cat "$TMP/expert.log"; }
check "the expert reaches alpha's container" test "$(TRIES=40 reach expert "$ALPHA" 22)" = alpha
t1=$(date +%s.%N)
check "the expert reaches bravo's container" test "$(TRIES=40 reach expert "$BRAVO" 22)" = bravo
check "alpha's handshake with the server" sh -c "nsenter --mount='$TMP/mnt/alpha' --net='/run/netns/$(ns alpha)' wg show wg0 latest-handshakes | awk '{ exit !(\$2 > 0) }'"
check "the server's isolation is in iptables" \
	sh -c "ip netns exec '$(ns server)' iptables -S FORWARD | grep -qx -- '-A FORWARD -i wg0 -j scout-wg0'"
grep -q "the expert reaches the scouts" "$TMP/server.log" || not_ok "the isolate script ran with the tunnel"
check "the server's tunnel has IPv6 off" test "$(in_ns server cat /proc/sys/net/ipv6/conf/wg0/disable_ipv6)" = 1
check "the expert reaches the server's own service" test "$(TRIES=10 reach expert "$SERVER_VPN" 7002)" = server
# Later, another program (ufw, Docker) puts its own accept first.
in_ns server iptables -w -I FORWARD 1 -i wg0 -j ACCEPT
in_ns server iptables -w -I INPUT 1 -i wg0 -j ACCEPT
# A flow of the expert's to bravo, for alpha to forge errors about.
in_ns expert /usr/bin/python3 "$FORGE" ask 5454 "$BRAVO" 53 hello 1 >/dev/null

# alpha is the attacker's from here: its firewall down.
in_ns alpha iptables-legacy -P INPUT ACCEPT
in_ns alpha iptables-legacy -P OUTPUT ACCEPT
in_ns alpha iptables-legacy -F
in_ns alpha iptables-legacy -t nat -F
rm -f "$TMP/bravo-wg0"
ip netns exec "$(ns bravo)" /usr/bin/python3 "$FORGE" watch wg0 60 "$TMP/bravo-wg0" &
watcher=$!
ip netns exec "$(ns expert)" /usr/bin/python3 "$FORGE" watch wg0 60 "$TMP/expert-wg0" &
watcher2=$!
for _ in $(seq 100); do [ -s "$TMP/bravo-wg0" ] && [ -s "$TMP/expert-wg0" ] && break; sleep 0.1; done
check "alpha does not reach bravo's container" not test "$(TRIES=3 reach alpha "$BRAVO" 22)" = bravo
check "alpha does not reach the expert" not test "$(TRIES=3 reach alpha "$EXPERT" 7000)" = expert
quiet in_ns alpha ping -c 2 -W 1 "$BRAVO"
in_ns alpha /usr/bin/python3 "$FORGE" ask 5353 "$BRAVO" 53 hello 1 >/dev/null
in_ns alpha /usr/bin/python3 "$FORGE" syn "$EXPERT" 4002 "$BRAVO" 22
# An error about the expert's flow to bravo, from alpha.
in_ns alpha /usr/bin/python3 "$FORGE" icmp wg0 route "$ALPHA" "$EXPERT" 3 3 "$EXPERT" 5454 "$BRAVO" 53
check "alpha does not reach the server's own service" not test "$(TRIES=3 reach alpha "$SERVER_VPN" 7002)" = server
sleep 1
kill "$watcher" "$watcher2" && wait "$watcher" "$watcher2" 2>/dev/null
check "the capture on bravo's wg0 ran" grep -qx ready "$TMP/bravo-wg0"
check "the capture on the expert's wg0 ran" grep -qx ready "$TMP/expert-wg0"
check "no ICMP error forged by alpha about the expert's flow to bravo reached the expert" \
	not grep -q "^IP $ALPHA > $EXPERT ICMP" "$TMP/expert-wg0"
check "nothing from alpha's address reached bravo (TCP, UDP, ping)" not grep -q "^IP $ALPHA > " "$TMP/bravo-wg0"
check "no SYN forged as the expert reached bravo" not grep -q "TCP 4002 > 22" "$TMP/bravo-wg0"
check "and the expert still reaches bravo's container" test "$(reach expert "$BRAVO" 22)" = bravo

in_wg server wg-quick down wg0 >>"$TMP/server.log" 2>&1
check "wg-quick down takes the server's rules away" not sh -c "ip netns exec '$(ns server)' iptables -S | grep -q scout-wg0"
echo "wireguard: tunnel up and alpha's container reached in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
finish
