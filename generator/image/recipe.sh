#!/usr/bin/env bash
# generator/image/recipe.sh SCOUT_NETGEN [build options]: the live ISO of
# ./build.sh image, DIR/scout.iso beside the overlay that
# `SCOUT_NETGEN build --make-keys --programs [build options]` writes.
# Run as root, with the packages build.sh installs for it (./build.sh deps
# image). What goes into the image is in the files beside this one: the
# package lists, the kernel modules dropped, grub.cfg.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NETGEN=$1
shift
SUITE=bookworm
# Where the ISO's kernel and initrd are; grub.cfg's @KERNEL@ and @INITRD@.
KERNEL=live/vmlinuz INITRD=live/initrd.img
# The files the base is built from: a change to any rebuilds it.
BASE_INPUTS=(recipe.sh shift-ids.pl packages-scout.list packages-container.list drop-modules.list)

STAGE='' STAGE_T0='' IMAGE_T0='' IMAGE_TMP=''
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# Each stage is named when it starts and timed when it ends.
stage() {
	stage_end
	STAGE=$1 STAGE_T0=$(now)
	echo "image: $STAGE" >&2
}
stage_end() {
	[ -n "$STAGE" ] && echo "image: $STAGE: $(since "$STAGE_T0") s" >&2
	STAGE=
}
stage_failed() {
	echo "image: failed in stage '$STAGE' (after $(since "$STAGE_T0") s); no ISO was written" >&2
}

# The entries of one of the lists beside this script, comments and blank
# lines left out.
list() {
	sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$HERE/$1"
}

# The machine's own apt sources, so the image builds behind a mirror or
# proxy as apt does.
apt_sources() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		if [ -s "$f" ] && grep -qv '^[[:space:]]*\(#\|$\)' "$f"; then printf '%s\n' "$f"; fi
	done
	return 0
}

# mmdebstrap_root TARGET PACKAGE_LIST HOSTNAME
mmdebstrap_root() {
	local target=$1 packages hostname=$3
	local sources
	packages=$(list "$2" | paste -sd,)
	mapfile -t sources < <(apt_sources)
	mmdebstrap --quiet --variant=minbase --mode=root --format=directory --include="$packages" \
		--dpkgopt=force-unsafe-io \
		--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
		--customize-hook='rm -f "$1"/etc/ssh/ssh_host_* "$1"/var/lib/apt/lists/*_* "$1"/var/cache/apt/*.bin' \
		--customize-hook="echo $hostname >\"\$1/etc/hostname\"" \
		"$SUITE" "$target" "${sources[@]}"
}

# The overlay's one .nspawn file: systemd-nspawn@NAME runs the root at
# /var/lib/machines/NAME (container.root is that path), and its
# PrivateUsers= is the uid base the container's tree must be owned from.
overlay_nspawn() {
	tar -tf "$1" | grep -E '^(\./)?etc/systemd/nspawn/[^/]+\.nspawn$' || true
}

# The base, built once and cached by what goes into it: the scout's root
# with the container's root in it, at /var/lib/machines/MACHINE, as a
# squashfs, and the kernel and initrd beside it.
# build_base DIR MACHINE UID_BASE
build_base() {
	local dir=$1 machine=$2 uid_base=$3 work=$1.work root kver pid m
	rm -rf "$work"
	mkdir -p "$work"
	root=$work/root
	stage "base: the scout's and the container's roots (mmdebstrap $SUITE, side by side)"
	mmdebstrap_root "$work/container" packages-container.list container >"$work/container.log" 2>&1 &
	pid=$!
	mmdebstrap_root "$root" packages-scout.list scout || { kill "$pid"; wait "$pid"; false; }
	wait "$pid" || { tail -20 "$work/container.log" >&2; false; }
	stage "base: the container's owners shifted to $uid_base"
	find "$work/container" -print0 | perl "$HERE/shift-ids.pl" "$uid_base"
	mkdir -p "$root/var/lib/machines" && chmod 700 "$root/var/lib/machines"
	mv "$work/container" "$root/var/lib/machines/$machine"
	stage "base: kernel, trimmed modules"
	kver=$(basename "$root"/lib/modules/*)
	while IFS= read -r m; do rm -rf "${root:?}/lib/modules/$kver/kernel/$m"; done < <(list drop-modules.list)
	chroot "$root" depmod "$kver"
	cp "$root/boot/vmlinuz-$kver" "$work/vmlinuz"
	cp "$root/boot/initrd.img-$kver" "$work/initrd.img"
	stage "base: squashfs"
	mksquashfs "$root" "$work/00-base.squashfs" -comp zstd -noappend -quiet -e boot
	rm -rf "$root"
	mv "$work" "$dir"
}

# grub.cfg beside this script, its placeholders filled.
grub_cfg() {
	sed -e "s|@KERNEL@|/$KERNEL|g" -e "s|@INITRD@|/$INITRD|g" "$HERE/grub.cfg" >"$1"
	if grep -n '@[A-Z_]*@' "$1" >&2; then
		echo "image: grub.cfg: a placeholder the recipe does not fill" >&2
		false
	fi
}

# ---- Wi-Fi firmware (lan.wifi_firmware, firmware-sets.list) ----
# Debian's non-free-firmware component, for the firmware packages only: a
# private apt sources list and state, so neither the base nor the machine's
# apt ever sees the component.
FIRMWARE_MIRROR=${SCOUT_FIRMWARE_MIRROR:-http://deb.debian.org/debian}

# firmware_apt DIR COMMAND ARGS...: apt-get or apt-cache on DIR's private
# sources list (apt.conf's proxies still apply). DIR is in the builder's
# cache, which apt's _apt user may not reach: apt runs as root here, and
# checks what it fetches against the archive's signed index all the same.
firmware_apt() {
	local dir=$1 cmd=$2
	shift 2
	"$cmd" -q -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" -o APT::Sandbox::User=root "$@"
}

# firmware_set NAME: "PACKAGE PATTERN..." from firmware-sets.list.
firmware_set() {
	sed -e 's/#.*//' "$HERE/firmware-sets.list" | awk -v n="$1" '$1 == n { $1 = ""; sub(/^ /, ""); print; f = 1 } END { exit !f }'
}

# firmware_unpack DEB PATTERNS DEST: the package's firmware files that
# match, at DEST/usr/lib/firmware (merged /usr: never lib/; bookworm's
# packages still ship them under lib/firmware).
firmware_unpack() {
	local deb=$1 patterns=$2 dest=$3 x=$3.deb p src pats
	read -r -a pats <<<"$patterns" # the words, not yet globbed
	mkdir -p "$x" "$dest/usr/lib/firmware"
	dpkg-deb -x "$deb" "$x"
	for src in "$x/lib/firmware" "$x/usr/lib/firmware"; do
		[ -d "$src" ] || continue
		for p in "${pats[@]}"; do
			(cd "$src" && for f in $p; do
				if [ -e "$f" ] || [ -L "$f" ]; then cp -a --parents "$f" "$dest/usr/lib/firmware/"; fi
			done)
		done
	done
	rm -rf "$x"
	[ -n "$(ls -A "$dest/usr/lib/firmware")" ] || { echo "image: $deb has no firmware matching '$patterns'" >&2; false; }
}

# firmware_layer NAME CACHE DIR WORK: DIR/10-firmware-NAME.squashfs, from
# the cache when the package (by its SHA256 in the archive), the set's line
# and this code are the same; else made in WORK/NAME.
firmware_layer() {
	local name=$1 cache=$2 dir=$3 work=$4/$1 line pkg patterns sha key layer t
	line=$(firmware_set "$name") || { echo "image: lan.wifi_firmware: no set '$name' in firmware-sets.list" >&2; false; }
	pkg=${line%% *} patterns=${line#* }
	sha=$(firmware_apt "$FIRMWARE_APT" apt-cache show --no-all-versions "$pkg" | sed -n 's/^SHA256: //p')
	[ -n "$sha" ] || { echo "image: $pkg: not in $FIRMWARE_MIRROR $SUITE non-free-firmware" >&2; false; }
	key=$({ echo "$sha $line"; declare -f firmware_unpack firmware_layer; } | sha256sum | cut -c1-16)
	layer=$cache/firmware-$name-$key.squashfs
	if [ ! -f "$layer" ]; then
		mkdir -p "$work/deb"
		(cd "$work/deb" && firmware_apt "$FIRMWARE_APT" apt-get download "$pkg" >/dev/null)
		firmware_unpack "$work"/deb/*.deb "$patterns" "$work/root"
		# Every time the newest file's (the package's): the same package
		# makes the same layer, byte for byte, whenever it is built.
		t=$(find "$work/root" -type f -printf '%T@\n' | sort -n | tail -1 | cut -d. -f1)
		mksquashfs "$work/root" "$work/layer.squashfs" -comp zstd -all-root -noappend -quiet -no-progress \
			-all-time "$t" -mkfs-time "$t" >&2
		# Into the cache under a temporary name, then renamed: a layer
		# there is always whole.
		cp "$work/layer.squashfs" "$layer.$$.tmp"
		mv "$layer.$$.tmp" "$layer"
		rm -rf "$work"
	else
		echo "image: firmware $name: cached in $layer" >&2
	fi
	ln "$layer" "$dir/10-firmware-$name.squashfs" 2>/dev/null || cp "$layer" "$dir/10-firmware-$name.squashfs"
	echo "image: firmware $name ($pkg): $(du -k --apparent-size "$layer" | awk '{ printf "%.1f", $1 / 1024 }') MiB" >&2
}

# firmware_layers CACHE DIR WORK SET...: DIR/10-firmware-SET.squashfs for
# each, made in WORK (the image's temporary directory, removed at exit
# whatever happens). Run as a command, never in $(...), where bash drops
# set -e.
firmware_layers() {
	local cache=$1 dir=$2 work=$3/firmware name
	shift 3
	[ $# -gt 0 ] || return 0
	FIRMWARE_APT=$work/apt
	mkdir -p "$FIRMWARE_APT/lists/partial" "$FIRMWARE_APT/cache/archives/partial"
	echo "deb $FIRMWARE_MIRROR $SUITE non-free-firmware" >"$FIRMWARE_APT/sources.list"
	firmware_apt "$FIRMWARE_APT" apt-get update >/dev/null
	for name in "$@"; do
		firmware_layer "$name" "$cache" "$dir" "$work"
	done
	rm -rf "$work"
}

# module_list SET...: the layers live-boot stacks, bottom first: the base,
# the firmware sets, the overlay.
module_list() {
	local name
	echo 00-base.squashfs
	for name in "$@"; do echo "10-firmware-$name.squashfs"; done
	echo 90-overlay.squashfs
}

main() {
	local out='' format cache key base tmp iso k v nspawn machine uid_base f sets=''
	while IFS= read -r -d '' k && IFS= read -r -d '' v; do
		case $k in out) out=$v ;; format) format=$v ;; wifi_firmware) sets=$v ;; esac
	done < <("$NETGEN" paths "$@")
	# paths prints nothing when the profile is wrong (it said why).
	[ -n "$out" ] || exit 1
	IMAGE_T0=$(now)
	trap 'stage_failed' ERR
	set -E
	stage "overlay (scout-netgen build)"
	"$NETGEN" build --make-keys --programs "$@"
	nspawn=$(overlay_nspawn "$out/overlay.$format")
	machine=$(basename "$nspawn" .nspawn)
	[ -n "$nspawn" ] && [ "$nspawn" = "${nspawn%%$'\n'*}" ] || { echo "image: the overlay has no etc/systemd/nspawn/NAME.nspawn" >&2; exit 1; }
	uid_base=$(tar -xOf "$out/overlay.$format" "$nspawn" | sed -n 's/^PrivateUsers=\([0-9][0-9]*\):65536$/\1/p')
	[ -n "$uid_base" ] || { echo "image: $nspawn has no PrivateUsers=BASE:65536" >&2; exit 1; }
	key=$({ (cd "$HERE" && sha256sum "${BASE_INPUTS[@]}"); echo "$SUITE $machine $uid_base"
		dpkg --print-architecture; apt_sources | xargs cat; } | sha256sum | cut -c1-16)
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/scout-netgen
	base=$cache/base-$key
	if [ -d "$base" ]; then
		echo "image: base: cached in $base" >&2
	else
		mkdir -p "$cache"
		build_base "$base" "$machine" "$uid_base"
	fi
	stage "overlay layer (squashfs)"
	tmp=$(mktemp -d "$out/.image.XXXXXX")
	IMAGE_TMP=$tmp
	trap 'rm -rf "$IMAGE_TMP"' EXIT
	mkdir -p "$tmp/overlay" "$tmp/iso/live" "$tmp/iso/boot/grub"
	tar --numeric-owner -xpf "$out/overlay.$format" -C "$tmp/overlay"
	mksquashfs "$tmp/overlay" "$tmp/iso/live/90-overlay.squashfs" -comp zstd -noappend -quiet
	if [ -n "$sets" ]; then
		stage "firmware layers ($sets)"
		# shellcheck disable=SC2086 # the set names are words
		firmware_layers "$cache" "$tmp/iso/live" "$tmp" $sets
	fi
	stage "ISO (grub-mkrescue, BIOS and UEFI)"
	for f in 00-base.squashfs:live/00-base.squashfs vmlinuz:$KERNEL initrd.img:$INITRD; do
		ln "$base/${f%%:*}" "$tmp/iso/${f#*:}" 2>/dev/null || cp "$base/${f%%:*}" "$tmp/iso/${f#*:}"
	done
	# shellcheck disable=SC2086 # the set names are words
	module_list $sets >"$tmp/iso/live/filesystem.module"
	grub_cfg "$tmp/iso/boot/grub/grub.cfg"
	iso=$tmp/scout.iso
	grub-mkrescue -o "$iso" "$tmp/iso" -- -volid SCOUT >"$tmp/grub.log" 2>&1 || { cat "$tmp/grub.log" >&2; false; }
	mv "$iso" "$out/scout.iso"
	stage_end
	echo "image: $out/scout.iso, $(( $(stat -c %s "$out/scout.iso") / 1048576 )) MiB, in $(since "$IMAGE_T0") s" >&2
}

main "$@"
