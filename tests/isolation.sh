#!/usr/bin/env bash
# The suites never read or write the builder's config/, build/ or
# resources/: in a copy of the project whose builder has made keys with
# ./build.sh, broken the profile, left files in build/ and put resources
# that clash with generated files, the suites that build still pass, and
# the builder's files are byte for byte as they were. The copy is under a
# 0700 directory, as a clone under /root is: the suites that run the
# generator as another user pass from there too.
. "$(dirname "$0")/lib.sh"

need isolation "git is not installed" command -v git >/dev/null
need isolation "not a git checkout" git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1

# The copy sits in a directory others cannot enter, as a clone under
# /root or in a mktemp -d does: what another user runs must not need it.
mkdir -m 700 "$TMP/private"
TREE=$TMP/private/tree
mkdir "$TREE"
# The project's files as the checkout has them, and what make has built,
# with their times, so nothing is built again.
(cd "$TOP" && git ls-files -z --cached --others --exclude-standard |
	grep -zv '^\(config\|build\|resources\)/' | while IFS= read -r -d '' f; do
		{ [ -e "$f" ] || [ -L "$f" ]; } && printf '%s\0' "$f"
	done | xargs -0 cp -a --parents -t "$TREE")
(cd "$TOP" && cp -a --parents -t "$TREE" generator/scout-netgen generator/scout-netgen-san \
	generator/.obj generator/.obj-san tests/.bin)
[ -d "$TOP/generator/.obj-target" ] && cp -a "$TOP/generator/.obj-target" "$TREE/generator/"
mkdir -p "$TREE/config/openvpn" "$TREE/resources"
touch "$TREE/config/openvpn/.gitkeep" "$TREE/resources/.gitkeep"
cp "$TOP/tests/fuzz/profile-seeds/shipped.yaml" "$TREE/config/network.yaml"
# A checkout of its own, as a builder's clone is.
git -C "$TREE" init -q && git -C "$TREE" add -A &&
	git -C "$TREE" -c user.name=test -c user.email=test@invalid commit -qm tree ||
	not_ok "a git checkout of the copy"

# The builder's state: keys from ./build.sh (its own CA), then an edited
# profile with an error, a keys directory others can read, leftovers in
# build/, and resources over generated files.
(cd "$TREE" && ./build.sh -q) >/dev/null 2>"$TMP/build.err"
check "the builder's ./build.sh made keys" test -s "$TREE/config/openvpn/ca.key"
printf 'vpn:\n  server: vpn.example.org\n  port: 99999\nforward:\n  tcp: [22, 22]\n' >"$TREE/config/network.yaml"
chmod 755 "$TREE/config/openvpn" && chmod 644 "$TREE/config/openvpn/client.key"
printf 'left here\n' >"$TREE/build/notes.txt"
mkdir -p "$TREE/resources/etc/openvpn/client" "$TREE/resources/sbin"
printf 'remote 192.0.2.1\n' >"$TREE/resources/etc/openvpn/client/scout.conf"
printf '#!/bin/sh\n' >"$TREE/resources/sbin/host-iptables"
state() { (cd "$TREE" && find config build resources -print0 | LC_ALL=C sort -z |
	xargs -0 stat -c '%n %a %s %Y' && find config build resources -type f -print0 | LC_ALL=C sort -z |
	xargs -0 sha256sum); }
before=$(state)

for suite in golden archive pki hostile valgrind nspawn; do
	rc=0
	(unset RESULTS && cd "$TREE" && bash "tests/$suite.sh") >"$TMP/$suite.log" 2>&1 || rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$suite passes whatever the builder has in config/, build/ and resources/"
	else
		not_ok "$suite fails in a tree with the builder's files ($(tail -1 "$TMP/$suite.log"))"
		grep -m 10 FAIL "$TMP/$suite.log"
	fi
done
check "and the builder's config/, build/ and resources/ are as they were" test "$(state)" = "$before"

finish
