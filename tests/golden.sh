#!/usr/bin/env bash
# Golden tests. Good profiles: tests/good/NAME/network.yaml (with optional
# openvpn/ keys and resources/) must give exactly expected.list (tar's
# listing), expected/ (the unpacked files), expected.stderr and
# expected-rules/ (the firewall rule set: rules.v4, rules.v6, rules.c).
# Bad profiles: tests/bad/NAME.yaml must give exactly NAME.err on stderr,
# exit 1, and leave the previous overlay byte-identical.
# --update rewrites the expected files from the current output: review the
# diff before committing it.
. "$(dirname "$0")/lib.sh"
shopt -s nullglob

UPDATE=
[ "${1:-}" = --update ] && UPDATE=1
export SOURCE_DATE_EPOCH=1700000000

# fixture DIR: a copy of the case in TMP, its keys kept as a builder
# keeps them (git records no modes), printed. The suites never build in
# the project's own tree.
fixture() {
	local copy
	copy=$TMP/case-$(basename "$1")
	if [ ! -d "$copy" ]; then
		cp -r "$1" "$copy"
		# Resources as a checkout under umask 022 has them (whether
		# others may read a resource is kept): whatever umask runs this.
		[ -d "$copy/resources" ] && chmod -R a+rX,go-w "$copy/resources"
		if [ -d "$copy/openvpn" ]; then
			chmod 700 "$copy/openvpn"
			chmod 600 "$copy"/openvpn/*.key
			[ -d "$copy/openvpn/scouts" ] && chmod 700 "$copy/openvpn/scouts" && chmod 600 "$copy"/openvpn/scouts/*.key
		fi
		if [ -d "$copy/wireguard" ]; then
			chmod 700 "$copy/wireguard"
			chmod 600 "$copy"/wireguard/*.key "$copy"/wireguard/*.psk
		fi
		if [ -d "$copy/ssh" ]; then
			find "$copy/ssh" -type d -exec chmod 700 {} +
			find "$copy/ssh" -type f ! -name '*.pub' -exec chmod 600 {} +
		fi
	fi
	echo "$copy"
}

# build_case DIR OUT: builds DIR/network.yaml the way a user would, from
# a copy of DIR.
build_case() {
	local dir res=resources
	dir=$(fixture "$1")
	[ -d "$dir/resources" ] || res=/nonexistent
	(cd "$dir" && "$GEN" build -q -c network.yaml -o "$2" -t "$TOP/templates" -r "$res")
}

for dir in "$TOP"/tests/good/*/; do
	dir=${dir%/}
	name=$(basename "$dir")
	out=$TMP/good-$name
	if ! build_case "$dir" "$out" 2>"$out.stderr"; then
		not_ok "good/$name: build failed"
		cat "$out.stderr"
		continue
	fi
	mkdir "$out/x"
	if [ -d "$out/scouts" ]; then
		# A fleet: each scout's overlay in x/scouts/NAME, listed in turn.
		: >"$out.list"
		for s in "$out"/scouts/*/; do
			s=$(basename "$s")
			mkdir -p "$out/x/scouts/$s"
			tar -xpf "$out/scouts/$s/overlay.tar.gz" -C "$out/x/scouts/$s"
			{ echo "== scouts/$s"; tar -tvf "$out/scouts/$s/overlay.tar.gz"; } >>"$out.list"
		done
	else
		tar -xpf "$out/overlay.tar.gz" -C "$out/x"
		tar -tvf "$out/overlay.tar.gz" >"$out.list"
	fi
	# The exports, when the case has the server's or the expert's keys.
	for e in server expert; do
		[ -d "$out/exports/$e" ] && mkdir -p "$out/x/exports" && cp -a "$out/exports/$e" "$out/x/exports/$e"
	done
	# git keeps no empty directory; the listing checks those.
	find "$out/x" -type d -empty -delete
	if [ -n "$UPDATE" ]; then
		rm -rf "$dir/expected"
		cp -a "$out/x" "$dir/expected"
		cp "$out.list" "$dir/expected.list"
		cp "$out.stderr" "$dir/expected.stderr"
	fi
	if ! (cd "$(fixture "$dir")" && "$GEN" rules -q -c network.yaml -o "$out/rules") 2>"$out.rules-stderr"; then
		not_ok "good/$name: rules failed"
		cat "$out.rules-stderr"
	fi
	if [ -n "$UPDATE" ]; then
		rm -rf "$dir/expected-rules"
		cp -a "$out/rules" "$dir/expected-rules"
	fi
	for f in rules.v4 rules.v6 rules.c; do
		same_text "good/$name: $f" "$dir/expected-rules/$f" "$out/rules/$f"
	done
	same_text "good/$name: listing" "$dir/expected.list" "$out.list"
	same_text "good/$name: stderr" "$dir/expected.stderr" "$out.stderr"
	if diff -r --no-dereference "$dir/expected" "$out/x" >"$TMP/diff" 2>&1; then
		ok "good/$name: files"
	else
		not_ok "good/$name: files"
		head -40 "$TMP/diff"
	fi
done

# The shipped profile states every default: a profile with only vpn.server
# must give the same overlay, byte for byte. The shipped profile is the
# committed one (kept in tests/fuzz/profile-seeds/shipped.yaml too); the
# builder's config/ may say anything.
SHIPPED=$TOP/tests/fuzz/profile-seeds/shipped.yaml
mkdir -p "$TMP/shipped-case" && cp "$SHIPPED" "$TMP/shipped-case/network.yaml"
build_case "$TMP/shipped-case" "$TMP/shipped" 2>/dev/null
build_case "$TOP/tests/good/minimal" "$TMP/minimal" 2>/dev/null
check "shipped profile equals the defaults" cmp -s "$TMP/shipped/overlay.tar.gz" "$TMP/minimal/overlay.tar.gz"
if git -C "$TOP" rev-parse --verify -q HEAD:config/network.yaml >/dev/null 2>&1; then
	check "the committed config/network.yaml is tests/fuzz/profile-seeds/shipped.yaml" \
		sh -c "git -C '$TOP' show HEAD:config/network.yaml | cmp -s - '$SHIPPED'"
else
	cannot_run "committed profile" "not a git checkout"
fi

# Bad profiles: a good overlay first, then each bad profile over it.
badout=$TMP/bad-out
build_case "$TOP/tests/good/minimal" "$badout" 2>/dev/null
before=$(sha256sum <"$badout/overlay.tar.gz")
count=0
for yaml in "$TOP"/tests/bad/*.yaml; do
	name=$(basename "$yaml" .yaml)
	count=$((count + 1))
	rc=0
	(cd "$TOP/tests/bad" && "$GEN" build -q -c "$name.yaml" -o "$badout" -t "$TOP/templates") \
		>"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
	[ -n "$UPDATE" ] && cp "$TMP/stderr" "$TOP/tests/bad/$name.err"
	if [ "$rc" -ne 1 ]; then
		not_ok "bad/$name: exit status $rc, expected 1"
		cat "$TMP/stderr"
	else
		ok "bad/$name: exit 1"
	fi
	same_text "bad/$name: stderr" "$TOP/tests/bad/$name.err" "$TMP/stderr"
	check "bad/$name: nothing on stdout" test ! -s "$TMP/stdout"
	check "bad/$name: previous overlay untouched" \
		test "$(sha256sum <"$badout/overlay.tar.gz")" = "$before"
	check "bad/$name: no temporary file left" \
		test "$(ls -A "$badout" | tr '\n' ' ')" = "overlay.tar.gz scout.conf.client "
done
check "at least 40 bad profiles (found $count)" test "$count" -ge 40

finish
