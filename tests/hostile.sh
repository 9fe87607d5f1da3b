#!/usr/bin/env bash
# Hostile inputs: each gets its error, in bounded memory and time, and
# nothing is written. Run with the plain generator (no sanitizer, so the
# memory bound means something) under ulimit and timeout.
. "$(dirname "$0")/lib.sh"

PLAIN=$TOP/generator/scout-netgen
MEM_KB=262144 # 256 MiB of address space
cd "$TMP" || exit 1
cp -r "$TOP/templates" templates
mkdir -p config && printf 'vpn:\n  server: vpn.example.org\n' >config/network.yaml
"$PLAIN" build -q -r /nonexistent -o out 2>/dev/null
sums=$(sha256sum out/overlay.tar.gz)

# hostile NAME WANT_STDERR_FIRST_LINE ARGS...: exit 1, that error first,
# within the limits, and the previous overlay untouched.
hostile() {
	local name=$1 want=$2 rc=0
	shift 2
	(ulimit -v "$MEM_KB" && exec timeout 10 "$PLAIN" build -q -r /nonexistent -o out "$@") >/dev/null 2>err || rc=$?
	check "$name: exit 1 within 10 s and 256 MiB (got $rc)" test "$rc" -eq 1
	check "$name: '$want'" test "$(head -1 err)" = "$want"
	check "$name: overlay untouched" test "$(sha256sum out/overlay.tar.gz)" = "$sums"
	check "$name: no temporary file" test "$(find out -name '.*' | wc -l)" -eq 0
}

head -c 100000000 /dev/zero | tr '\0' 'a' >big.yaml
hostile "a 100 MB profile" "big.yaml: error: the profile is larger than 1048576 bytes" -c big.yaml
{ printf 'vpn:\n  server: vpn.example.org\nx: '; head -c 1000000 /dev/zero | tr '\0' '['; } >deep.yaml
hostile "a million nested lists" "deep.yaml:3:35: error: nesting deeper than 32 levels" -c deep.yaml
{ printf 'vpn:\n  server: vpn.example.org\n'; for i in $(seq 40000); do echo "k$i: [1, 2]"; done; } >keys.yaml
hostile "40,000 unknown keys" "keys.yaml:3:1: error: unknown key 'k1'" -c keys.yaml
{ printf 'vpn:\n  server: vpn.example.org\n'; for i in $(seq 30000); do echo "port: $i"; done; } >dups.yaml
hostile "30,000 duplicate keys" "dups.yaml:4:1: error: duplicate key 'port' (first at line 3)" -c dups.yaml
prefix="  tcp: [$(seq -s, 1 30000), "
printf 'vpn:\n  server: vpn.example.org\nforward:\n%s1-65535]\n' "$prefix" >ports.yaml
hostile "30,000 ports, then all of them again" \
	"ports.yaml:4:$((${#prefix} + 1)): error: forward.tcp: port 1 is already forwarded by '1' on line 4" -c ports.yaml
{ printf 'vpn:\n  server: vpn.example.org\nforward:\n  tcp: ['; seq -s, 1 65535; printf '  , 7]\n'; } >many.yaml
hostile "65,536 ports" "many.yaml:4:8: error: forward.tcp: more than 65535 items" -c many.yaml
# Found by fuzz_profile: with one realloc per rule, a profile forwarding
# 20,000 ports took over 10 s under ASan. Every TCP and UDP port forwarded
# (131,047 DNAT rules) must take well under that, sanitizers and all.
printf 'vpn:\n  server: vpn.example.org\nforward:\n  tcp: [24-65535]\n  udp: [1-65535]\n' >all-ports.yaml
check "every port forwarded: rules within 10 s under ASan" timeout 10 "$GEN" rules -q -c all-ports.yaml -o all-ports
check "every port forwarded: 131,047 DNAT rules" test "$(grep -c -- '-j DNAT' all-ports/rules.v4)" -eq 131047
printf 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n' >laughs.yaml
hostile "billion laughs" "laughs.yaml:1:4: error: YAML anchors (&a) are not supported" -c laughs.yaml
printf 'vpn:\n  server: vpn.example.org\n' >unreadable.yaml
chmod 000 unreadable.yaml
if [ "$(id -u)" -ne 0 ]; then
	hostile "an unreadable profile" "unreadable.yaml: error: cannot read the profile: Permission denied" -c unreadable.yaml
fi
mkdir -p res/etc && ln -s ../../../etc/shadow res/etc/shadow
hostile "a resource symlink out of the image" \
	"res/etc/shadow: error: the symbolic link points outside the image's root ('../../../etc/shadow')" -r res
# Names and link targets that would drive the builder's terminal: their
# bytes are shown escaped, never sent raw.
mkdir -p res-esc/etc && : >"res-esc/etc/a"$'\e[2J\x9b'"b"
hostile "a resource named with ESC and CSI" \
	'res-esc/etc/a\x1b[2J\x9bb: error: the file name contains a control character' -r res-esc
mkdir -p res-link/etc && ln -s "../../.."$'/\e]0;owned\a' res-link/etc/title
hostile "a resource link whose target holds ESC and BEL" \
	"res-link/etc/title: error: the symbolic link points outside the image's root ('../../../\\x1b]0;owned\\x07')" -r res-link
check "and no raw ESC anywhere in its messages" test "$(grep -c $'\e' err)" -eq 0

# Resources are streamed into the archive, never held whole: ten 60 MiB
# files (sparse, so the disk holds none of it) build within the same
# 256 MiB of address space, as tar.gz and as plain tar (the archive is
# 600 MiB then, and is not held either). Before, the build needed 625 MB.
mkdir -p resbig10/srv
for i in 0 1 2 3 4 5 6 7 8 9; do truncate -s 60M "resbig10/srv/zero$i"; done
for fmt in tar.gz tar; do
	rc=0
	(ulimit -v "$MEM_KB" && exec timeout 60 "$PLAIN" build -q -r resbig10 -f "$fmt" -o big-$fmt) >/dev/null 2>err || rc=$?
	check "ten 60 MiB resources, $fmt: built within 256 MiB (got $rc)" test "$rc" -eq 0
	check "ten 60 MiB resources, $fmt: all of them in the archive, whole" \
		test "$(tar -tvf "big-$fmt/overlay.$fmt" 2>/dev/null | awk '$6 ~ /^srv\/zero/ && $3 == 62914560' | wc -l)" -eq 10
done
rm -rf big-tar
# A resource that changes size between the listing and the packing is an
# error, and nothing is written: tests/tools/grow.c makes it one byte
# longer as the packing opens it.
sums_big=$(sha256sum big-tar.gz/overlay.tar.gz)
rc=0
(ulimit -v "$MEM_KB" && LD_PRELOAD=$TOP/tests/.bin/grow.so GROW_PATH=resbig10/srv/zero9 \
	exec "$PLAIN" build -q -r resbig10 -f tar -o big-tar.gz) >/dev/null 2>err || rc=$?
check "a resource that changed while packed: exit 1" test "$rc" -eq 1
check "a resource that changed while packed: its error" grep -qx 'resbig10/srv/zero9: error: changed while the build read it' err
check "a resource that changed while packed: the old overlay stays" test "$(sha256sum big-tar.gz/overlay.tar.gz)" = "$sums_big"
check "a resource that changed while packed: no temporary file" test "$(find big-tar.gz -name '.*' | wc -l)" -eq 0

if [ "$(id -u)" -eq 0 ]; then
	# An unreadable profile, for a user other than root; the generator
	# copied into TMP, for nobody may not enter the checkout.
	rc=0
	cp "$PLAIN" plain-other && chmod 755 plain-other
	setpriv --reuid=nobody --regid=nogroup --clear-groups ./plain-other check -c unreadable.yaml 2>err || rc=$?
	check "an unreadable profile: exit 1" test "$rc" -eq 1
	check "an unreadable profile: its error" grep -qx 'unreadable.yaml: error: cannot read the profile: Permission denied' err
	# A read-only and a full output directory, as small tmpfs mounts of our own.
	for kind in ro full; do
		mkdir "$kind"
		opts=size=64k
		[ $kind = ro ] && opts=ro,size=64k
		mount -t tmpfs -o "$opts" scout-test "$kind" || { not_ok "mount a tmpfs"; continue; }
		at_exit "umount '$TMP/$kind'"
	done
	mount -o remount,rw full && head -c 40000 /dev/zero >full/filler
	rc=0
	"$PLAIN" build -q -r /nonexistent -o ro 2>err || rc=$?
	check "read-only output: exit 1" test "$rc" -eq 1
	check "read-only output: its error" grep -q '^ro/overlay.tar.gz: error: cannot write: Read-only file system$' err
	printf 'old\n' >full/overlay.tar.gz
	head -c 30000 /dev/urandom >res2 && mkdir -p resbig/etc && cp res2 resbig/etc/big
	rc=0
	"$PLAIN" build -q -r resbig -o full 2>err || rc=$?
	check "full output: exit 1" test "$rc" -eq 1
	check "full output: its error" grep -q '^full/overlay.tar.gz: error: cannot write: No space left on device$' err
	check "full output: the old file stays" test "$(cat full/overlay.tar.gz)" = old
	check "full output: no temporary file" test "$(find full -name '.*' | wc -l)" -eq 0

	# Full while the exports are written, after the overlay: the outputs
	# are one transaction, so the old overlay and exports all stay.
	mkdir full2
	mount -t tmpfs -o size=256k scout-test full2 && at_exit "umount '$TMP/full2'"
	"$PLAIN" keys -q -k keys
	"$PLAIN" build -q -k keys -r /nonexistent -o full2 2>/dev/null
	outputs() { (cd full2 && find . -path ./filler -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum); }
	old=$(outputs)
	avail=$(df --output=avail -B1 full2 | tail -1)
	head -c $((avail - 8 * 4096)) /dev/zero >full2/filler
	rc=0
	mkdir -p ressmall/etc && echo changed >ressmall/etc/motd
	"$PLAIN" build -q -k keys -r ressmall -o full2 2>err || rc=$?
	check "full during the exports: exit 1" test "$rc" -eq 1
	check "full during the exports: its error" grep -q '^full2/exports/.*: error: cannot write: No space left on device$' err
	check "full during the exports: the old overlay and exports stay, byte for byte" test "$(outputs)" = "$old"
	check "full during the exports: no temporary file" test "$(find full2 -name '.*' | wc -l)" -eq 0
else
	cannot_run "read-only and full output directories" "needs root to mount a tmpfs"
fi

finish
