#!/usr/bin/env bash
# The generator without sanitizers, under valgrind: no invalid access, no
# uninitialised read, no leak of any kind, on good and bad inputs alike.
. "$(dirname "$0")/lib.sh"

PLAIN=$TOP/generator/scout-netgen
need valgrind "valgrind is not installed" command -v valgrind >/dev/null
export SOURCE_DATE_EPOCH=1700000000
# The shipped profile in a directory of its own: never the builder's config/.
SHIP=$TMP/shipped
mkdir -p "$SHIP/config" && cp "$TOP/tests/fuzz/profile-seeds/shipped.yaml" "$SHIP/config/network.yaml"
cp -r "$TOP/templates" "$SHIP/"

# vg NAME EXPECTED_STATUS ARGS...: runs from the case's directory.
vg() {
	local name=$1 want=$2 dir=$3 rc=0
	shift 3
	(cd "$dir" && valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds=all "$PLAIN" "$@") >"$TMP/vg.out" 2>"$TMP/vg.err" || rc=$?
	if [ "$rc" -eq "$want" ] && ! grep -q '^==[0-9]*==' "$TMP/vg.err"; then
		ok "valgrind: $name"
	else
		not_ok "valgrind: $name (exit $rc, expected $want)"
		head -30 "$TMP/vg.err"
	fi
}

vg "build, default profile" 0 "$SHIP" build -q -o "$TMP/out" -r /nonexistent
vg "build, keys and resources, tar.zst" 0 "$TOP/tests/good/keys-resources" build -q -o "$TMP/out" -c network.yaml -t "$TOP/templates" -f tar.zst
vg "build, custom profile, tar" 0 "$TOP/tests/good/custom" build -q -o "$TMP/out" -c network.yaml -t "$TOP/templates" -r /nonexistent -f tar
vg "check" 0 "$SHIP" check -q -r /nonexistent
vg "rules, default profile" 0 "$SHIP" rules -q -o "$TMP/rules"
vg "rules, custom profile" 0 "$TOP/tests/good/custom" rules -q -c network.yaml -o "$TMP/rules"
vg "rules, bad profile" 1 "$TOP/tests/bad" rules -q -c many-errors.yaml -o "$TMP/rules"
for bad in many-errors syntax-unclosed-list yaml-alias-bomb deep-nesting nul-byte non-utf8 \
	unknown-section-typo forward-port-twice subnets-overlap; do
	vg "bad profile $bad" 1 "$TOP/tests/bad" build -q -o "$TMP/out" -c "$bad.yaml" -t "$TOP/templates"
done
vg "keys made" 0 "$SHIP" keys -q -k "$TMP/keys"
vg "build with every key, exports" 0 "$SHIP" build -q -k "$TMP/keys" -o "$TMP/out" -r /nonexistent
vg "build.sh's build: keys made, host-iptables compiled" 0 "$SHIP" build -q --make-keys --programs -o "$TMP/out2" -r /nonexistent
printf 'garbage\n' >"$TMP/keys/client.crt"
vg "build with a bad certificate" 1 "$SHIP" build -q -k "$TMP/keys" -o "$TMP/out" -r /nonexistent
# A fleet and WireGuard: keys made, every scout compiled, a revocation.
WG=$TMP/wg
mkdir -p "$WG" && cp "$TOP/tests/good/wireguard/network.yaml" "$WG/"
vg "wireguard fleet: keys made, programs compiled" 0 "$WG" build -q --make-keys --programs -c network.yaml -o "$TMP/wgout" -t "$TOP/templates" -r /nonexistent
printf 'not a key\n' >"$WG/wireguard/lab-7.psk"
vg "wireguard: a bad pre-shared key" 1 "$WG" build -q -c network.yaml -o "$TMP/wgout" -t "$TOP/templates" -r /nonexistent
FL=$TMP/fleet
mkdir -p "$FL" && cp "$TOP/tests/good/fleet/network.yaml" "$FL/"
vg "openvpn fleet: keys made, programs compiled" 0 "$FL" build -q --make-keys --programs -c network.yaml -o "$TMP/flout" -t "$TOP/templates" -r /nonexistent
vg "keys --revoke" 0 "$FL" keys -q -c network.yaml --revoke lab-7
vg "usage error" 2 "$SHIP" build --format zip
vg "help of a subcommand" 0 "$SHIP" build --help

finish
