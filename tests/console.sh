#!/usr/bin/env bash
# The owner's console, scout-console from the overlay, run by tmux in the
# scout namespace of the firewall lab (tests/fwlab.sh): real host-iptables
# tables, the VPN and LAN peers, the container, and systemd-networkd (with
# its own D-Bus daemon, in a mount namespace of the console's) for the
# static address. Keys go in with send-keys; the screen comes back with
# capture-pane and is compared as text.
. "$(dirname "$0")/lib.sh"

need console "needs root for network namespaces" test "$(id -u)" -eq 0
for tool in tmux iptables-legacy dbus-daemon networkctl; do
	need console "$tool is not installed (./build.sh deps check)" command -v "$tool" >/dev/null
done
need console "systemd-networkd is not installed (package systemd)" test -x /lib/systemd/systemd-networkd

. "$(dirname "$0")/fwlab.sh"

TMUX_SOCK=$TMP/tmux.sock
tm() { tmux -S "$TMUX_SOCK" "$@"; }
# The screen of window $1, the time it was read masked, trailing blanks
# gone.
screen() {
	tm capture-pane -p -t "$1" | sed -e 's/read at [0-9:]\{8\}/read at HH:MM:SS/' -e 's/ *$//'
}
# wait_screen WINDOW TEXT: until the screen shows TEXT (10 s at most).
wait_screen() {
	local i
	for i in $(seq 100); do
		screen "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	echo "--- window $1 does not show '$2':"
	screen "$1"
	return 1
}
# keys WINDOW KEY...: tmux key names (Enter, Tab, Escape, BSpace) or text.
keys() { local w=$1; shift; tm send-keys -t "$w" "$@"; }
text() { tm send-keys -t "$1" -l "$2"; }
shows() { screen "$1" | grep -qF -- "$2"; }
# The status line of a label, e.g. status_line main 'Access from LAN'.
status_line() { screen "$1" | grep -F -- "$2" | head -1; }

# --- the lab ----------------------------------------------------------------
use_default
build_overlay || { finish; exit; }
ROOT=$TMP/$CASE/root
CONSOLE=$ROOT/usr/sbin/scout-console
check "the overlay holds /usr/sbin/scout-console" test -x "$CONSOLE"
check "and the profile it reads, /etc/scout/network.yaml" test -f "$ROOT/etc/scout/network.yaml"
topology || { not_ok "topology"; finish; exit; }
plug_second_lan
# A LAN link without DHCP, for the static address.
ip link add eth1 netns "$(ns s)" type veth peer name l1 netns "$(ns l)"
in_ns s ip link set eth1 up
in_ns l ip addr add 192.168.70.1/24 dev l1
in_ns l ip link set l1 up
# Link-local addresses the console would show are the lab's own (random
# ones would change every run).
for i in "$VPN_IF" "$LAN_IF" "$LAN2_IF" eth1 "$CT_HOST_IF"; do
	in_ns s sysctl -qw "net.ipv6.conf.$i.addr_gen_mode=1"
	in_ns s ip -6 addr flush dev "$i" scope link
done
in_ns s ip -6 addr add fe80::1/64 dev "$LAN_IF" nodad
check "boot apply" in_ns s "$BIN"
# The container's listener that keeps connections open (an expert who stays).
start_listener c hold 2005

# The console's world: the scout namespace, and a mount namespace with a
# /run of its own where a D-Bus daemon and systemd-networkd run (networkd
# manages only what the console gives it: the shipped .network files are
# hidden) and the tmux server, which starts the consoles.
cat >"$TMP/bus.conf" <<'EOF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/lab-bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
  </policy>
</busconfig>
EOF
in_ns s unshare -m --propagation private bash -c '
	set -e
	mount -t tmpfs tmpfs /run
	mount -t tmpfs tmpfs /etc/systemd/network
	mount -t tmpfs tmpfs /usr/lib/systemd/network
	mount -o remount,ro /sys # no udev here: networkd then waits for none
	mkdir -p /run/systemd/netif /run/systemd/network
	chown systemd-network: /run/systemd/netif
	dbus-daemon --config-file="$1/bus.conf" --fork --print-pid >"$1/dbus.pid"
	export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/lab-bus
	/lib/systemd/systemd-networkd >"$1/networkd.log" 2>&1 &
	echo $! >"$1/networkd.pid"
	tmux -S "$2" -f /dev/null new-session -d -s lab -n main -x 80 -y 24 \
		-e LC_ALL=C.UTF-8 -e NCURSES_NO_UTF8_ACS=1 -e TERM=tmux-256color "$3 --root $4"
	tmux -S "$2" set -g remain-on-exit on
	tmux -S "$2" display -p "#{pid}" >"$1/tmux.pid"
' sh "$TMP" "$TMUX_SOCK" "$CONSOLE" "$ROOT"
for f in networkd dbus tmux; do
	[ -s "$TMP/$f.pid" ] && at_exit "kill $(cat "$TMP/$f.pid") 2>/dev/null"
done
check "the console starts with the status" wait_screen main "Status, read at"

# --- the status screen ------------------------------------------------------
cat >"$TMP/want" <<'EOF'
 Scout console - HOST
┌─ Status, read at HH:MM:SS ───────────────────────────────────────────────────┐
│ VPN        vpn.example.org 1194/udp, proxy none                              │
│            tunnel UP: tap0 10.1.0.2 (openvpn-client@scout unknown)           │
│ LAN        eth0     UP 192.168.50.1/24 fd00:50::1/64 fe80::1/64              │
│            eth1     UP no address                                            │
│            wlan0    UP 192.168.60.1/24                                       │
│ Container  container 10.0.3.2: link UP                                       │
│ Expert     not connected                                                     │
│ Access from LAN  OFF      Host Control  OFF                                  │
│ Firewall   OK: the kernel's tables are the rule set                          │
└──────────────────────────────────────────────────────────────────────────────┘
 ┌─ Menu ──────────────────────────────────────────────────────┐
 │ > Network   Access from LAN, Host Control, Static IP, Proxy │
 │   Shell     a root shell on this terminal                   │
 │   Reboot    start the scout again                           │
 │   Power off turn the scout off                              │
 └─────────────────────────────────────────────────────────────┘
EOF
screen main | sed "s/^ Scout console - .*/ Scout console - HOST/" | head -18 >"$TMP/got"
same_text "the status screen at 80x24" "$TMP/want" "$TMP/got"
check "the help line" test "$(screen main | tail -1)" = " Up/Down: move   Enter: choose   first letter: choose   Esc: back"

finish
