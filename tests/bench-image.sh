#!/usr/bin/env bash
# make bench-image: the image's figures, each beside the same figure of a
# reference commit (BENCH_REF; default the image as issue 17 landed it)
# measured in the same run, on the same machine: a cold build (empty
# cache; each stage with its time and what it downloaded), a warm rebuild
# (nothing changed), a rebuild after a profile change, the base built
# again with the rest of the cache kept (the package cache), the ISO's
# size and its parts', then the boot figures of this tree's
# tests/image.sh on the tree's ISOs (QEMU start -> kernel, firewall,
# console, VPN, container, the expert's first SSH command answered).
# BENCH_REF= (empty) measures this tree alone.
. "$(dirname "$0")/lib.sh"

need bench-image "needs root" test "$(id -u)" -eq 0
REF=${BENCH_REF-165e9d0}
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# measure TREE NAME: TREE's figures into $TMP/NAME.fig, "LABEL|VALUE" a
# line; its stage lines on the way, prefixed with NAME.
measure() {
	local tree=$1 name=$2 dir=$TMP/$2 t0
	fig() { printf '%s|%s\n' "$1" "$2" >>"$TMP/$name.fig"; }
	build() {
		(cd "$tree" && XDG_CACHE_HOME=$dir/cache ./build.sh image -q -c "$dir/cfg/network.yaml" -o "$dir/out" \
			-r /nonexistent) 2>&1 | grep '^image: ' | sed "s/^/[$name] /"
	}
	mkdir -p "$dir/cfg"
	printf 'vpn:\n  server: 203.0.113.1\n' >"$dir/cfg/network.yaml"
	t0=$(date +%s.%N)
	build
	fig "cold image build (empty cache)" "$(elapsed "$t0")"
	t0=$(date +%s.%N)
	build
	fig "warm rebuild (nothing changed)" "$(elapsed "$t0")"
	printf 'forward:\n  tcp: [22, 2000-2019]\n' >>"$dir/cfg/network.yaml"
	t0=$(date +%s.%N)
	build
	fig "rebuild after a profile change" "$(elapsed "$t0")"
	# The base built again (as after a change to its lists), with what
	# the cold build left in the cache besides the base (the package
	# cache, where the tree has one).
	rm -rf "$dir"/cache/scout-netgen/base-*
	t0=$(date +%s.%N)
	build
	fig "base rebuild (cache but the base kept)" "$(elapsed "$t0")"
	fig "ISO" "$(mib "$(stat -c %s "$dir/out/scout.iso")")"
	# The ISO's parts: its files over 1 MiB, and the El Torito/GPT EFI
	# image (the appended partition).
	xorriso -indev "$dir/out/scout.iso" -find / -type f -exec lsdl 2>/dev/null |
		awk '$5 > 1048576 { gsub(/\x27/, "", $NF); print $NF, $5 }' | while read -r f size; do
		fig "  $f" "$(mib "$size")"
	done
	fig "  EFI system partition (appended)" "$(mib "$(stat -c %s "$dir"/cache/scout-netgen/base-*/boot/efi.img)")"
	# The boot figures, the base cached: the tree's ISOs measured by this
	# tree's image.sh (the same probes for both; a reference fails the
	# checks added since).
	IMAGE_TREE=$tree XDG_CACHE_HOME=$dir/cache bash "$TOP/tests/image.sh" | grep -E '^(figure|FAIL|boot)' | sed 's/^figure: //' |
		awk -v n="$name" '/^(FAIL|boot: )/ { print "[" n "] " $0 > "/dev/stderr"; next }
			$NF == "s" || $NF == "MiB" { v = $(NF - 1) " " $NF; $NF = ""; $(NF - 1) = ""; sub(/ +$/, ""); print $0 "|" v }' \
		>>"$TMP/$name.fig"
}

if [ -n "$REF" ]; then
	git clone -q --shared "$TOP" "$TMP/ref-tree"
	git -C "$TMP/ref-tree" checkout -q --detach "$REF"
	make -C "$TMP/ref-tree" -s all tests/.bin/listener tests/.bin/probe tests/.bin/longname.so tests/.bin/grow.so \
		tests/.bin/fake-iwd >/dev/null
	measure "$TMP/ref-tree" ref
fi
measure "$TOP" now
# The table: this tree's figure, the reference's beside it.
printf '%-56s %12s %12s\n' "figure" "now" "${REF:+ref $REF}"
awk -F'|' 'NR == FNR { ref[$1] = $2; next } { printf "%-56s %12s %12s\n", $1, $2, ($1 in ref) ? ref[$1] : "" }' \
	"$TMP/ref.fig" "$TMP/now.fig" 2>/dev/null ||
	awk -F'|' '{ printf "%-56s %12s\n", $1, $2 }' "$TMP/now.fig"
