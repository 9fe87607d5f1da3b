#!/usr/bin/env bash
# lan.wifi's files read by what reads them on the scout: the network files
# and main.conf by ell's l_settings (the parser iwd 2.3 links, from the same
# libell0), the iwd.service drop-ins by systemd-analyze verify over
# Debian's iwd.service, and the drop-in's ExecStartPre run as systemd runs
# it, in a mount namespace with /etc/scout/iwd and /run/iwd as on the
# scout. Real iwd cannot start here (it needs the kernel's AF_ALG ciphers
# and nl80211); the in-guest lab of make check-image runs it.
. "$(dirname "$0")/lib.sh"

export SOURCE_DATE_EPOCH=1700000000
SETTINGS=$TOP/tests/.bin/iwd-settings
need "ell's parser" "tests/.bin/iwd-settings is not built (make check builds it)" test -x "$SETTINGS"
need "Debian's iwd.service" "the iwd package is not installed (./build.sh deps check)" \
	test -f /lib/systemd/system/iwd.service

CASE=$TMP/case
cp -r "$TOP/tests/good/wifi" "$CASE" && rm -rf "$CASE/expected" "$CASE/expected-rules"
(cd "$CASE" && "$GEN" build -q -c network.yaml -o "$TMP/out" -t "$TOP/templates" -r /nonexistent) 2>/dev/null
mkdir "$TMP/root" && tar -xpf "$TMP/out/overlay.tar.gz" -C "$TMP/root"
IWD=$TMP/root/etc/scout/iwd

# parsed NAME FILE EXPECTED: ell reads FILE as EXPECTED says, exactly.
parsed() {
	if ! "$SETTINGS" "$2" >"$TMP/parsed" 2>&1; then
		not_ok "$1: ell refuses it"
		cat "$TMP/parsed"
		return
	fi
	printf '%s\n' "$3" >"$TMP/want"
	same_text "$1" "$TMP/want" "$TMP/parsed"
}

# The passphrases as the profile's files hold them, without the newline.
pass() { head -n1 "$CASE/wifi/$1"; }
parsed "scout-lab.psk: spaces come back" "$IWD/scout-lab.psk" \
	"[Security] Passphrase=$(pass scout-lab.psk)
[Settings] AutoConnect=true"
parsed "Café #2 (=hex name): a backslash comes back" "$IWD/=436166c3a9202332.psk" \
	"[Security] Passphrase=$(pass cafe.psk)
[Settings] AutoConnect=true"
parsed "Hotel Guest_5G: the 64-hex key is PreSharedKey" "$IWD/Hotel Guest_5G.psk" \
	"[Security] PreSharedKey=$(pass hotel.psk)
[Settings] AutoConnect=true"
parsed "Library.open" "$IWD/Library.open" "[Settings] AutoConnect=true"
parsed "main.conf" "$TMP/root/etc/iwd/main.conf" "[General] EnableNetworkConfiguration=false"

# The drop-ins over Debian's own unit: systemd finds nothing to say.
units=$TMP/units
mkdir -p "$units" && cp -r "$TMP/root/etc/systemd/system/." "$units/"
SYSTEMD_UNIT_PATH=$units:/lib/systemd/system: systemd-analyze verify --man=no iwd.service >"$TMP/verify" 2>&1
check "systemd-analyze verify iwd.service with the drop-ins: nothing to say" test ! -s "$TMP/verify"
[ -s "$TMP/verify" ] && cat "$TMP/verify"
check "the drop-ins are iwd's: verify reads them (a wrong key is reported)" sh -c "
	echo Bogus=1 >>'$units/iwd.service.d/scout-run.conf'
	SYSTEMD_UNIT_PATH='$units':/lib/systemd/system: systemd-analyze verify --man=no iwd.service 2>&1 |
		grep -q \"Unknown key 'Bogus'\""

# The ExecStartPre line, run as the unit runs it (no shell), with the
# overlay's etc over the host's /etc (a read-only overlayfs: nothing is
# written to the host's) and a fresh /run/iwd (0700, as
# RuntimeDirectoryMode= makes it): the networks arrive 0600; a network iwd
# has rewritten since (a joined one's PreSharedKey) is kept on restart.
pre=$(sed -n 's/^ExecStartPre=//p' "$TMP/root/etc/systemd/system/iwd.service.d/scout-run.conf")
check "one ExecStartPre, copying from /etc/scout/iwd to /run/iwd" \
	test "$(printf '%s\n' "$pre" | grep -c '/etc/scout/iwd/\. /run/iwd/$')" = 1
# shellcheck disable=SC2016 # expanded by the namespace's shell
unshare -m --propagation private sh -c '
	set -e
	mount -t overlay overlay -o "lowerdir=$1/etc:/etc" /etc
	mount -t tmpfs -o mode=0755 tmpfs /run
	install -d -m 0700 /run/iwd
	$2
	stat -c "%a %n" /run/iwd /run/iwd/* >"$3/first"
	echo "rewritten" >/run/iwd/scout-lab.psk
	$2
	cat /run/iwd/scout-lab.psk >"$3/second"
	cmp /run/iwd/Library.open "$1/etc/scout/iwd/Library.open"' sh "$TMP/root" "$pre" "$TMP" >"$TMP/pre.log" 2>&1 ||
	{ not_ok "ExecStartPre in a mount namespace"; cat "$TMP/pre.log"; }
printf '%s\n' "700 /run/iwd" "600 /run/iwd/=436166c3a9202332.psk" "600 /run/iwd/Hotel Guest_5G.psk" \
	"600 /run/iwd/Library.open" "600 /run/iwd/scout-lab.psk" >"$TMP/want-first"
same_text "ExecStartPre: the four networks in /run/iwd, 0600 in 0700" "$TMP/want-first" "$TMP/first"
check "ExecStartPre again (iwd restarted): what iwd rewrote is kept" grep -qx rewritten "$TMP/second"

# The Wi-Fi link is a LAN link: networkd's file and the firewall match it
# with the default lan.interfaces.
names=$(sed -n 's/^Name=//p' "$TMP/root/etc/systemd/network/80-scout-lan.network")
# shellcheck disable=SC2086 # the globs, one word each
check "80-scout-lan.network matches wlan0 (Name=$names)" sh -c 'for g; do case wlan0 in $g) exit 0;; esac; done; exit 1' sh $names
(cd "$CASE" && "$GEN" rules -q -c network.yaml -o "$TMP/rules") 2>/dev/null
check "the firewall's LAN rules name wlan+" grep -q -- '-i wlan+' "$TMP/rules/rules.v4"

finish
