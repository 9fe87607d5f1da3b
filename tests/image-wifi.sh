#!/usr/bin/env bash
# make check-image, Wi-Fi: the scout's ISO, booted in QEMU (TCG) with no
# wired NIC at all, reaches the expert over Wi-Fi. Everything else is in
# the guest, from a test-only layer this script adds to a copy of the ISO
# (the ISO that ships stays as built; tests/wifilab/ holds the layer's
# parts):
#   mac80211_hwsim radios: phy0 the scout's (iwd's wlan0), the others in
#   netns ap: hostapd access points (WPA2-PSK: lan.wifi's network, a second
#   one the console joins, one whose SSID holds an escape sequence), dnsmasq
#   DHCP on them, the expert's OpenVPN server (exports/server) at
#   vpn.server; netns exp: the expert (exports/expert), routed to it.
# Checked: the scout joins lan.wifi's network at boot, after its firewall,
# and its VPN comes up over it (the expert's ssh lands in the container);
# the console's Network > Wi-Fi lists the networks, a wrong passphrase is
# shown as such and changes nothing, the right one joins, disconnect; nmap
# from the access points' side finds nothing open. Bounded waits; on
# failure the serial tail, the journal and the lab's logs are shown.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vmlib.sh"

need image-wifi "needs root (loop mounts, chroot)" test "$(id -u)" -eq 0
for tool in qemu-system-x86_64 xorriso mksquashfs; do
	need image-wifi "$tool is not installed (./build.sh deps image)" command -v "$tool" >/dev/null
done

LAB=$TOP/tests/wifilab
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/scout-netgen
SSID=scout-lab SSID2=scout-lab-2
# An SSID with CSI "clear screen" and an OSC title in it, as hostapd's
# P"..." writes bytes; the console must show it as \x1b...
EVIL_P='evil\x1b[2J\x1b]0;pwned\x07'
EVIL_RAW=$'evil\e[2J\e]0;pwned\a' EVIL_SHOWN='evil\x1b[2J\x1b]0;pwned\x07'
PSK=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n') PSK2=second-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
T_START=$(date +%s.%N)

# --- the image, for a profile with lan.wifi ------------------------------
mkdir -p "$TMP/cfg/wifi"
printf '%s\n' "$PSK" >"$TMP/cfg/wifi/$SSID.psk"
chmod 600 "$TMP/cfg/wifi/$SSID.psk"
cat >"$TMP/cfg/network.yaml" <<YAML
vpn:
  server: 203.0.113.1
container:
  dns: [192.168.70.1]
lan:
  wifi:
    - ssid: $SSID
      passphrase_file: wifi/$SSID.psk
YAML
build_image ", with lan.wifi" "image build (base cached or not)"
iso_kernel -extract /live/00-base.squashfs "$TMP/base.squashfs" -extract /live/filesystem.module "$TMP/filesystem.module"

# --- the lab's programs: Debian packages on top of the base, cached -------
# lab_packages DIR: DIR/upper holds what apt-get install of packages.list
# adds to the ISO's base (an overlayfs on it, in a chroot); kept in the
# cache by the base's and the list's digests.
list() { sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$1"; }
lab_packages() {
	local dir=$1 work=$1.work
	rm -rf "$work"
	mkdir -p "$work/lower" "$work/upper" "$work/ovl" "$work/root"
	# The host's sources of Debian's archive (behind a mirror as apt is).
	grep -l 'debian' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
		xargs -r grep -L '^[^#]*https:' >"$work/sources"
	unshare -m --propagation private bash -euo pipefail -c '
		w=$1 r=$1/root
		mount -t squashfs -o ro,loop "$2" "$w/lower"
		mount -t overlay overlay -o "lowerdir=$w/lower,upperdir=$w/upper,workdir=$w/ovl" "$r"
		mount -t proc proc "$r/proc" && mount --bind /dev "$r/dev" && mount -t tmpfs tmpfs "$r/run" && mount -t tmpfs tmpfs "$r/tmp"
		mount -t tmpfs tmpfs "$r/etc/apt/sources.list.d"
		while read -r f; do cp "$f" "$r/etc/apt/sources.list.d/"; done <"$w/sources"
		# A resolv.conf for apt only (the base s may be a link into /run).
		cp /etc/resolv.conf "$w/resolv" && mount --bind "$w/resolv" "$r/etc/resolv.conf" 2>/dev/null ||
			{ mkdir -p "$r/run/systemd/resolve" && cp /etc/resolv.conf "$r/run/systemd/resolve/stub-resolv.conf"; }
		export DEBIAN_FRONTEND=noninteractive
		chroot "$r" apt-get update -qq
		chroot "$r" apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-unsafe-io $3
	' sh "$work" "$TMP/base.squashfs" "$(list "$LAB/packages.list" | tr '\n' ' ')" >"$work/apt.log" 2>&1 ||
		{ tail -20 "$work/apt.log"; return 1; }
	# What apt keeps for itself is not the layer's.
	rm -rf "$work/upper/var/lib/apt/lists" "$work/upper/var/cache" "$work/upper/var/log" "$work/upper/tmp" \
		"$work/upper/run" "$work/upper/etc/resolv.conf" "$work/upper/etc/apt/sources.list.d"
	mv "$work" "$dir"
}
key=$({ sha256sum <"$TMP/base.squashfs"; list "$LAB/packages.list"; } | sha256sum | cut -c1-16)
t0=$(date +%s.%N)
if [ ! -d "$CACHE/wifilab-$key" ]; then
	mkdir -p "$CACHE"
	lab_packages "$CACHE/wifilab-$key" || { not_ok "the lab's packages (apt-get install in a chroot on the base)"; finish; exit; }
fi
figure "the lab's packages (cached or not)" "$(elapsed "$t0")"
UPPER=$CACHE/wifilab-$key/upper
# Merged /usr: a package that put files under /bin, /sbin or /lib* would
# be shadowing the base's links there.
check "the lab's packages add nothing under /bin, /sbin, /lib*" \
	test -z "$(cd "$UPPER" && ls -d bin sbin lib lib32 lib64 libx32 2>/dev/null)"
check "and delete nothing of the base (no whiteouts)" test -z "$(find "$UPPER" -type c -print -quit)"

# --- the test-only layer and the ISO copy --------------------------------
L=$TMP/layer/usr/lib/wifilab
mkdir -p "$L" "$TMP/layer/etc/systemd/system/multi-user.target.wants"
cp -a "$UPPER/." "$TMP/layer/"
cp "$LAB/lab.sh" "$LAB/expert-ssh" "$L/"
cp "$LAB/wifilab.service" "$TMP/layer/etc/systemd/system/"
ln -s ../wifilab.service "$TMP/layer/etc/systemd/system/multi-user.target.wants/wifilab.service"
cp -a "$TMP/out/exports/server" "$TMP/out/exports/expert" "$L/"
printf 'VPN_SERVER=203.0.113.1\nAP_IFACES="wlan1:192.168.70.1/24 wlan2:192.168.71.1/24"\n' >"$L/lab.env"
# hostapd_conf N CHANNEL SSID_LINE PASSPHRASE
hostapd_conf() {
	printf 'interface=wlan%s\ndriver=nl80211\nhw_mode=g\nchannel=%s\n%s\nwpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\nwpa_passphrase=%s\n' \
		"$1" "$2" "$3" "$4" >"$L/hostapd-$1.conf"
	chmod 600 "$L/hostapd-$1.conf"
}
hostapd_conf 1 1 "ssid=$SSID" "$PSK"
hostapd_conf 2 6 "ssid=$SSID2" "$PSK2"
hostapd_conf 3 11 "ssid2=P\"$EVIL_P\"" "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mksquashfs "$TMP/layer" "$TMP/95-wifilab.squashfs" -comp zstd -noappend -quiet >/dev/null
{ cat "$TMP/filesystem.module"; echo 95-wifilab.squashfs; } >"$TMP/filesystem.module.lab"
# The copy is booted by QEMU's -kernel and -initrd, so it needs no boot
# records of its own (and xorriso cannot replay grub-mkrescue's GPT around
# added files: its partitions would overlap).
ISO=$TMP/lab.iso
check "the test-only layer goes into a copy of the ISO" quiet xorriso -indev "$TMP/out/scout.iso" -outdev "$ISO" \
	-boot_image any discard -map "$TMP/95-wifilab.squashfs" /live/95-wifilab.squashfs \
	-map "$TMP/filesystem.module.lab" /live/filesystem.module 2>"$TMP/xorriso.log"
check "the ISO that ships has no lab in it" not sh -c 'xorriso -indev "$1" -find /live -name "*wifilab*" 2>/dev/null | grep -q .' sh "$TMP/out/scout.iso"
figure "build to the lab's ISO" "$(elapsed "$T_START")"

# --- the boot: no wired NIC, Wi-Fi is the only way out --------------------
BOOT_WAIT=${IMAGE_BOOT_WAIT:-300}
lab_failure() {
	show_failure
	echo "--- the lab's and iwd's journal, and the lab's logs:"
	on_vm "journalctl -b --no-pager -n 30 -u wifilab -u iwd; tail -n 15 /run/wifilab/*.log" | tail -60
}
boot wifi ""
if ! t_login=$(wait_serial 'Scout console - ' "$BOOT_WAIT"); then
	not_ok "the scout boots to the owner's console"
	show_failure
	finish
	exit
fi
figure "QEMU start -> the owner's console" "$(since_boot "$t_login")"
check "the console's Shell gives a root shell" vm_shell
check "the lab is up in the guest (wifilab.service)" test "$(on_vm 'systemctl is-active wifilab.service')" = active
# hwsim0 is the lab's: mac80211_hwsim's monitor of the air, down.
check "the scout has no wired interface: wlan0 is its only LAN" \
	test "$(on_vm "ls /sys/class/net | grep -v -x -e lo -e tap0 -e ve-container -e hwsim0 | tr '\n' ' '")" = "wlan0 "

# 1. lan.wifi's network joined at boot, after the firewall
# The SSID wlan0 is joined to: associated (iw's link) and through the
# 4-way handshake, which a wrong passphrase fails (the kernel's station
# entry for the access point is then authorized).
wlan_link() {
	on_vm "iw dev wlan0 station dump | grep -q 'authorized:[[:space:]]*yes' && iw dev wlan0 link" |
		sed -n 's/^[[:space:]]*SSID: //p'
}
joined=
for _ in $(seq 120); do
	[ "$(wlan_link)" = "$SSID" ] && { joined=$(date +%s.%N); break; }
	sleep 1
done
if [ -n "$joined" ]; then
	ok "1: wlan0 joined lan.wifi's '$SSID' at boot"
	figure "QEMU start -> wlan0 joined (seen)" "$(since_boot "$joined")"
else
	not_ok "1: wlan0 joined lan.wifi's '$SSID' at boot"
fi
wlan_addr() { on_vm "ip -4 -o addr show dev wlan0" | sed -n 's|.* inet \([0-9.]*\)/24 .*|\1|p'; }
for _ in $(seq 30); do WLAN_IP=$(wlan_addr) && [ -n "$WLAN_IP" ] && break; sleep 1; done
check "1: wlan0 has its address from the access point's DHCP ($WLAN_IP)" \
	on_vm "grep -q ' $WLAN_IP ' /run/wifilab/leases && grep -q \"\$(cat /sys/class/net/wlan0/address)\" /run/wifilab/leases"
case $WLAN_IP in 192.168.70.*) ok "1: in the access point's subnet" ;; *) not_ok "1: in the access point's subnet ('$WLAN_IP')" ;; esac
firewall_first 1 iwd.service wlan0

# 2. the VPN over Wi-Fi, and the expert's SSH through it
vpn_up=
for _ in $(seq 120); do
	on_vm "ip -4 -o addr show dev tap0" | grep -q ' 10.1.0.2/' && { vpn_up=$(date +%s.%N); break; }
	sleep 1
done
if [ -n "$vpn_up" ]; then
	ok "2: tap0 has vpn.scout_address 10.1.0.2"
	kernel_clock
	journal_figure openvpn-client@scout 'Initialization Sequence Completed' "QEMU start -> VPN up over Wi-Fi"
else
	not_ok "2: tap0 has vpn.scout_address 10.1.0.2"
fi
check "2: the VPN server is reached through wlan0" on_vm "ip -4 route get 203.0.113.1 | grep -q ' dev wlan0 '"
ssh_ok=
for _ in $(seq 60); do
	out=$(on_vm "/usr/lib/wifilab/expert-ssh scout 'hostname; ip -4 -o addr show dev eth0' 2>&1") &&
		{ ssh_ok=$(date +%s.%N); break; }
	sleep 2
done
[ -n "$ssh_ok" ] && figure "QEMU start -> the expert's SSH over Wi-Fi (polled after the checks)" "$(since_boot "$ssh_ok")"
check "2: the expert's ssh scout lands in the container" \
	sh -c 'printf "%s\n" "$1" | grep -qx container && printf "%s\n" "$1" | grep -q "inet 10.0.3.2/24"' sh "$out"

# 3. nmap from the access point's side finds nothing open
# nmap_ap ARGS: the open ports nmap in netns ap finds (none: nothing); a
# scan that did not run says so. A full TCP scan takes the emulated CPU
# minutes: nmap runs in the background and its report is polled for.
nmap_ap() {
	local out id=$RANDOM
	on_vm "(ip netns exec ap nmap -n -Pn $* --max-retries 1 --min-rate 3000 -oG /run/wifilab/nmap-$id >/run/wifilab/nmap-$id.log 2>&1 &)" >/dev/null
	for _ in $(seq 100); do
		out=$(on_vm "cat /run/wifilab/nmap-$id") && grep -q '^# Nmap done' <<<"$out" && break
		sleep 3
	done
	if ! grep -q '^# Nmap done at .* 1 IP address (1 host up)' <<<"$out"; then
		echo "nmap did not scan: $(tail -2 <<<"$out")"
		return
	fi
	grep -o '[0-9]*/open/[a-z]*' <<<"$out" || true
}
WLAN_LL=$(on_vm "ip -6 -o addr show dev wlan0 scope link" | sed -n 's|.* inet6 \(fe80::[0-9a-f:]*\)/64 .*|\1|p')
check "3: the scout answers ping from the access point's side (IPv4)" on_vm "ip netns exec ap ping -c 2 -W 2 $WLAN_IP >/dev/null"
check "3: and at its IPv6 link-local address ($WLAN_LL)" on_vm "ip netns exec ap ping -6 -c 2 -W 2 $WLAN_LL%wlan1 >/dev/null"
t0=$(date +%s.%N)
check "3: Wi-Fi -> scout IPv4, TCP 1-65535: none open" test -z "$(nmap_ap -sS -p 1-65535 "$WLAN_IP")"
check "3: Wi-Fi -> scout IPv4, UDP top 200: none open" test -z "$(nmap_ap -sU --top-ports 200 "$WLAN_IP")"
check "3: Wi-Fi -> scout IPv6 link-local, TCP 1-65535: none open" test -z "$(nmap_ap -6 -sS -p 1-65535 "$WLAN_LL%wlan1")"
check "3: Wi-Fi -> scout IPv6 link-local, UDP top 200: none open" test -z "$(nmap_ap -6 -sU --top-ports 200 "$WLAN_LL%wlan1")"
figure "the nmap scans" "$(elapsed "$t0")"

# 4. the console's Network > Wi-Fi, keys on the serial port
# What "changes nothing" is read against: iwd's storage (its files and
# their bytes) and the link before the attempt.
iwd_state() { on_vm "cd /run/iwd && sha256sum * | sort"; }
state_before=$(iwd_state)
check "4: iwd keeps lan.wifi's network under /run/iwd" grep -q " $SSID.psk\$" <<<"$state_before"
from=$(serial_lines)
check "4: back to the console" leave_shell
check "4: Network, Wi-Fi: the networks in range" console_keys nw 'networks in range'
check "4: the list has lan.wifi's network, connected, with its signal and security" \
	quiet wait_serial "[1-9] $SSID +-[0-9]+ dBm [*]+ +WPA-PSK +connected" 30 "$from"
# ncurses draws of a row only what differs from the row above: the
# second network's signal and security may be the first's bytes.
check "4: and the second network" quiet wait_serial "[1-9] $SSID2( |\$)" 30 "$from"
check "4: the SSID with escape sequences is shown escaped" grep -qF "$EVIL_SHOWN" "$SERIAL"
check "4: and never raw on the serial port" not grep -qaF "$EVIL_RAW" "$SERIAL.raw"
# The row of SSID2, as the screen last drew it.
row2() { grep -oE "[1-9] $SSID2( |\$)" "$SERIAL" | tail -1 | cut -c1; }
# A wrong passphrase: said so; then the scout is where it was.
from=$(serial_lines)
check "4: choosing '$SSID2' asks for its passphrase" console_keys "$(row2)" "The passphrase of '$SSID2' \\(WPA-PSK\\)"
printf 'wrong-passphrase-123\r' >&7
check "4: a wrong passphrase is shown as such" \
	quiet wait_serial "Wrong passphrase: '$SSID2' did not accept it. Not joined." 90 "$from"
check "4: and iwd keeps no known network of it" quiet wait_serial "iwd keeps no known network '$SSID2'\\." 10 "$from"
check "4: and reads back the link iwd has then" quiet wait_serial "Now, as iwd says: wlan0 (dis)?connected" 10 "$from"
check "4: the passphrase typed was never on the serial port" not grep -qaF wrong-passphrase "$SERIAL.raw"
printf '\r' >&7
back_to_shell() { console_keys $'\e' 'Wi-Fi  +networks in range' && console_keys b 'Power off' && vm_shell; }
check "4: back to the Shell" back_to_shell
# iwd left '$SSID' to try '$SSID2': it joins its known network again by
# itself; nothing else may differ.
relinked=
for _ in $(seq 60); do [ "$(wlan_link)" = "$SSID" ] && { relinked=1; break; }; sleep 1; done
check "4: wrong passphrase: wlan0 is on '$SSID' again" test -n "$relinked"
until_addr() { for _ in $(seq 30); do [ "$(wlan_addr)" = "$WLAN_IP" ] && return 0; sleep 1; done; return 1; }
check "4: with the same address ($WLAN_IP)" until_addr
check "4: iwd's storage is as it was (the same files, the same bytes)" test "$(iwd_state)" = "$state_before"
check "4: the VPN is up again" until_ok 60 quiet on_vm "ip -4 -o addr show dev tap0 | grep -q ' 10.1.0.2/'"
# The right passphrase joins, as iwd and the kernel read back.
to_wifi_screen() { leave_shell && console_keys nw 'networks in range'; }
from=$(serial_lines)
check "4: back to the console's Wi-Fi screen" to_wifi_screen
wait_serial "[1-9] $SSID2( |\$)" 30 "$from" >/dev/null
from=$(serial_lines)
console_keys "$(row2)" "The passphrase of '$SSID2'" >/dev/null
printf '%s\r' "$PSK2" >&7
# The dialog's lines are drawn one by one.
check "4: the right passphrase joins '$SSID2', as iwd says" quiet wait_serial "iwd joined '$SSID2'\\." 90 "$from"
check "4: and reads back the link" quiet wait_serial "Now, as iwd says: wlan0 connected to '$SSID2' -[0-9]+ dBm" 10 "$from"
check "4: the passphrase was never on the serial port" not grep -qaF "$PSK2" "$SERIAL.raw"
printf '\r' >&7
check "4: back to the Shell" back_to_shell
check "4: the kernel says wlan0 is on '$SSID2'" test "$(wlan_link)" = "$SSID2"
in_subnet2() { case $(wlan_addr) in 192.168.71.*) return 0 ;; esac; return 1; }
check "4: with an address of its access point's DHCP (192.168.71.0/24)" until_ok 30 in_subnet2
check "4: iwd keeps '$SSID2' under /run/iwd, 0600" \
	test "$(on_vm "stat -c %a /run/iwd/$SSID2.psk")" = 600
check "4: back to the console's Wi-Fi screen" to_wifi_screen
from=$(serial_lines)
check "4: Disconnect asks first" console_keys d 'Disconnect\? iwd then joins no network by itself'
printf y >&7
check "4: disconnected" quiet wait_serial 'Disconnected\.' 30 "$from"
check "4: as iwd says" quiet wait_serial 'Now, as iwd says: wlan0 disconnected\.' 10 "$from"
printf '\r' >&7
check "4: back to the Shell again" back_to_shell
check "4: the kernel says wlan0 is on no network" test "$(on_vm 'iw dev wlan0 link')" = "Not connected."
[ "$FAILED" -eq 0 ] || lab_failure
shutdown_vm
figure "the whole suite" "$(elapsed "$T_START")"
finish
