#!/usr/bin/env bash
# The overlay archive read back with tar: owners, modes, symlinks, mtimes;
# byte-identical across users, umasks and output directories; and every
# kind of bad input leaves the previous archive untouched.
. "$(dirname "$0")/lib.sh"

export SOURCE_DATE_EPOCH=1700000000
KR=$TOP/tests/good/keys-resources

# A copy of the inputs every user can read: the shipped profile, the
# fixture's keys and resources; never the builder's config/ or resources/.
SRC=$TMP/src
mkdir -p "$SRC/config"
cp "$TOP/tests/fuzz/profile-seeds/shipped.yaml" "$SRC/config/network.yaml"
cp -r "$TOP/templates" "$SRC/"
cp -r "$KR/openvpn" "$SRC/config/"
cp -r "$KR/resources" "$SRC/resources"
chmod -R a+rX "$SRC"

build() { (cd "$SRC" && "$GEN" build -q "$@"); }

# --- contents ---
build -o "$TMP/a" 2>/dev/null
A=$TMP/a/overlay.tar.gz
tar --numeric-owner -tvf "$A" >"$TMP/list"
check "every entry outside the container's root is owned by 0/0" \
	test -z "$(awk '$6 !~ /^var\/lib\/machines\/container\// && $2 != "0/0"' "$TMP/list")"
check "every entry of the container's root is owned by its root under private users (1879048192)" \
	test -z "$(awk '$6 ~ /^var\/lib\/machines\/container\// && $2 != "1879048192/1879048192"' "$TMP/list")"
check "the container's entries carry no owner name, which tar would map" \
	test -z "$(tar -tvf "$A" | awk '$6 ~ /^var\/lib\/machines\/container\// && $2 != "1879048192/1879048192"')"
check "every mtime is SOURCE_DATE_EPOCH" \
	test -z "$(tar --full-time -tvf "$A" | awk '$4" "$5 != "2023-11-14 22:13:20"')"
mode_of() { awk -v p="$1" '$6 == p { print $1 }' "$TMP/list"; }
check "client.key is 0600" test "$(mode_of etc/openvpn/client/scout/client.key)" = "-rw-------"
check "ta.key is 0600" test "$(mode_of etc/openvpn/client/scout/ta.key)" = "-rw-------"
check "ca.crt is 0644" test "$(mode_of etc/openvpn/client/scout/ca.crt)" = "-rw-r--r--"
check "key directory is 0700" test "$(mode_of etc/openvpn/client/scout/)" = "drwx------"
check "/var/lib/machines keeps 0700" test "$(mode_of var/lib/machines/)" = "drwx------"
check "executable resource is 0755" test "$(mode_of usr/local/sbin/scout-menu)" = "-rwxr-xr-x"
check "other resources are 0644" test "$(mode_of etc/motd)" = "-rw-r--r--"
check ".gitkeep is not packed" test -z "$(grep gitkeep "$TMP/list")"
check "client unit enabled by symlink" grep -q \
	' etc/systemd/system/multi-user.target.wants/openvpn-client@scout.service -> /lib/systemd/system/openvpn-client@.service$' "$TMP/list"
# Every parent directory is listed before its children.
missing_parent=$(tar -tf "$A" | awk '{ p = $0; sub(/\/$/, "", p); n = split(p, a, "/"); d = "";
	for (i = 1; i < n; i++) { d = d a[i] "/"; if (!(d in seen)) print "no parent " d " for " $0 }
	if ($0 ~ /\/$/) seen[$0] = 1 }')
check "parents listed explicitly, before children" test -z "$missing_parent"
check "entries sorted" sh -c "tar -tf '$A' | sed 's:/\$::' | LC_ALL=C sort -c"
check "gzip header has no timestamp" test "$(od -An -tx1 -j4 -N4 "$A" | tr -d ' ')" = 00000000
mkdir "$TMP/root"
tar -xpf "$A" -C "$TMP/root"
check "unpacked config is the rendered one" grep -qx 'remote vpn.example.org 1194' "$TMP/root/etc/openvpn/client/scout.conf"
check "mask for 80-container-ve.network is empty" test -f "$TMP/root/etc/systemd/network/80-container-ve.network" -a ! -s "$TMP/root/etc/systemd/network/80-container-ve.network"

# perms FILE: its permission bits, as stat prints them (0600).
perms() { stat -c %a "$1"; }

# --- resources keep whether others may read them, and nothing else ---
RM=$TMP/res-modes
mkdir -p "$RM/etc/scout" "$RM/usr/local/bin"
for f in secret:600 tool:700 shared:664 run:775 grp:640 suid:4755 ro:444; do
	echo "${f%%:*}" >"$RM/etc/scout/${f%%:*}" && chmod "${f#*:}" "$RM/etc/scout/${f%%:*}"
done
chmod 700 "$RM/usr/local/bin"
build -o "$TMP/rm" -r "$RM" 2>/dev/null
tar -tvf "$TMP/rm/overlay.tar.gz" >"$TMP/rm.list"
rmode() { awk -v p="$1" '$6 == p { print $1 }' "$TMP/rm.list"; }
for f in secret:-rw------- tool:-rwx------ shared:-rw-r--r-- run:-rwxr-xr-x grp:-rw------- suid:-rwxr-xr-x \
	ro:-rw-r--r--; do
	check "resource mode: ${f%%:*} is packed ${f#*:}" test "$(rmode "etc/scout/${f%%:*}")" = "${f#*:}"
done
check "resource directories keep the modes of the live system (0755)" \
	test "$(rmode usr/local/bin/)" = drwxr-xr-x
check "an overlay with a 0600 resource is 0600" test "$(perms "$TMP/rm/overlay.tar.gz")" = 600
# A checkout under umask 002 (Ubuntu) or 022 (Debian): the same bytes.
for um in 002 022; do
	(umask $um && rm -rf "$TMP/rm-$um" && cp -r "$KR/resources" "$TMP/rm-$um-res" &&
		build -o "$TMP/rm-$um" -r "$TMP/rm-$um-res" 2>/dev/null)
done
check "resources checked out under umask 002 and 022: same bytes" \
	cmp -s "$TMP/rm-002/overlay.tar.gz" "$TMP/rm-022/overlay.tar.gz"
before_ww=$(sha256sum <"$TMP/rm/overlay.tar.gz")
chmod 666 "$RM/etc/scout/shared"
rc=0
build -o "$TMP/rm" -r "$RM" 2>"$TMP/err" || rc=$?
check "a resource others may write: exit 1" test "$rc" -eq 1
printf '%s\n' "$RM/etc/scout/shared: error: others may write it (mode 0666): anyone here could change what the image holds; chmod o-w" >"$TMP/want"
grep -v warning "$TMP/err" >"$TMP/err2"
same_text "a resource others may write: its error" "$TMP/want" "$TMP/err2"
chmod 664 "$RM/etc/scout/shared" && chmod 1777 "$RM/usr/local/bin"
rc=0
build -o "$TMP/rm" -r "$RM" 2>"$TMP/err" || rc=$?
check "a resource directory others may write: exit 1" test "$rc" -eq 1
check "a resource directory others may write: its error" \
	grep -qx "$RM/usr/local/bin: error: others may write it (mode 1777): anyone here could change what the image holds; chmod o-w" "$TMP/err"
check "a resource others may write: the overlay untouched" test "$(sha256sum <"$TMP/rm/overlay.tar.gz")" = "$before_ww"

# --- outputs holding private keys are kept from others, whatever the umask ---
PK=$TMP/pk
cp "$SRC/config/network.yaml" "$TMP/pk.yaml"
for um in 022 000; do
	rm -rf "$TMP/priv-$um"
	(umask $um && build -c "$TMP/pk.yaml" -K -k "$PK/openvpn" -s "$PK/ssh" -o "$TMP/priv-$um" -r /nonexistent 2>/dev/null)
	P=$TMP/priv-$um
	check "umask $um: the overlay with the scout's keys is 0600" test "$(perms "$P/overlay.tar.gz")" = 600
	for x in server expert; do
		check "umask $um: exports/$x.tar.gz (its private keys) is 0600" test "$(perms "$P/exports/$x.tar.gz")" = 600
	done
	check "umask $um: exports/ is 0700" test "$(perms "$P/exports")" = 700
	check "umask $um: every private key in the export trees is 0600" \
		test -z "$(find "$P/exports/server" "$P/exports/expert" -type f \( -name '*.key' -o -name id_ed25519 \) ! -perm 600)"
	check "umask $um: nothing in the export trees others may write" \
		test -z "$(find "$P/exports" ! -type l -perm -o+w)"
done
check "the export trees hold the keys checked above" test -f "$TMP/priv-022/exports/expert/etc/scout/id_ed25519"
# An exports/ an older build left open is closed by the next build.
chmod 755 "$TMP/priv-022/exports"
build -c "$TMP/pk.yaml" -k "$PK/openvpn" -s "$PK/ssh" -o "$TMP/priv-022" -r /nonexistent 2>/dev/null
check "an exports/ left 0755 is made 0700" test "$(perms "$TMP/priv-022/exports")" = 700
(umask 000 && build -k /nonexistent -s /nonexistent -o "$TMP/nokeys" -r /nonexistent 2>/dev/null)
check "an overlay without keys or private files is 0644" test "$(perms "$TMP/nokeys/overlay.tar.gz")" = 644

# --- reproducibility ---
for fmt in tar.gz tar.zst tar; do
	(umask 022 && build -f "$fmt" -o "$TMP/r1" 2>/dev/null)
	sleep 1
	(umask 077 && build -f "$fmt" -o "$TMP/r2/deeper" 2>/dev/null)
	check "$fmt: same bytes across umasks and output directories" \
		cmp -s "$TMP/r1/overlay.$fmt" "$TMP/r2/deeper/overlay.$fmt"
done
check "tar.zst unpacks" sh -c "tar --zstd -tf '$TMP/r1/overlay.tar.zst' >/dev/null"
SOURCE_DATE_EPOCH=1700000001 build -o "$TMP/r3" 2>/dev/null
check "another SOURCE_DATE_EPOCH gives other bytes" not cmp -s "$A" "$TMP/r3/overlay.tar.gz"
(unset SOURCE_DATE_EPOCH; build -o "$TMP/r4" 2>/dev/null)
check "unset SOURCE_DATE_EPOCH means mtime 0" \
	test -z "$(tar --full-time -tvf "$TMP/r4/overlay.tar.gz" | awk '$4" "$5 != "1970-01-01 00:00:00"')"

# ./build.sh makes the keys it misses (SSH keys here) beside its profile:
# it gets a copy of the inputs of its own.
BCFG=$TMP/bcfg/network.yaml
cp -r "$SRC/config" "$TMP/bcfg"
chmod 700 "$TMP/bcfg/openvpn" && chmod 600 "$TMP"/bcfg/openvpn/*.key

# The whole build, host-iptables compiled in, from build.sh: the same bytes
# in another output directory and with another umask.
(cd "$TOP" && umask 022 && ./build.sh -q -c "$BCFG" -o "$TMP/b1" -r /nonexistent) >/dev/null 2>&1
(cd "$TOP" && umask 077 && ./build.sh -q -c "$BCFG" -o "$TMP/b2/deeper" -r /nonexistent) >/dev/null 2>&1
check "build.sh: the overlay holds usr/sbin/host-iptables, 0755" \
	sh -c "tar -tvf '$TMP/b1/overlay.tar.gz' | grep -q '^-rwxr-xr-x root/root .* usr/sbin/host-iptables\$'"
check "build.sh: nothing under bin, sbin or lib*" \
	not sh -c "tar -tf '$TMP/b1/overlay.tar.gz' | grep -qE '^(s?bin|lib[^/]*)(/|\$)'"
check "build.sh: same bytes across output directories and umasks" \
	cmp -s "$TMP/b1/overlay.tar.gz" "$TMP/b2/deeper/overlay.tar.gz"
for f in rules.v4 rules.v6; do
	check "build.sh: $f beside the overlay" test -s "$TMP/b1/$f"
done

# A fleet: each scout's console reads a profile naming that scout alone,
# never the team's other cases.
mkdir -p "$TMP/fleet" && cp "$TOP/tests/good/fleet/network.yaml" "$TMP/fleet/"
cp -r "$TOP/tests/good/fleet/openvpn" "$TOP/tests/good/fleet/ssh" "$TMP/fleet/"
chmod -R go-rwx "$TMP/fleet/openvpn" "$TMP/fleet/ssh"
(cd "$TOP" && ./build.sh -q -c "$TMP/fleet/network.yaml" -o "$TMP/fb" -r /nonexistent) >/dev/null 2>&1
mkdir -p "$TMP/fb/lab-7" && tar -xf "$TMP/fb/scouts/lab-7/overlay.tar.gz" -C "$TMP/fb/lab-7" etc/scout
check "fleet: a scout's console profile lists that scout alone" \
	sh -c "grep -q lab-7 '$TMP/fb/lab-7/etc/scout/network.yaml' && ! grep -qE 'case-2041|10\.1\.0\.(2|10)\b' '$TMP/fb/lab-7/etc/scout/network.yaml'"
check "fleet: and names it in etc/scout/name" test "$(cat "$TMP/fb/lab-7/etc/scout/name")" = lab-7
check "fleet: and that profile is valid" \
	"$GEN" check -q -c "$TMP/fb/lab-7/etc/scout/network.yaml" -k "$TMP/fleet/openvpn" -s "$TMP/fleet/ssh" -r /nonexistent

if [ "$(id -u)" -eq 0 ]; then
	# Another user, with a umask of 077, from inputs copied with their modes
	# (whether others may read a resource is kept: see below).
	# The checkout may be where nobody cannot go (under /root, in a 0700
	# mktemp -d): the generator is copied into TMP, which lib.sh opens.
	OTHER=$TMP/other
	mkdir "$OTHER" && chown nobody "$OTHER"
	cp "$GEN" "$TMP/gen-other" && chmod 755 "$TMP/gen-other"
	setpriv --reuid=nobody --regid=nogroup --clear-groups bash -c \
		"umask 077 && cp -r --preserve=mode '$SRC' '$OTHER/src' && cd '$OTHER/src' && '$TMP/gen-other' build -q -o '$OTHER/out'" 2>/dev/null
	check "same bytes when built by another user with umask 077" cmp -s "$A" "$OTHER/out/overlay.tar.gz"
	check "built by nobody, unpacked as root: owners are 0/0 (the container's: its root)" \
		test -s "$OTHER/out/overlay.tar.gz" -a -z "$(tar --numeric-owner -tvf "$OTHER/out/overlay.tar.gz" |
			awk '$2 != ($6 ~ /^var\/lib\/machines\/container\// ? "1879048192/1879048192" : "0/0")')"
else
	cannot_run "build as another user" "needs root to switch users"
fi

# The keys as a builder keeps them from here on, so no warning about
# their modes.
chmod 700 "$SRC/config/openvpn" && chmod 600 "$SRC"/config/openvpn/*.key

# --- merged /usr: the overlay over a Debian 12 / Ubuntu root ---
# /bin, /sbin and /lib* are links into /usr there; unpacked with tar as
# the README says, the overlay must leave them links. resources/sbin/ is
# packed as usr/sbin/, with a note.
mkdir -p "$SRC/res-usr/sbin" "$SRC/res-usr/etc"
printf '#!/bin/sh\necho hello\n' >"$SRC/res-usr/sbin/scout-hello" && chmod 755 "$SRC/res-usr/sbin/scout-hello"
echo motd >"$SRC/res-usr/etc/motd"
(cd "$TOP" && ./build.sh -q -c "$BCFG" -o "$TMP/b3" -r "$SRC/res-usr") >/dev/null 2>"$TMP/b3.err"
printf '%s\n' "$TMP/bcfg/openvpn: warning: no server.crt/server.key: no export for the server" \
	"$TMP/bcfg/openvpn: warning: no expert.crt/expert.key: no export for the expert" \
	"$SRC/res-usr/sbin: warning: packed as usr/sbin: /sbin is a link to usr/sbin on Debian 12 and Ubuntu" >"$TMP/want"
same_text "resources/sbin: packed as usr/sbin with one note" "$TMP/want" "$TMP/b3.err"
R=$TMP/merged-root
mkdir -p "$R/usr/sbin" "$R/usr/bin" "$R/usr/lib" "$R/usr/lib64" "$R/etc"
printf '#!/bin/sh\n' >"$R/usr/sbin/init" && chmod 755 "$R/usr/sbin/init"
for l in bin sbin lib lib64; do ln -s "usr/$l" "$R/$l"; done
tar -xpf "$TMP/b3/overlay.tar.gz" -C "$R"
for l in bin sbin lib lib64; do
	check "merged /usr: /$l is still a link to usr/$l" test "$(readlink "$R/$l")" = "usr/$l"
done
check "merged /usr: /sbin/init survives" test -x "$R/sbin/init"
check "merged /usr: /sbin/host-iptables is there" test -x "$R/sbin/host-iptables"
check "merged /usr: /sbin/scout-hello (from resources/sbin) is there" test -x "$R/sbin/scout-hello"
check "merged /usr: resources/etc as before" test -f "$R/etc/motd"

# --- bad inputs leave the archive untouched ---
before=$(sha256sum <"$A")
# expect_fail NAME STATUS EXPECTED_STDERR CMD...
expect_fail() {
	local name=$1 status=$2 want=$3 rc=0
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	check "$name: exit $status (got $rc)" test "$rc" -eq "$status"
	printf '%s\n' "$want" >"$TMP/want"
	same_text "$name: stderr" "$TMP/want" "$TMP/err"
	check "$name: overlay untouched" test "$(sha256sum <"$A")" = "$before"
}

mkdir -p "$SRC/res-clash/etc/openvpn/client"
echo x >"$SRC/res-clash/etc/openvpn/client/scout.conf"
expect_fail "resource over a generated file" 1 \
	"res-clash/etc/openvpn/client/scout.conf: error: 'etc/openvpn/client/scout.conf' is also made by templates/scout.conf" \
	build -o "$TMP/a" -r res-clash
mkdir -p "$SRC/res-file/etc"
echo x >"$SRC/res-file/etc/systemd"
expect_fail "resource file where a directory must be" 1 \
	"res-file/etc/systemd: error: 'etc/systemd' must be a directory: templates/container.nspawn puts files under it" \
	build -o "$TMP/a" -r res-file
mkfifo "$SRC/res-fifo-pipe" && mkdir "$SRC/res-fifo" && mv "$SRC/res-fifo-pipe" "$SRC/res-fifo/pipe"
expect_fail "resource that is a fifo" 1 \
	"res-fifo/pipe: error: not a regular file, directory or symbolic link" \
	build -o "$TMP/a" -r res-fifo
mkdir -p "$SRC/res-nl/etc" && touch "$SRC/res-nl/etc/bad"$'\n'"name"
# One line: the newline shown escaped, as every byte a name may hold.
expect_fail "resource name with a newline" 1 \
	'res-nl/etc/bad\nname: error: the file name contains a line break' \
	build -o "$TMP/a" -r res-nl
cp -r "$SRC/templates" "$SRC/tpl-bad"
printf 'client\nremote {{vpn.sever}} {{vpn.port}}\n' >"$SRC/tpl-bad/scout.conf"
expect_fail "template with an unknown variable" 1 \
	"tpl-bad/scout.conf:2:8: error: unknown variable 'vpn.sever'" \
	build -o "$TMP/a" -t tpl-bad
rm "$SRC/tpl-bad/host.network"
expect_fail "missing template" 1 \
	"tpl-bad/host.network: error: cannot read the template: No such file or directory
tpl-bad/scout.conf:2:8: error: unknown variable 'vpn.sever'" \
	build -o "$TMP/a" -t tpl-bad
mkdir -p "$SRC/res-sbin-file" && echo x >"$SRC/res-sbin-file/sbin"
expect_fail "resource file named sbin" 1 \
	"res-sbin-file/sbin: error: 'sbin' would replace /sbin, a link to usr/sbin on Debian 12 and Ubuntu; put it under usr/sbin" \
	build -o "$TMP/a" -r res-sbin-file
mkdir -p "$SRC/res-lib-link" && ln -s usr/lib "$SRC/res-lib-link/lib"
expect_fail "resource link named lib" 1 \
	"res-lib-link/lib: error: 'lib' would replace /lib, a link to usr/lib on Debian 12 and Ubuntu; put it under usr/lib" \
	build -o "$TMP/a" -r res-lib-link
expect_fail "--add under /bin" 1 \
	"config/network.yaml: error: 'bin/tool' would replace /bin, a link to usr/bin on Debian 12 and Ubuntu; put it under usr/bin" \
	build -o "$TMP/a" -a bin/tool=config/network.yaml
mkdir -p "$SRC/res-ct/var/lib/machines/container/bin" && echo x >"$SRC/res-ct/var/lib/machines/container/bin/tool"
expect_fail "resource under the container's /bin" 1 \
	"res-ct/var/lib/machines/container/bin: error: 'var/lib/machines/container/bin' would replace /var/lib/machines/container/bin, a link to usr/bin on Debian 12 and Ubuntu; put it under usr/bin
res-ct/var/lib/machines/container/bin/tool: error: 'var/lib/machines/container/bin/tool' would replace /var/lib/machines/container/bin, a link to usr/bin on Debian 12 and Ubuntu; put it under usr/bin" \
	build -o "$TMP/a" -r res-ct
# --- resources may not switch the hardening off ---
build_silent() { build "$@" 2>/dev/null; }
G=res-guard
for f in etc/systemd/system/scout-firewall.service.d/x.conf etc/ssh/sshd_config.d/00-early.conf \
	etc/systemd/system/openvpn-client@.service.d/x.conf etc/systemd/system/systemd-networkd.service.d/x.conf \
	etc/systemd/network/10-early.network etc/sysctl.d/99-forward.conf \
	var/lib/machines/container/etc/ssh/sshd_config.d/00-early.conf \
	var/lib/machines/container/etc/systemd/network/10-early.network; do
	mkdir -p "$SRC/$G/$(dirname "$f")" && echo x >"$SRC/$G/$f"
done
ln -s /dev/null "$SRC/$G/etc/systemd/system/ssh.service"
expect_fail "resources overriding the hardening" 1 \
"$G/etc/ssh/sshd_config.d/00-early.conf: error: 'etc/ssh/sshd_config.d/00-early.conf' overrides the generated sshd configuration (etc/ssh/sshd_config.d/scout.conf: sshd takes the first value it reads); list it in $G/.scout-overrides if you mean it
$G/etc/sysctl.d/99-forward.conf: error: 'etc/sysctl.d/99-forward.conf' overrides the kernel settings the firewall sets (IPv4 forwarding only once its tables are in); list it in $G/.scout-overrides if you mean it
$G/etc/systemd/network/10-early.network: error: 'etc/systemd/network/10-early.network' overrides 'etc/systemd/network/80-scout-lan.network'; list it in $G/.scout-overrides if you mean it
$G/etc/systemd/system/openvpn-client@.service.d/x.conf: error: 'etc/systemd/system/openvpn-client@.service.d/x.conf' overrides 'etc/systemd/system/multi-user.target.wants/openvpn-client@scout.service'; list it in $G/.scout-overrides if you mean it
$G/etc/systemd/system/scout-firewall.service.d/x.conf: error: 'etc/systemd/system/scout-firewall.service.d/x.conf' overrides 'etc/systemd/system/scout-firewall.service'; list it in $G/.scout-overrides if you mean it
$G/etc/systemd/system/ssh.service: error: 'etc/systemd/system/ssh.service' overrides 'etc/systemd/system/ssh.service.d/scout-firewall.conf'; list it in $G/.scout-overrides if you mean it
$G/etc/systemd/system/systemd-networkd.service.d/x.conf: error: 'etc/systemd/system/systemd-networkd.service.d/x.conf' overrides 'etc/systemd/system/multi-user.target.wants/systemd-networkd.service'; list it in $G/.scout-overrides if you mean it
$G/var/lib/machines/container/etc/ssh/sshd_config.d/00-early.conf: error: 'var/lib/machines/container/etc/ssh/sshd_config.d/00-early.conf' overrides the generated sshd configuration (etc/ssh/sshd_config.d/scout.conf: sshd takes the first value it reads); list it in $G/.scout-overrides if you mean it
$G/var/lib/machines/container/etc/systemd/network/10-early.network: error: 'var/lib/machines/container/etc/systemd/network/10-early.network' overrides 'var/lib/machines/container/etc/systemd/network/70-scout-eth0.network'; list it in $G/.scout-overrides if you mean it" \
	sh -c "cd '$SRC' && '$GEN' build -q -o '$TMP/a' -r $G -k /nonexistent -s /nonexistent 2>&1 >/dev/null | grep -v ': warning: ' >&2; exit 1"
mkdir -p "$SRC/res-guard-ok/etc/systemd/network" "$SRC/res-guard-ok/etc/systemd/system/cron.service.d"
echo x >"$SRC/res-guard-ok/etc/systemd/network/90-later.network"
echo x >"$SRC/res-guard-ok/etc/systemd/system/cron.service.d/x.conf"
check "resources beside the hardening (a later .network, another unit's drop-in) build" \
	quiet build_silent -o "$TMP/guard-ok" -r res-guard-ok -k /nonexistent -s /nonexistent
(cd "$SRC/$G" && find . ! -type d | sed 's|^\./||' | LC_ALL=C sort) >"$TMP/overrides"
mv "$TMP/overrides" "$SRC/$G/.scout-overrides"
check "every override listed in .scout-overrides: the build passes" \
	quiet build_silent -o "$TMP/guard-listed" -r $G -k /nonexistent -s /nonexistent
check "and .scout-overrides is not packed" \
	not sh -c "tar -tf '$TMP/guard-listed/overlay.tar.gz' | grep -q scout-overrides"
check "and the listed drop-in is in the overlay" \
	sh -c "tar -tf '$TMP/guard-listed/overlay.tar.gz' | grep -qx etc/sysctl.d/99-forward.conf"
printf '# stale\netc/motd\n' >>"$SRC/$G/.scout-overrides"
expect_fail ".scout-overrides listing what overrides nothing" 1 \
	"$G/.scout-overrides:11:1: error: 'etc/motd' overrides nothing the build makes: remove the line" \
	sh -c "cd '$SRC' && '$GEN' build -q -o '$TMP/a' -r $G -k /nonexistent -s /nonexistent 2>&1 >/dev/null | grep -v ': warning: ' >&2; exit 1"

rc=0
(cd "$TOP" && ./build.sh -q -c "$BCFG" -o "$TMP/with space" -r /nonexistent) >/dev/null 2>"$TMP/err" || rc=$?
check "an output directory with a space: build.sh exits 1" test "$rc" -eq 1
check "and says make cannot take it" grep -q 'cannot compile host-iptables here: make takes no path with a space' "$TMP/err"
check "and leaves nothing there" test -z "$(ls -A "$TMP/with space")"
expect_fail "an empty --out" 2 "$GEN: --config, --out, --keys, --ssh-keys and --wireguard-keys need a name" build -o ''
mkdir -p "$SRC/res-hi/sbin" && echo x >"$SRC/res-hi/sbin/host-iptables"
expect_fail "resources/sbin/host-iptables (the original project's place for the firewall)" 1 \
	"res-hi/sbin: warning: packed as usr/sbin: /sbin is a link to usr/sbin on Debian 12 and Ubuntu
res-hi/sbin/host-iptables: error: 'usr/sbin/host-iptables' is also made by host-iptables (compiled for the profile)" \
	bash -o pipefail -c "cd '$TOP' && ./build.sh -q -c '$BCFG' -o '$TMP/a' -r '$SRC/res-hi' 2>&1 >/dev/null | sed 's|$SRC/||' >&2"
expect_fail "profile that is a directory" 1 \
	"config: error: cannot read the profile: Is a directory" build -o "$TMP/a" -c config
expect_fail "missing profile" 1 \
	"nope.yaml: error: cannot read the profile: No such file or directory" build -o "$TMP/a" -c nope.yaml
touch "$TMP/a-file"
expect_fail "output directory is a file" 1 \
	"config/openvpn: warning: no server.crt/server.key: no export for the server
config/openvpn: warning: no expert.crt/expert.key: no export for the expert
config/ssh: warning: no SSH keys: nobody can log in to the container or the host; ./build.sh makes them
$TMP/a-file: error: cannot write: Not a directory" build -o "$TMP/a-file"
expect_fail "bad SOURCE_DATE_EPOCH" 2 \
	"scout-netgen: SOURCE_DATE_EPOCH='yesterday' is not a number of seconds (0-4294967295)" \
	env SOURCE_DATE_EPOCH=yesterday "$GEN" build -q -o "$TMP/a"
expect_fail "unknown format" 2 \
	"$GEN: --format must be tar.gz, tar.zst or tar, not 'zip'" build -o "$TMP/a" -f zip
expect_fail "unknown command" 2 "scout-netgen: unknown command 'bild' (try --help)" "$GEN" bild
expect_fail "stray argument" 2 "$GEN: unexpected argument 'extra'" build -o "$TMP/a" extra
expect_fail "check takes no --out" 2 "$GEN: option -o is not accepted here" "$GEN" check -o x
check "--version" sh -c "'$GEN' --version | grep -qx 'scout-netgen [0-9.]*'"
check "--help lists the commands" sh -c "'$GEN' --help | grep -q '^  check '"
check "check writes nothing" sh -c "cd '$SRC' && '$GEN' check -q -c config/network.yaml -o /dev/null 2>/dev/null; test ! -e '$SRC/build'"
(cd "$SRC" && "$GEN" check -c config/network.yaml) >"$TMP/out" 2>/dev/null
check "check says ok, with as many entries as the archive" \
	grep -qx "config/network.yaml: ok ($(tar -tf "$A" | wc -l) overlay entries)" "$TMP/out"
check "check wrote nothing" test ! -e "$SRC/build"

# --- lan.wifi: the networks' files hold the passphrase, 0600 in 0700 ---
WIFI=$TMP/wifi
cp -r "$TOP/tests/good/wifi" "$WIFI" && rm -rf "$WIFI/expected" "$WIFI/expected-rules"
chmod -R a+rX "$WIFI" # a passphrase file others may read is still packed 0600
(cd "$WIFI" && "$GEN" build -q -c network.yaml -o "$TMP/w" -t "$TOP/templates" -r /nonexistent) 2>/dev/null
W=$TMP/w/overlay.tar.gz
tar --numeric-owner -tvf "$W" >"$TMP/wlist"
wmode() { awk -v p="$1" '$6 == p { print $1 }' "$TMP/wlist"; }
check "wifi: etc/scout/iwd is 0700" test "$(wmode etc/scout/iwd/)" = "drwx------"
check "wifi: four network files, each 0600 and owned by root" \
	test "$(awk '$6 ~ /^etc\/scout\/iwd\/./ && $1 == "-rw-------" && $2 == "0/0"' "$TMP/wlist" | wc -l)" = 4
check "wifi: nothing else in etc/scout/iwd" test "$(grep -c ' etc/scout/iwd/.' "$TMP/wlist")" = 4
check "wifi: the archive is 0600 (it holds passphrases)" test "$(perms "$W")" = 600
mkdir "$TMP/wroot" && tar -xpf "$W" -C "$TMP/wroot"
check "wifi: scout-lab.psk holds the passphrase, its spaces as iwd's \\s" \
	grep -qx 'Passphrase=correct\\shorse\\sbattery\\sstaple' "$TMP/wroot/etc/scout/iwd/scout-lab.psk"
check "wifi: a 64-hex key is iwd's PreSharedKey" \
	grep -qx 'PreSharedKey=00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF' \
	"$TMP/wroot/etc/scout/iwd/Hotel Guest_5G.psk"
check "wifi: the open network has no [Security]" sh -c "! grep -q Security '$TMP/wroot/etc/scout/iwd/Library.open'"
check "wifi: the passphrase is in no other file" \
	test "$(grep -rl 'correct.shorse' "$TMP/wroot" | sed "s|$TMP/wroot/||")" = etc/scout/iwd/scout-lab.psk
check "wifi: without lan.wifi, etc/scout/iwd is there, 0700 and empty" \
	sh -c "test '$(mode_of etc/scout/iwd/)' = drwx------ && ! grep -q ' etc/scout/iwd/.' '$TMP/list'"
check "wifi: iwd requires the firewall" grep -qx 'Requires=scout-firewall.service' \
	"$TMP/wroot/etc/systemd/system/iwd.service.d/scout-firewall.conf"
(cd "$WIFI" && "$GEN" check -c network.yaml -t "$TOP/templates" -r /nonexistent) >"$TMP/wcheck" 2>/dev/null
printf '%s\n' "network.yaml: ok ($(tar -tf "$W" | wc -l) overlay entries)" \
	"  scout scout: 10.1.0.2, no certificate" \
	"  lan.wifi[0]: 'scout-lab', psk from wifi/scout-lab.psk" \
	"  lan.wifi[1]: 'Caf\\xc3\\xa9 #2', psk from wifi/cafe.psk" \
	"  lan.wifi[2]: 'Hotel Guest_5G', psk from wifi/hotel.psk" \
	"  lan.wifi[3]: 'Library', open" "  lan.wifi_firmware: iwlwifi mediatek" >"$TMP/wcheck-want"
same_text "wifi: check lists the networks, SSIDs escaped, and the firmware sets" "$TMP/wcheck-want" "$TMP/wcheck"
check "wifi: paths prints the firmware sets" \
	sh -c "cd '$WIFI' && '$GEN' paths -c network.yaml | tr '\\0' '\\n' | grep -A1 -x wifi_firmware | tail -1 | grep -qx 'iwlwifi mediatek'"

finish
