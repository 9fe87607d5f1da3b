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
figure() { printf 'figure: %-44s %s\n' "$1" "$2"; }
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
t0=$(date +%s.%N)
if ! (cd "$TOP" && ./build.sh image -q -c "$TMP/cfg/network.yaml" -o "$TMP/out" -r /nonexistent) >"$TMP/build.log" 2>&1; then
	not_ok "./build.sh image, with lan.wifi"
	tail -30 "$TMP/build.log"
	finish
	exit
fi
figure "image build (base cached or not)" "$(elapsed "$t0")"
ISO=$TMP/out/scout.iso
xorriso -osirrox on -indev "$ISO" -extract /live/vmlinuz "$TMP/vmlinuz" -extract /live/initrd.img "$TMP/initrd.img" \
	-extract /boot/grub/grub.cfg "$TMP/grub.cfg" -extract /live/00-base.squashfs "$TMP/base.squashfs" \
	-extract /live/filesystem.module "$TMP/filesystem.module" >/dev/null 2>&1
CMDLINE=$(sed -n 's|^[[:space:]]*linux /live/vmlinuz ||p' "$TMP/grub.cfg")
check "the kernel command line is in grub.cfg" test -n "$CMDLINE"

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
ISO=$TMP/lab.iso
check "the test-only layer goes into a copy of the ISO" quiet xorriso -indev "$TMP/out/scout.iso" -outdev "$ISO" \
	-boot_image any replay -map "$TMP/95-wifilab.squashfs" /live/95-wifilab.squashfs \
	-map "$TMP/filesystem.module.lab" /live/filesystem.module
check "the ISO that ships has no lab in it" not sh -c 'xorriso -indev "$1" -find /live -name "*wifilab*" 2>/dev/null | grep -q .' sh "$TMP/out/scout.iso"
figure "build to the lab's ISO" "$(elapsed "$T_START")"
