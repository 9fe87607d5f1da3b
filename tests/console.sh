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
# The screen as one line of text, the innermost box's content only: a
# dialog's wrapped lines read as the sentence they are.
flat() {
	screen "$1" | awk -F'│' 'NF == 5 { print $3; next } NF == 3 { print $2; next } { print }' |
		tr '\n' ' ' | tr -s ' '
}
# wait_screen WINDOW TEXT: until the screen shows TEXT (10 s at most), on
# one line or wrapped.
wait_screen() {
	local i
	for i in $(seq 100); do
		shows "$1" "$2" && return 0
		sleep 0.1
	done
	echo "--- window $1 does not show '$2':"
	screen "$1"
	return 1
}
# keys WINDOW KEY...: tmux key names (Enter, Tab, Escape, BSpace) or text.
keys() { local w=$1; shift; tm send-keys -t "$w" "$@"; }
text() { tm send-keys -t "$1" -l "$2"; }
shows() { screen "$1" | grep -qF -- "$2" || flat "$1" | grep -qF -- "$2"; }
# wait_gone WINDOW TEXT: within 10 s the window no longer shows TEXT.
wait_gone() {
	local i
	for i in $(seq 100); do
		shows "$1" "$2" || return 0
		sleep 0.1
	done
	return 1
}
# CMD in the console's mount namespace (its /run).
in_console_ns() { nsenter -t "$(cat "$TMP/networkd.pid")" -m "$@"; }
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
  <servicedir>@TMP@/dbus-services</servicedir>
  <servicehelper>@TMP@/activate</servicehelper>
  <policy context="default">
    <allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
  </policy>
</busconfig>
EOF
# iwd is bus-activatable on the scout (Debian's net.connman.iwd.service
# starts iwd.service, which needs the firewall): the console must never
# start it, nor the firewall with it, by asking iwd something. Here an
# activation is only written down.
sed -i "s|@TMP@|$TMP|g" "$TMP/bus.conf"
mkdir -p "$TMP/dbus-services"
printf '[D-BUS Service]\nName=net.connman.iwd\nExec=/usr/libexec/iwd\nUser=root\nSystemdService=iwd.service\n' \
	>"$TMP/dbus-services/net.connman.iwd.service"
printf '#!/bin/sh\necho "$1" >>"%s/activations"\nexit 1\n' "$TMP" >"$TMP/activate"
chmod 755 "$TMP/activate"
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
 ┌─ Menu ─────────────────────────────────────────────────────────────┐
 │ > Network   Access from LAN, Host Control, Static IP, Proxy, Wi-Fi │
 │   Shell     a root shell on this terminal                          │
 │   Reboot    start the scout again                                  │
 │   Power off turn the scout off                                     │
 └────────────────────────────────────────────────────────────────────┘
EOF
screen main | sed "s/^ Scout console - .*/ Scout console - HOST/" | head -18 >"$TMP/got"
same_text "the status screen at 80x24" "$TMP/want" "$TMP/got"
check "the help line" test "$(screen main | tail -1)" = " Up/Down: move   Enter: choose   first letter: choose   Esc: back"

# --- what the LAN offered that collides (TunnelVision) ---------------------------
# networkd's lease for eth1 as it writes it when a DHCP server sent routes
# it did not take (tests/attacks.sh shows networkd writing it), and an
# address on the second LAN link inside the container's subnet.
in_console_ns sh -c 'mkdir -p /run/systemd/netif/leases && cat >"/run/systemd/netif/leases/$1"' sh \
	"$(in_ns s cat /sys/class/net/eth1/ifindex)" <<'EOF'
# This is private data. Do not parse.
ADDRESS=192.168.70.50
NETMASK=255.255.255.0
ROUTER=192.168.70.1
CLASSLESS_ROUTES=10.1.0.3/32,192.168.70.9 192.168.90.0/24,192.168.70.9 0.0.0.0/0,192.168.70.1
STATIC_ROUTES=10.0.3.0/25,192.168.70.9
EOF
in_ns s ip addr add 10.0.3.77/24 dev "$LAN2_IF"
check "a DHCP route into the VPN subnet is shown, not taken" \
	wait_screen main "Collision  eth1: DHCP route 10.1.0.3/32 for the VPN subnet, not taken"
check "one into the container subnet too" shows main "eth1: DHCP route 10.0.3.0/25 for the container subnet, not taken"
check "and what does not fit is counted" shows main "and 1 more"
check "other routes are no collision" not shows main "192.168.90.0"
in_console_ns rm -r /run/systemd/netif/leases
check "a LAN address in the container subnet is shown" \
	wait_screen main "Collision  $LAN2_IF: LAN 10.0.3.77/24 overlaps the container subnet"
in_ns s ip addr del 10.0.3.77/24 dev "$LAN2_IF"
check "and the line goes when the collision does" wait_gone main "Collision"

# --- Network: Access from LAN ------------------------------------------------
keys main n
check "n opens the Network menu" wait_screen main "Access from LAN Enable (now OFF)"
keys main a
check "Access from LAN asks first" wait_screen main "Enable Access from LAN?"
check "and says what becomes reachable from where" \
	shows main "Reachable then: TCP 22, 2000-2009 of the container from eth+, wlan+."
keys main y
check "enabled: the status shows it ON" wait_screen main "Access from LAN  ON "
check "the menu offers to disable it" wait_screen main "Access from LAN Disable (now ON)"
check "host-iptables reads it ON from the kernel" test "$(in_ns s "$BIN" check-access-from-lan)" = "Access from LAN is ON"
expect "the LAN peer reaches the container" l 192.168.50.1 22 container
keys main a
check "disabling asks too" wait_screen main "Disable Access from LAN?"
check "and says what closes" shows main "No longer reachable: TCP 22, 2000-2009 of the container from eth+, wlan+."
keys main Escape
check "Esc answers no" wait_screen main "Access from LAN  ON "
keys main a
wait_screen main "Disable Access from LAN?" >/dev/null
keys main y
check "disabled: the status shows it OFF" wait_screen main "Access from LAN  OFF"
expect "the LAN peer reaches nothing again" l 192.168.50.1 22 nothing

# --- Network: Host Control ---------------------------------------------------
keys main h
check "Host Control asks first" wait_screen main "Enable Host Control?"
check "and says what becomes reachable from where" \
	shows main "Reachable then: the host's SSH, TCP 23, from the VPN (tap0)."
keys main y
check "enabled: the status shows it ON" wait_screen main "Host Control  ON"
expect "the VPN peer reaches the host's port 23" v "$SCOUT_VPN" 23 host
keys main h
wait_screen main "Disable Host Control?" >/dev/null
keys main y
check "disabled: OFF" wait_screen main "Host Control  OFF"
expect "the VPN peer reaches nothing on 23" v "$SCOUT_VPN" 23 nothing

# --- the expert, connected ---------------------------------------------------
ip netns exec "$(ns v)" bash -c "exec 3<>/dev/tcp/$SCOUT_VPN/2005; sleep 30" 2>/dev/null &
held=$!
at_exit "kill $held 2>/dev/null"
check "the status shows the expert's connection to the container" \
	wait_screen main "Expert     connected: $PEER_VPN -> container TCP 2005"
kill "$held" 2>/dev/null

# --- Static IP -----------------------------------------------------------------
# form WINDOW VALUE...: replaces each field's text in turn (Tab between).
form() {
	local w=$1 v
	shift
	for v in "$@"; do
		keys "$w" End
		for _ in $(seq 40); do keys "$w" BSpace; done
		[ -n "$v" ] && text "$w" "$v"
		keys "$w" Tab
	done
}
netfiles() { in_console_ns ls /run/systemd/network; }
# The files the console wrote under /run for the VPN client, or "failed".
run_files() { in_console_ns find /run/systemd/system /run/scout -type f 2>/dev/null | sort || echo failed; }
keys main s
check "Static IP opens its form" wait_screen main "Address/prefix"
form main eth1 10.9.9.9/33 "" ""
keys main Enter
check "a prefix of 33 is refused, with its message" \
	wait_screen main "Address: '10.9.9.9/33' has a prefix length that is not 1-32"
form main eth1 300.1.1.1/24 "" ""
keys main Enter
check "an address out of range is refused" wait_screen main "Address: '300.1.1.1/24' is not an IPv4 address"
form main eth7 192.168.70.5/24 "" ""
keys main Enter
check "an interface the scout does not have is refused" wait_screen main "Interface: 'eth7' is not on this scout"
form main eth1 192.168.70.5/24 192.168.71.1 ""
keys main Enter
check "a gateway outside the subnet is refused" \
	wait_screen main "Gateway: '192.168.71.1' is not another host address in 192.168.70.5/24"
check "nothing was written for the refused forms" test -z "$(netfiles)"
check "and eth1 has no IPv4 address" test -z "$(in_ns s ip -4 -o addr show dev eth1)"
form main eth1 192.168.70.5/24 192.168.70.1 "192.168.70.1, fd00:70::1"
keys main Enter
ok_addr=
for _ in $(seq 100); do
	in_ns s ip -4 -o addr show dev eth1 | grep -q 'inet 192.168.70.5/24' && { ok_addr=1; break; }
	sleep 0.1
done
check "the address set in the form is on eth1 (systemd-networkd)" test -n "$ok_addr"
check "the status shows it, marked static" wait_screen main "eth1     UP static 192.168.70.5/24"
check "the LAN peer on eth1 reaches the scout's new address" quiet in_ns l ping -c 1 -W 2 192.168.70.5
check "the runtime .network file" test "$(netfiles)" = 10-scout-static-eth1.network
keys main s
wait_screen main "Address/prefix" >/dev/null
form main eth1 "" "" ""
keys main Enter
gone=
for _ in $(seq 100); do
	[ -z "$(netfiles)" ] && ! in_ns s ip -4 -o addr show dev eth1 | grep -q 192.168.70.5 && { gone=1; break; }
	sleep 0.1
done
check "an empty address goes back to DHCP: the file and the address are gone" test -n "$gone"

# --- Proxy ---------------------------------------------------------------------
keys main p
check "Proxy opens its form" wait_screen main "Credentials file"
form main socks 192.168.50.2 0 ""
keys main Enter
check "a port of 0 is refused" wait_screen main "Port: '0' is not a port (1-65535)"
form main http 192.168.50.2 3128 ""
keys main Enter
check "an HTTP proxy for a UDP VPN is refused" \
	wait_screen main "Type: an HTTP proxy carries TCP only and this VPN is UDP (vpn.protocol); use socks"
form main socks 192.168.50.2 1080 /nonexistent/auth
keys main Enter
check "a credentials file that is not there is refused" \
	wait_screen main "Credentials file: '/nonexistent/auth' is not a file on this scout"
form main socks 192.168.50.2 1080 ""
keys main Enter
check "a good proxy asks first" wait_screen main "Connect to the VPN server through the socks proxy 192.168.50.2 port 1080?"
keys main y
# No systemd here: systemctl fails, and the console says so and takes its
# files back.
check "a failure is shown with its reason" \
	wait_screen main "systemctl daemon-reload failed: Reload daemon failed: The name org.freedesktop.systemd1 was not provided"
check "and nothing of it stays" test -z "$(run_files)"
keys main Enter
keys main b
check "Back returns to the main menu" wait_screen main "Power off turn the scout off"

# --- Proxy, applied: systemctl is a stub that logs and answers -----------------
mkdir -p "$TMP/stub"
printf '#!/bin/sh\necho "$*" >>"%s/systemctl.log"\ncase $1 in is-active) exit 3 ;; esac\nexit "$(cat "%s/systemctl.rc")"\n' \
	"$TMP" "$TMP" >"$TMP/stub/systemctl"
chmod 755 "$TMP/stub/systemctl"
echo 0 >"$TMP/systemctl.rc"
printf 'owner\nsecret\n' >"$TMP/auth"
# (tmux sets PATH for a window itself: the command does it here)
tm new-window -d -n stub -e LC_ALL=C.UTF-8 -e NCURSES_NO_UTF8_ACS=1 -e TERM=tmux-256color \
	"PATH=$TMP/stub:\$PATH $CONSOLE --root $ROOT"
wait_screen stub "Power off" >/dev/null
keys stub n p
wait_screen stub "Credentials file" >/dev/null
form stub socks 192.168.50.2 1080 "$TMP/auth"
keys stub Enter
wait_screen stub "through the socks proxy 192.168.50.2 port 1080?" >/dev/null
: >"$TMP/systemctl.log"
keys stub y
check "a proxy: the status shows it" wait_screen stub "proxy socks 192.168.50.2:1080 (console)"
check "the VPN client is reloaded and restarted, not waited for" \
	test "$(grep -v is-active "$TMP/systemctl.log" | tr '\n' '|')" = "daemon-reload|restart --no-block openvpn-client@scout.service|"
check "the files: the drop-in, the client's config and the credentials" test "$(run_files | tr '\n' ' ')" = \
	"/run/scout/openvpn-scout.conf /run/scout/proxy-auth /run/systemd/system/openvpn-client@scout.service.d/50-scout-console-proxy.conf "
printf '%s\n' "# Network > Proxy on the scout's console: the VPN client with the" \
	"# config it wrote. Under /run: gone at the next boot." "[Service]" "ExecStart=" \
	"ExecStart=/usr/sbin/openvpn --suppress-timestamps --nobind --config /run/scout/openvpn-scout.conf" >"$TMP/want"
same_text "the drop-in" "$TMP/want" <(in_console_ns cat /run/systemd/system/openvpn-client@scout.service.d/50-scout-console-proxy.conf)
{
	printf '%s\n' "# The profile's scout.conf with the proxy set on the scout's console" \
		"# (Network > Proxy). Under /run: gone at the next boot."
	grep -v -- '-proxy ' "$ROOT/etc/openvpn/client/scout.conf"
	printf '\n%s\n' "# The console's proxy."
	echo "socks-proxy 192.168.50.2 1080 /run/scout/proxy-auth"
} >"$TMP/want"
same_text "the client's config: the profile's, and the proxy" "$TMP/want" <(in_console_ns cat /run/scout/openvpn-scout.conf)
check "the credentials, copied where the unit can read them (0600)" \
	test "$(in_console_ns stat -c %a /run/scout/proxy-auth):$(in_console_ns cat /run/scout/proxy-auth | tr '\n' ' ')" = "600:owner secret "
before=$(in_console_ns sha256sum /run/scout/openvpn-scout.conf /run/scout/proxy-auth \
	/run/systemd/system/openvpn-client@scout.service.d/50-scout-console-proxy.conf)
echo 1 >"$TMP/systemctl.rc"
keys stub p
wait_screen stub "Credentials file" >/dev/null
form stub socks 192.168.50.3 1081 ""
keys stub Enter
wait_screen stub "through the socks proxy 192.168.50.3 port 1081?" >/dev/null
keys stub y
check "a failed restart is shown" wait_screen stub "systemctl daemon-reload failed: exit status 1"
check "and the previous files are back, byte for byte" test "$(in_console_ns sha256sum /run/scout/openvpn-scout.conf \
	/run/scout/proxy-auth /run/systemd/system/openvpn-client@scout.service.d/50-scout-console-proxy.conf)" = "$before"
echo 0 >"$TMP/systemctl.rc"
keys stub Enter p
wait_screen stub "Credentials file" >/dev/null
form stub profile "" "" ""
keys stub Enter
wait_screen stub "Go back to the profile's proxy setting?" >/dev/null
keys stub y
check "profile: the status says none" wait_screen stub "proxy none"
check "and the console's files are gone" test -z "$(run_files)"
tm kill-window -t stub

# --- a toggle that fails -------------------------------------------------------
tm new-window -d -n failing -e LC_ALL=C.UTF-8 -e NCURSES_NO_UTF8_ACS=1 -e TERM=tmux-256color \
	-e HOST_IPTABLES_TEST_FAIL_COMMIT=nat4 "$CONSOLE --root $ROOT"
wait_screen failing "Status, read at" >/dev/null
keys failing n a
wait_screen failing "Enable Access from LAN?" >/dev/null
keys failing y
check "a failed toggle is shown with host-iptables' reason" \
	wait_screen failing "host-iptables enable-access-from-lan failed: host-iptables: IPv4 nat table: cannot commit: failure forced by HOST_IPTABLES_TEST_FAIL_COMMIT"
check "and the state read back from the kernel" \
	shows failing "Now, as read back from the kernel: Access from LAN OFF, Host Control OFF."
check "the tables are the rule set still" quiet in_ns s "$BIN" verify
tm kill-window -t failing

# --- Network > Wi-Fi, against a fake iwd ------------------------------------
# Real iwd needs cfg80211 radios (mac80211_hwsim), which this kernel
# lacks: tests/tools/fake-iwd serves iwd's D-Bus API on the console's bus
# (the booted image's test runs the console against the real iwd).
# Without iwd: the screen says so, the status has no Wi-Fi line, the rest
# works.
keys main n w
check "no iwd: the Wi-Fi screen says Wi-Fi is not available" \
	wait_screen main "Wi-Fi is not available: iwd is not running."
keys main Enter
check "and the Network menu is back" wait_screen main "Wi-Fi           networks in range, join, disconnect"
check "no iwd: no Wi-Fi line in the status" not shows main "│ Wi-Fi"
check "no iwd: the console did not start iwd by asking it (no bus activation)" test ! -e "$TMP/activations"
FAKE_LOG=$TMP/iwd.log
: >"$FAKE_LOG"
# (nsenter execs env, which execs the fake: $! is the fake)
nsenter -t "$(cat "$TMP/networkd.pid")" -m env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/lab-bus \
	"$TOP/tests/.bin/fake-iwd" --log "$FAKE_LOG" --keep-failed &
fake_iwd=$!
at_exit "kill $fake_iwd 2>/dev/null"
for _ in $(seq 50); do grep -q ready "$FAKE_LOG" && break; sleep 0.1; done
check "with iwd: the status's Wi-Fi line, read from iwd" wait_screen main "│ Wi-Fi      wlan0 disconnected"
keys main w
check "W opens the Wi-Fi screen" wait_screen main "10 networks in range"
cat >"$TMP/want" <<'EOF'
┌─ Wi-Fi, read at HH:MM:SS ────────────────────────────────────────────────────┐
│ wlan0 disconnected                                                           │
│ 10 networks in range                                                         │
└──────────────────────────────────────────────────────────────────────────────┘
EOF
screen main | sed -n '2,5p' >"$TMP/got"
same_text "the Wi-Fi screen: what iwd says" "$TMP/want" "$TMP/got"
cat >"$TMP/want" <<'EOF'
 ┌─ Networks ────────────────────────────────────────────────────────┐
 │ > 1 scout-lab                        -48 dBm ****  WPA-PSK        │
 │   2 cafe open                        -65 dBm ***   open           │
 │   3 home-net                         -70 dBm **    WPA-PSK  known │
 │   4 evil\x1b[2J\x1b]0;pwned\x07      -72 dBm **    WPA-PSK        │
 │   5 \xc2\x9b31mred                   -74 dBm **    WPA-PSK        │
 │   6 0123456789abcdef0123456789ABCDEF -80 dBm *     open           │
 │   7 corp                             -82 dBm *     802.1X         │
 │   8 ctl\x01\x7f\ttab                 -85 dBm *     open           │
 │   9 \xc3\xa9\xc3\xa9\xc3\xa9\xc3...  -90 dBm *     WPA-PSK        │
 │     lost-ap                          -91 dBm *     open           │
 │   Scan                               look for networks again      │
 │   Disconnect                         from the network joined      │
 │   Back                               to the Network menu          │
 └───────────────────────────────────────────────────────────────────┘



 Up/Down: move   Enter: choose   first letter: choose   Esc: back
EOF
screen main | sed -n '6,$p' >"$TMP/got"
same_text "the list: signal, security, SSIDs escaped (ESC, C1 CSI, control bytes, 32 bytes)" "$TMP/want" "$TMP/got"
check "no ESC or C1 byte of an SSID is drawn" test "$(screen main | grep -c $'\e\\|\xc2\x9b\\|\\^\\[')" -eq 0
# A wrong passphrase: iwd's error, not connected, no known network left
# (the fake, --keep-failed, leaves one as an iwd that saved it early:
# the console forgets it).
keys main 1
check "1 joins the first network: a form for its passphrase" wait_screen main "The passphrase of 'scout-lab' (WPA-PSK)"
text main "short"
keys main Enter
check "a passphrase iwd would refuse is refused first" \
	wait_screen main "Passphrase: 8 to 63 characters (WPA), or 64 hexadecimal digits"
keys main End
for _ in $(seq 10); do keys main BSpace; done
text main "wrong-passphrase-123"
check "the passphrase is not shown as it is typed" not shows main "wrong-passphrase"
keys main Enter
check "a wrong passphrase is shown as such" \
	wait_screen main "Wrong passphrase: 'scout-lab' did not accept it. Not joined."
check "with iwd's error" shows main "iwd: net.connman.iwd.Failed: Operation failed"
check "the known network the attempt left is forgotten" \
	shows main "The known network iwd made of this attempt was forgotten."
check "and read back: none kept, not connected" \
	shows main "iwd keeps no known network 'scout-lab'. Now, as iwd says: wlan0 disconnected."
check "iwd got the passphrase through the console's agent; then Forget" test "$(grep -v '^ready' "$FAKE_LOG")" = \
"RegisterAgent /org/scout/console/agent
Connect /net/connman/iwd/0/4/73636f75742d6c6162_psk
RequestPassphrase -> a passphrase, wrong
Connect -> net.connman.iwd.Failed
UnregisterAgent /org/scout/console/agent
Forget /net/connman/iwd/73636f75742d6c6162_psk"
keys main Enter
# A known network whose Connect fails (its AP is gone): its KnownNetwork
# is not this attempt's, and stays.
: >"$FAKE_LOG"
keys main 3
check "a known network asks to join with what iwd knows" \
	wait_screen main "Join 'home-net' with the passphrase iwd knows?"
keys main y
check "a failed Connect is shown with iwd's error" wait_screen main "Not joined to 'home-net'."
check "and its known network (not this attempt's) is kept" shows main "iwd keeps a known network 'home-net'."
check "no Forget, no passphrase asked" not grep -q 'Forget\|RequestPassphrase' "$FAKE_LOG"
keys main Enter
# The join runs while the screen stays the owner's: Esc stops it.
: >"$FAKE_LOG"
keys main 3
wait_screen main "Join 'home-net' with the passphrase iwd knows?" >/dev/null
keys main y
check "a join in progress is shown" wait_screen main "Joining 'home-net'..."
keys main Escape
check "Esc stops it" wait_screen main "Stopped: not joined to 'home-net'."
check "through Station.Disconnect, which ends iwd's Connect" test "$(grep -v '^ready' "$FAKE_LOG" | tr '\n' '|')" = \
	"RegisterAgent /org/scout/console/agent|Connect /net/connman/iwd/0/4/686f6d652d6e6574_psk|Disconnect|Connect -> net.connman.iwd.Aborted|UnregisterAgent /org/scout/console/agent|"
keys main Enter
keys main 7
check "an 802.1X network is not joined from the console" \
	wait_screen main "'corp' needs 802.1X credentials: the console joins WPA-PSK and open networks."
keys main Enter
# The right passphrase: connected, as iwd reads back.
: >"$FAKE_LOG"
keys main 1
wait_screen main "The passphrase of 'scout-lab'" >/dev/null
text main "correct horse battery"
check "the passphrase is not on the screen" not shows main "horse"
keys main Enter
check "joined, as read back from iwd: SSID and signal" \
	wait_screen main "iwd joined 'scout-lab'. Now, as iwd says: wlan0 connected to 'scout-lab' -48 dBm **** 84%."
check "iwd got the right passphrase" grep -qx "RequestPassphrase -> a passphrase, right" "$FAKE_LOG"
check "the passphrase was never on the screen" not shows main "horse"
keys main Enter
check "the list marks it connected" wait_screen main "1 scout-lab                        -48 dBm ****  WPA-PSK  connected"
keys main b
check "the status: the Wi-Fi link, its SSID and signal" \
	wait_screen main "│ Wi-Fi      wlan0 connected to 'scout-lab' -48 dBm **** 84%"
keys main w
wait_screen main "Networks" >/dev/null
: >"$FAKE_LOG"
keys main d
check "Disconnect asks first" wait_screen main "Disconnect? iwd then joins no network by itself"
keys main y
check "disconnected, as read back" wait_screen main "Disconnected. Now, as iwd says: wlan0 disconnected."
check "by Station.Disconnect" grep -qx Disconnect "$FAKE_LOG"
keys main Enter
keys main 2
check "an open network asks first" wait_screen main "Join the open network 'cafe open'?"
keys main y
check "joined" \
	wait_screen main "iwd joined 'cafe open'. Now, as iwd says: wlan0 connected to 'cafe open' -65 dBm *** 50%."
keys main Enter
keys main s
for _ in $(seq 30); do grep -qx Scan "$FAKE_LOG" && break; sleep 0.1; done
check "S: Station.Scan" grep -qx Scan "$FAKE_LOG"
check "and the list is back" wait_screen main "10 networks in range"
check "no passphrase in the fake's log" not grep -q 'horse\|wrong-passphrase' "$FAKE_LOG"
keys main Escape
check "Esc goes back to the Network menu" wait_screen main "Wi-Fi           networks in range, join, disconnect"
kill "$fake_iwd"
check "iwd gone: the status's Wi-Fi line goes" wait_gone main "│ Wi-Fi"
keys main b

# --- Shell, Reboot, Power off ----------------------------------------------------
keys main s
check "Shell asks first" wait_screen main "Open a root shell on this terminal?"
keys main y
check "a root shell" wait_screen main "a root shell; exit comes back to the menu"
text main "echo in-the-shell-\$((6*7))"
keys main Enter
check "that runs commands" wait_screen main "in-the-shell-42"
text main "exit"
keys main Enter
check "exit comes back to the menu" wait_screen main "Power off turn the scout off"
keys main r
check "Reboot asks first" wait_screen main "Reboot the scout now?"
keys main n
check "No: nothing happens" wait_screen main "Power off turn the scout off"
keys main p
check "Power off asks first" wait_screen main "Power the scout off now?"
keys main Escape
check "Esc: nothing happens" wait_screen main "Power off turn the scout off"

# --- under valgrind --------------------------------------------------------------
# The console through its screens under memcheck; it ends as on a hangup.
tm new-window -d -n vg -e LC_ALL=C.UTF-8 -e NCURSES_NO_UTF8_ACS=1 -e TERM=tmux-256color \
	"valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --log-file=$TMP/valgrind.log $CONSOLE --root $ROOT"
check "under valgrind: it starts" wait_screen vg "Power off turn the scout off"
if shows vg "Power off turn the scout off"; then
	keys vg n
	wait_screen vg "Access from LAN Enable" >/dev/null
	keys vg s
	wait_screen vg "Address/prefix" >/dev/null
	form vg eth1 10.9.9.9/33 "" ""
	keys vg Enter
	wait_screen vg "has a prefix length that is not 1-32" >/dev/null
	keys vg Escape
	keys vg a
	wait_screen vg "Enable Access from LAN?" >/dev/null
	keys vg n
	# Wi-Fi against the fake iwd: the list, a wrong passphrase (the agent,
	# Forget), a join.
	nsenter -t "$(cat "$TMP/networkd.pid")" -m env DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/lab-bus \
		"$TOP/tests/.bin/fake-iwd" --log "$FAKE_LOG" --keep-failed &
	fake_iwd=$!
	at_exit "kill $fake_iwd 2>/dev/null"
	for _ in $(seq 50); do grep -q ready "$FAKE_LOG" && break; sleep 0.1; done
	keys vg w
	wait_screen vg "10 networks in range" >/dev/null
	keys vg 1
	wait_screen vg "The passphrase of 'scout-lab'" >/dev/null
	text vg "wrong-passphrase-123"
	keys vg Enter
	check "under valgrind: a wrong passphrase" wait_screen vg "Wrong passphrase: 'scout-lab' did not accept it."
	keys vg Enter 2
	wait_screen vg "Join the open network 'cafe open'?" >/dev/null
	keys vg y
	check "under valgrind: a join" wait_screen vg "iwd joined 'cafe open'."
	keys vg Enter Escape
	kill "$fake_iwd"
	sleep 4 # a status read on its own
	keys vg b
	check "under valgrind: the screens work" wait_screen vg "Power off turn the scout off"
fi
# As on a hangup; memcheck then reports (a leak that grew with each
# status read would be "definitely lost").
kill -HUP "$(tm display -p -t vg '#{pane_pid}')"
for _ in $(seq 50); do grep -q 'ERROR SUMMARY' "$TMP/valgrind.log" 2>/dev/null && break; sleep 0.2; done
tm kill-window -t vg
check "under valgrind: no memory error, no definite leak" grep -q 'ERROR SUMMARY: 0 errors' "$TMP/valgrind.log"
grep -q 'ERROR SUMMARY: 0 errors' "$TMP/valgrind.log" || head -60 "$TMP/valgrind.log"

# --- the frame on the serial port ------------------------------------------
# As serial-getty@ttyS0 starts it: TERM=vt220 (systemd's for a serial
# line), the environment of the overlay's drop-in and nothing else, its
# output through a plain pty (script), as an owner's screen or minicom
# gets it. The frame is lines, never the letters of the VT100's alternate
# character set (lqqqk) that a terminal which ignores ESC ( 0 shows; and
# in a locale that is not UTF-8, ASCII.
DROPIN=$ROOT/etc/systemd/system/serial-getty@ttyS0.service.d/scout-console.conf
mapfile -t getty_env < <(sed -n 's/^Environment=//p' "$DROPIN")
serial_console() { # NAME ENV...: a window with the console as on ttyS0
	local name=$1
	shift
	tm new-window -d -n "$name" "env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=vt220 $* \
		script -q -f -e -c '$CONSOLE --root $ROOT' /dev/null"
	wait_screen "$name" "Power off turn the scout off" >/dev/null
}
serial_console serial "${getty_env[@]}"
check "ttyS0 (TERM=vt220, the drop-in's locale): the frame is drawn with lines" \
	grep -qx '┌─ Status, read at HH:MM:SS \(─\)*┐' <(screen serial)
check "and the menu's too" grep -qx ' ┌─ Menu \(─\)*┐' <(screen serial)
tm kill-window -t serial
serial_console serial-c LC_ALL=C
check "ttyS0 with a locale that is not UTF-8: an ASCII frame" \
	grep -qx '+- Status, read at HH:MM:SS -*+' <(screen serial-c)
check "and the menu's too" grep -qx ' +- Menu -*+' <(screen serial-c)
tm kill-window -t serial-c

# --- names from the kernel ---------------------------------------------------
# A LAN interface named with ESC and a C1 CSI (made as a container could
# make one): the status shows its bytes escaped, in the columns counted
# (curses alone drew ^[ and a blank, and the next word ran into it). It
# sorts first; it stays down, so it has no address.
ESC_IF=$'eth\e[7m\xc2\x9b'
in_ns s ip link add "$ESC_IF" type veth peer name escpeer
check "an interface named with ESC and CSI: shown escaped" \
	wait_screen main 'LAN        eth\x1b[7m\xc2\x9b DOWN no address'
check "and no ESC or C1 byte is drawn" test "$(screen main | grep -c $'\e\\|\xc2\x9b\\|\\^\\[')" -eq 0
in_ns s ip link del escpeer

# --- sizes -------------------------------------------------------------------------
# After a resize the screen must be what a console started at that size
# draws: nothing left over from the old size.
tm resize-window -t main -x 60 -y 20
check "below 80x24 it says what it needs" \
	wait_screen main "scout-console needs at least 80x24; this terminal is 60x20."
for size in 160x50 80x24 100x30; do
	tm resize-window -t main -x "${size%x*}" -y "${size#*x}"
	sleep 0.5
	keys main Home C-l
	sleep 1
	tm new-window -d -n fresh -e LC_ALL=C.UTF-8 -e NCURSES_NO_UTF8_ACS=1 -e TERM=tmux-256color "$CONSOLE --root $ROOT"
	tm resize-window -t fresh -x "${size%x*}" -y "${size#*x}"
	wait_screen fresh "Power off" >/dev/null
	sleep 3.5 # both read the status again
	screen main >"$TMP/resized"
	screen fresh >"$TMP/fresh"
	same_text "resized to $size: the screen of a console started at $size" "$TMP/fresh" "$TMP/resized"
	check "at $size the screen is $size" test "$(tm display -p -t main '#{window_width}x#{window_height}')" = "$size"
	tm kill-window -t fresh
done

# --- a fleet's scout ---------------------------------------------------------------
# Each overlay of a fleet names its scout in /etc/scout/name; the console
# shows that scout (its name, its address in the tunnel; its profile
# names no other), the profile's first without the file, and says so when the name is not in the profile.
FLEET=$TMP/fleet
mkdir -p "$FLEET/root"
printf 'vpn:\n  server: vpn.example.org\nscouts:\n  - {name: case-a, address: 10.1.0.10}\n  - {name: case-b, address: 10.1.0.11}\n' \
	>"$FLEET/network.yaml"
if (cd "$TOP" && ./build.sh -q -c "$FLEET/network.yaml" -o "$FLEET/out" -r /nonexistent) >"$FLEET/build.log" 2>&1; then
	tar -xpf "$FLEET/out/scouts/case-b/overlay.tar.gz" -C "$FLEET/root"
	check "fleet: case-b's overlay names it in /etc/scout/name" grep -qx case-b "$FLEET/root/etc/scout/name"
	fleet_console() { # the console of the fleet's overlay, in a window named fleet
		tm kill-window -t fleet 2>/dev/null || true
		tm new-window -d -n fleet -e LC_ALL=C.UTF-8 -e NCURSES_NO_UTF8_ACS=1 -e TERM=tmux-256color \
			"$FLEET/root/usr/sbin/scout-console --root $FLEET/root"
	}
	fleet_console
	check "fleet: the console shows its scout, case-b, and case-b's address" \
		wait_screen fleet "scout case-b 10.1.0.11"
	check "fleet: and no other scout of the fleet" not shows fleet case-a
	rm "$FLEET/root/etc/scout/name"
	fleet_console
	check "fleet: without /etc/scout/name, the profile's first scout (case-b: its profile names it alone)" \
		wait_screen fleet "scout case-b 10.1.0.11"
	printf 'case-z\e[7m\n' >"$FLEET/root/etc/scout/name"
	fleet_console
	check "fleet: a name not in the profile is said, escaped" \
		wait_screen fleet "scout 'case-z\x1b[7m' (/etc/scout/name) is not in the profile's scouts:"
	check "fleet: and the network menu is not offered" \
		wait_screen fleet "The profile cannot be read; the network menu is not available."
	check "fleet: no ESC drawn" test "$(screen fleet | grep -c $'\e')" -eq 0
	tm kill-window -t fleet
else
	not_ok "fleet: build.sh failed"
	cat "$FLEET/build.log"
fi

# --- a WireGuard scout ---------------------------------------------------------------
# The status reads the tunnel from the kernel's WireGuard (generic
# netlink). This kernel has none: the console says so and does not call
# the tunnel up (tests/image-wg.sh reads a real handshake on the booted
# image; test_console_wg the kernel's answers).
WG=$TMP/wg
mkdir -p "$WG/root"
printf 'vpn:\n  type: wireguard\n  server: vpn.example.org\n' >"$WG/network.yaml"
if (cd "$TOP" && ./build.sh -q -c "$WG/network.yaml" -o "$WG/out" -r /nonexistent) >"$WG/build.log" 2>&1; then
	tar -xpf "$WG/out/overlay.tar.gz" -C "$WG/root"
	tm new-window -d -n wg -e LC_ALL=C.UTF-8 -e NCURSES_NO_UTF8_ACS=1 -e TERM=tmux-256color \
		"$WG/root/usr/sbin/scout-console --root $WG/root"
	check "wireguard: the server, its port, no proxy" wait_screen wg "vpn.example.org 51820/udp WireGuard, handshake unknown"
	if [ -e /sys/module/wireguard ]; then
		check "wireguard: the kernel has WireGuard, no wg0 here" \
			wait_screen wg "tunnel DOWN: wg0 is not there (systemd-networkd"
	else
		check "wireguard: the tunnel is down, WireGuard missing from the kernel said" \
			wait_screen wg "tunnel DOWN: WireGuard is not available in this kernel"
	fi
	keys wg n
	keys wg p
	check "wireguard: Proxy says WireGuard takes none" wait_screen wg "WireGuard is UDP only"
	tm kill-window -t wg
else
	not_ok "wireguard: build.sh failed"
	cat "$WG/build.log"
fi

finish
