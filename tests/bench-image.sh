#!/usr/bin/env bash
# make bench-image: the image's figures. A cold build into an empty cache
# (each stage with its time), a rebuild after a profile change, the ISO's
# size, then tests/image.sh's boot figures (QEMU start -> kernel, firewall,
# console, VPN, container, the expert's first SSH command answered).
. "$(dirname "$0")/lib.sh"

need bench-image "needs root" test "$(id -u)" -eq 0
export XDG_CACHE_HOME=$TMP/cache
mkdir -p "$TMP/cfg"
printf 'vpn:\n  server: 203.0.113.1\n' >"$TMP/cfg/network.yaml"
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }

t0=$(date +%s.%N)
(cd "$TOP" && ./build.sh image -q -c "$TMP/cfg/network.yaml" -o "$TMP/out" -r /nonexistent) 2>&1 | grep '^image: '
echo "figure: cold image build                                 $(elapsed "$t0")"
printf 'forward:\n  tcp: [22, 2000-2019]\n' >>"$TMP/cfg/network.yaml"
t0=$(date +%s.%N)
(cd "$TOP" && ./build.sh image -q -c "$TMP/cfg/network.yaml" -o "$TMP/out" -r /nonexistent) 2>&1 | grep '^image: '
echo "figure: rebuild after a profile change                   $(elapsed "$t0")"
echo "figure: ISO size                                         $(( $(stat -c %s "$TMP/out/scout.iso") / 1048576 )) MiB"
bash "$TOP/tests/image.sh" | grep -E '^(figure|FAIL|image)'
