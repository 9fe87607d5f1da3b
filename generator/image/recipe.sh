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
# The files the base is built from: a change to any rebuilds it, as does a
# change to the functions that build it (BASE_FUNCTIONS, by their text: a
# change elsewhere in this file, to the overlay's or the ISO's steps,
# keeps the base).
BASE_INPUTS=(shift-ids.pl packages-scout.list packages-container.list drop-modules.list
	packages-boot.list grub-modules.list initramfs/scout.conf initramfs/scout-trim initramfs/scout-trim.list)
# (Not debs_report, debs_keep, debs_used_hook, debs_check_code: they
# check, report and keep the downloads, whatever goes into the base.)
BASE_FUNCTIONS=(build_base mmdebstrap_root list apt_sources boot_download_hook boot_loaders squash initramfs_hook
	iwd_unit_hook)
# The ISO's volume id; GRUB's signed CD image finds the ISO by /.disk/info.
VOLID=SCOUT

STAGE='' STAGE_T0='' IMAGE_T0='' IMAGE_TMP='' FORMAT='' BASE_KEY='' CHECK_FAILED='' PKG_CACHE=''
# Every time in the ISO (the overlay layer's, the ISO 9660 tree's, its
# volume dates and the GPT's GUIDs, which xorriso derives from them): the
# same as the overlay's, SOURCE_DATE_EPOCH or else 0. With the cached base,
# the same profile and keys then give the same ISO bytes.
EPOCH=${SOURCE_DATE_EPOCH:-0}
# --check [NAME=]SHA256: the ISO's expected sha256 (NAME: a fleet's scout).
CHECKS=()
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

# squash SOURCE DEST OPTION...: mksquashfs, zstd, with the times the
# options give: SOURCE_DATE_EPOCH in the environment would set them all
# instead (and refuses options that set times).
squash() {
	env -u SOURCE_DATE_EPOCH mksquashfs "$1" "$2" -comp zstd -noappend -quiet -no-progress "${@:3}" >&2
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

# mmdebstrap_root TARGET PACKAGE_LIST HOSTNAME DEBS [MMDEBSTRAP OPTION...]:
# the root at TARGET; its packages from the package cache (PKG_CACHE) where
# it has them (hard links into the root's apt archive before apt
# downloads: apt checks each against the archive's signed index, as one it
# downloads), and every .deb it was built from left in DEBS (hard links;
# debs_keep makes them the package cache).
mmdebstrap_root() {
	local target=$1 packages hostname=$3 debs=$4
	local sources
	packages=$(list "$2" | paste -sd,)
	shift 4
	mapfile -t sources < <(apt_sources)
	mmdebstrap --quiet --variant=minbase --mode=root --format=directory --include="$packages" \
		--skip=essential/unlink \
		--setup-hook="$(printf 'mkdir -p "$1/var/cache/apt/archives" && find %q -maxdepth 1 -name "*.deb" -exec cp -l -t "$1/var/cache/apt/archives" {} +' "$PKG_CACHE")" \
		--customize-hook="$(debs_used_hook "$debs")" \
		--dpkgopt=force-unsafe-io \
		--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
		"$@" \
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
	mkdir -p "$PKG_CACHE"
	mmdebstrap_root "$work/container" packages-container.list container "$work/debs-container" \
		>"$work/container.log" 2>&1 &
	pid=$!
	mmdebstrap_root "$root" packages-scout.list scout "$work/debs-scout" --essential-hook="$(initramfs_hook)" \
		--customize-hook="$(boot_download_hook "$work/boot-debs")" --customize-hook="$(iwd_unit_hook)" ||
		{ kill "$pid"; wait "$pid"; false; }
	wait "$pid" || { tail -20 "$work/container.log" >&2; false; }
	debs_report "the scout's root" "$work/debs-scout"
	debs_report "the container's root" "$work/debs-container"
	debs_report "the boot loaders" "$work/boot-debs"
	debs_keep "$work/debs-scout" "$work/debs-container" "$work/boot-debs"
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
	stage "base: boot loaders (signed shim and GRUB for UEFI, GRUB for BIOS)"
	boot_loaders "$work"
	stage "base: squashfs"
	squash "$root" "$work/00-base.squashfs" -e boot
	rm -rf "$root"
	mv "$work" "$dir"
}

# A customize hook of mmdebstrap: iwd.service as Debian's, but not
# ordered before network.target. With that order the VPN (after
# network-online, after network.target) waited for iwd's start (2.4 s
# under TCG) on every scout, wired or not; a scout on Wi-Fi still waits
# for its link to be online (networkd-wait-online). In /etc, so the
# overlay's drop-in still applies.
iwd_unit_hook() {
	printf '%s' 'u=$1/usr/lib/systemd/system/iwd.service; if grep -qx "Before=network.target" "$u"; then
		sed "/^Before=network.target$/d" "$u" >"$1/etc/systemd/system/iwd.service"; else
		echo "image: $u: no Before=network.target line to leave out (iwd_unit_hook)" >&2; false; fi'
}

# The package cache's files are checked here, not by apt: apt takes a
# file in its archive whose size is right (a same-size file of zeros
# passes) without its hash. debs_check_code: the shell code (of a hook)
# that checks the .deb files in the current directory against $sums
# ("SHA256  FILE" lines, from the archive's signed index); one that does
# not match is removed from the package cache ($c), and the hook fails.
debs_check_code() {
	cat <<'HOOK'
bad=$(sha256sum --quiet --ignore-missing -c "$sums" 2>/dev/null | sed -n 's/: FAILED.*$//p')
if [ -n "$bad" ]; then
	for f in $bad; do
		echo "image: $f does not match the archive's index; removed from the package cache: build again" >&2
		rm -f "$c/$f"
	done
	exit 1
fi
HOOK
}

# A customize hook of mmdebstrap: the .deb files of the packages the root
# has (dpkg's database; the apt archive also has the package cache's
# others), checked against the index (debs_check_code) and linked into
# DIR. apt names them PACKAGE_VERSION_ARCH.deb, an epoch's colon as %3a.
debs_used_hook() {
	printf 'd=%q c=%q sums=%q.sums && ' "$1" "$PKG_CACHE" "$1"
	cat <<'HOOK'
mkdir -p "$d" && export APT_CONFIG="$MMDEBSTRAP_APT_CONFIG" &&
dpkg-query --admindir="$1/var/lib/dpkg" -W -f '${Package}=${Version}\n' | xargs apt-cache show |
	awk '/^Package: / { p = $2 } /^Version: / { v = $2; gsub(/:/, "%3a", v) } /^Architecture: / { r = $2 }
		/^SHA256: / { print $2 "  " p "_" v "_" r ".deb" }' | sort -u >"$sums" && [ -s "$sums" ] &&
cd "$1/var/cache/apt/archives" || exit 1
HOOK
	debs_check_code
	echo 'while read -r s f; do if [ -e "$f" ]; then ln "$f" "$d/"; fi; done <"$sums"'
}

# debs_report LABEL DIR: what DIR's .deb files are: downloaded, or hard
# links to the package cache's (the same inode).
debs_report() {
	awk -v what="$1" 'FILENAME == ARGV[1] { cached[$1] = 1; next }
		{ if ($1 in cached) { cn++; cb += $2 } else { n++; b += $2 } }
		END { printf "image: base: %s: downloaded %d package%s (%.1f MiB), %d from the package cache (%.1f MiB)\n",
			what, n, n == 1 ? "" : "s", b / 1048576, cn, cb / 1048576 }' \
		<(find "$PKG_CACHE" -maxdepth 1 -name '*.deb' -printf '%i\n') \
		<(find "$2" -maxdepth 1 -name '*.deb' -printf '%i %s\n') >&2
}

# debs_keep DIR...: the package cache becomes the .deb files of DIRs (the
# roots just built): new ones linked in, those no root used removed.
debs_keep() {
	local d f new=() old=()
	declare -A used=()
	for d in "$@"; do
		for f in "$d"/*.deb; do
			# The same package in two roots: one is enough.
			[ -e "$f" ] && [ -z "${used[${f##*/}]:-}" ] || continue
			used[${f##*/}]=1
			[ "$f" -ef "$PKG_CACHE/${f##*/}" ] || new+=("$f")
		done
	done
	[ ${#new[@]} -eq 0 ] || ln -f -t "$PKG_CACHE" "${new[@]}" 2>/dev/null || cp -f -t "$PKG_CACHE" "${new[@]}"
	for f in "$PKG_CACHE"/*.deb; do
		[ -e "$f" ] && [ -z "${used[${f##*/}]:-}" ] && old+=("$f")
	done
	[ ${#old[@]} -eq 0 ] || rm -f "${old[@]}"
	echo "image: base: the package cache: ${#used[@]} packages, $(du -sm "$PKG_CACHE" | cut -f1) MiB in $PKG_CACHE" >&2
}

# An essential hook of mmdebstrap (run before the kernel is installed)
# that puts initramfs/ beside this script into the root's
# /etc/initramfs-tools: the kernel's initramfs is then made once, as the
# live ISO needs it (zstd; only what finds and mounts the live medium).
initramfs_hook() {
	local d=/etc/initramfs-tools
	printf 'install -D -m 644 %q "$1%s" && install -D -m 755 %q "$1%s" && install -D -m 644 %q "$1%s"' \
		"$HERE/initramfs/scout.conf" "$d/conf.d/scout.conf" "$HERE/initramfs/scout-trim" "$d/hooks/scout-trim" \
		"$HERE/initramfs/scout-trim.list" "$d/scout-trim.list"
}

# A customize hook of mmdebstrap that downloads packages-boot.list's
# packages into DIR, from the lists the root was built from; those the
# package cache has are linked from it (apt-get download keeps a file of
# the right size), and all are checked against the index (debs_check_code).
boot_download_hook() {
	printf 'mkdir -p %q && cd %q && c=%q sums=%q.sums p=%q && ' "$1" "$1" "$PKG_CACHE" "$1" \
		"$(list packages-boot.list | paste -sd' ')"
	cat <<'HOOK'
export APT_CONFIG="$MMDEBSTRAP_APT_CONFIG" && uris=$(apt-get download --print-uris -qq $p) && [ -n "$uris" ] &&
for f in $(echo "$uris" | cut -d' ' -f2); do if [ -e "$c/$f" ]; then cp -l "$c/$f" .; fi; done &&
apt-get download -qq $p && echo "$uris" | awk '{ sub(/^SHA256:/, "", $4); print $4 "  " $2 }' >"$sums" || exit 1
HOOK
	debs_check_code
}

# The boot loaders, in WORK/boot: efi.img, the FAT image that is both the
# El Torito UEFI image and the USB stick's EFI system partition
# (EFI/boot/bootx64.efi: shim; grubx64.efi: GRUB's signed CD image, which
# finds the ISO by /.disk/info and reads /boot/grub/grub.cfg; mmx64.efi:
# shim's MOK manager), and GRUB's BIOS El Torito image and hybrid MBR.
boot_loaders() {
	local work=$1 x=$1/boot-debs/x boot=$1/boot deb epoch
	for deb in "$work"/boot-debs/*.deb; do dpkg-deb -x "$deb" "$x"; done
	mkdir -p "$boot"
	# The FAT image's times: its newest file's, so the same packages give
	# the same bytes (mtools reads SOURCE_DATE_EPOCH).
	epoch=$(stat -c %Y "$x"/usr/lib/shim/*.efi.signed "$x"/usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed | sort -n | tail -1)
	truncate -s 8M "$boot/efi.img"
	SOURCE_DATE_EPOCH=$epoch mformat -i "$boot/efi.img" -N 5c0a7001 -h 2 -s 32 -t 256 -v SCOUT_EFI ::
	SOURCE_DATE_EPOCH=$epoch mmd -i "$boot/efi.img" ::/EFI ::/EFI/boot
	SOURCE_DATE_EPOCH=$epoch mcopy -m -i "$boot/efi.img" "$x/usr/lib/shim/shimx64.efi.signed" ::/EFI/boot/bootx64.efi
	SOURCE_DATE_EPOCH=$epoch mcopy -m -i "$boot/efi.img" "$x/usr/lib/shim/mmx64.efi.signed" ::/EFI/boot/mmx64.efi
	SOURCE_DATE_EPOCH=$epoch mcopy -m -i "$boot/efi.img" "$x/usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed" \
		::/EFI/boot/grubx64.efi
	# shellcheck disable=SC2046 # one module a word
	grub-mkimage -O i386-pc-eltorito -d "$x/usr/lib/grub/i386-pc" -p /boot/grub -o "$boot/eltorito.img" \
		$(list grub-modules.list)
	cp "$x/usr/lib/grub/i386-pc/boot_hybrid.img" "$boot/boot_hybrid.img"
	rm -rf "$work/boot-debs"
}

# xorriso_iso TREE BASE ISO: a hybrid ISO as Debian's and Ubuntu's live
# ISOs are: El Torito BIOS (GRUB) and UEFI (the EFI system partition's
# image) from a CD; written to a USB stick, GRUB's hybrid MBR for BIOS and
# a GPT with the EFI system partition for UEFI. Its times: SOURCE_DATE_EPOCH
# gives the volume's and the GPT's GUIDs; every file's is set to it after
# the tree is read (-alter_date_r: the tree's own are the build's).
xorriso_iso() {
	local tree=$1 base=$2 iso=$3
	mkdir -p "$tree/.disk" "$tree/boot/grub/i386-pc"
	echo "Scout live" >"$tree/.disk/info"
	cp "$base/boot/eltorito.img" "$tree/boot/grub/i386-pc/eltorito.img"
	SOURCE_DATE_EPOCH=$EPOCH xorriso -as mkisofs -o "$iso" -V "$VOLID" -r -iso-level 3 \
		--grub2-mbr "$base/boot/boot_hybrid.img" -partition_offset 16 --mbr-force-bootable \
		-append_partition 2 0xef "$base/boot/efi.img" -appended_part_as_gpt \
		-c boot/boot.cat -b boot/grub/i386-pc/eltorito.img -no-emul-boot -boot-load-size 4 -boot-info-table \
		--grub2-boot-info -eltorito-alt-boot -e --interval:appended_partition_2:all:: -no-emul-boot \
		"$tree" -- -alter_date_r b "=$EPOCH" / --
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
		squash "$work/root" "$work/layer.squashfs" -all-root -all-time "$t" -mkfs-time "$t"
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

# overlay_machine OVERLAY: "MACHINE UID_BASE", from the overlay's one
# .nspawn file: the base is built for them.
overlay_machine() {
	local overlay=$1 nspawn uid_base
	nspawn=$(overlay_nspawn "$overlay")
	[ -n "$nspawn" ] && [ "$nspawn" = "${nspawn%%$'\n'*}" ] || { echo "image: $overlay has no etc/systemd/nspawn/NAME.nspawn" >&2; return 1; }
	uid_base=$(tar -xOf "$overlay" "$nspawn" | sed -n 's/^PrivateUsers=\([0-9][0-9]*\):65536$/\1/p')
	[ -n "$uid_base" ] || { echo "image: $nspawn has no PrivateUsers=BASE:65536" >&2; return 1; }
	echo "$(basename "$nspawn" .nspawn) $uid_base"
}

# scout_iso NAME DIR BASE WORK FIRMWARE SET...: DIR/scout.iso for the
# scout whose overlay is DIR/overlay.FORMAT: the base's files, the firmware
# layers made once for the fleet (in FIRMWARE), and its own overlay layer,
# made in WORK. NAME labels the stages (empty for the one scout).
scout_iso() {
	local name=$1 dir=$2 base=$3 work=$4 firmware=$5 label='' f
	shift 5
	[ -z "$name" ] || label="$name: "
	stage "${label}overlay layer (squashfs)"
	mkdir -p "$work/iso/live" "$work/iso/boot/grub"
	# The layer's root is the live system's /: 0755 whatever the
	# builder's umask (live-boot's overlayfs takes the top layer's).
	mkdir -m 755 "$work/overlay"
	tar --numeric-owner -xpf "$dir/overlay.$FORMAT" -C "$work/overlay"
	squash "$work/overlay" "$work/iso/live/90-overlay.squashfs" -all-time "$EPOCH" -mkfs-time "$EPOCH"
	rm -rf "$work/overlay"
	stage "${label}ISO (xorriso: BIOS and UEFI, CD and USB stick)"
	local files=("$base/00-base.squashfs:live/00-base.squashfs" "$base/vmlinuz:$KERNEL" "$base/initrd.img:$INITRD")
	for f in "$@"; do files+=("$firmware/10-firmware-$f.squashfs:live/10-firmware-$f.squashfs"); done
	for f in "${files[@]}"; do
		ln "${f%:*}" "$work/iso/${f##*:}" 2>/dev/null || cp "${f%:*}" "$work/iso/${f##*:}"
	done
	module_list "$@" >"$work/iso/live/filesystem.module"
	grub_cfg "$work/iso/boot/grub/grub.cfg"
	xorriso_iso "$work/iso" "$base" "$work/scout.iso" >"$work/xorriso.log" 2>&1 || { cat "$work/xorriso.log" >&2; false; }
	mv "$work/scout.iso" "$dir/scout.iso"
	rm -rf "$work"
	stage_end
	local sha
	sha=$(sha256sum "$dir/scout.iso" | cut -d' ' -f1)
	echo "image: $dir/scout.iso, $(( $(stat -c %s "$dir/scout.iso") / 1048576 )) MiB, in $(since "$IMAGE_T0") s" >&2
	echo "image: ${label}sha256 $sha (base $BASE_KEY, SOURCE_DATE_EPOCH $EPOCH)" >&2
	check_sha "$name" "$dir/scout.iso" "$sha"
}

# check_sha NAME ISO SHA256: against --check's, when given for NAME (or
# for the one scout); a mismatch is remembered (main fails at the end).
check_sha() {
	local c want=''
	for c in "${CHECKS[@]}"; do
		case $c in
		"$1"=*) want=${c#*=} ;;
		*=*) ;;
		*) [ -z "$1" ] && want=$c ;;
		esac
	done
	[ -n "$want" ] || return 0
	if [ "$want" = "$3" ]; then
		echo "image: $2 matches --check $want" >&2
	else
		echo "image: $2 does NOT match --check $want: its sha256 is $3" >&2
		CHECK_FAILED=1
	fi
}

# checks_known NAME...: every --check names a scout this profile builds
# (or, bare, the one scout), and is a sha256.
checks_known() {
	local c n ok
	for c in "${CHECKS[@]}"; do
		[[ ${c##*=} =~ ^[0-9a-f]{64}$ ]] || { echo "image: --check '$c': not a sha256 (64 hex digits)" >&2; return 1; }
		if [[ $c == *=* ]]; then
			ok=
			for n in "$@"; do [ "${c%%=*}" = "$n" ] && ok=1; done
			[ -n "$ok" ] || { echo "image: --check '$c': no scout '${c%%=*}' in the profile" >&2; return 1; }
		elif [ $# -gt 0 ]; then
			echo "image: --check '$c': the profile has several scouts; say which: --check NAME=SHA256" >&2
			return 1
		fi
	done
}

# stale_isos OUT NAME...: the ISOs of an earlier build that this profile
# does not make, removed, so that none is taken for this profile's: OUT's
# own when the profile has several scouts (NAME...), and those of
# OUT/scouts/* whose scout is not listed (all of them for one scout).
stale_isos() {
	local out=$1 d n keep
	shift
	if [ $# -gt 0 ] && [ -e "$out/scout.iso" ]; then
		echo "image: $out/scout.iso removed: the profile has several scouts" >&2
		rm -f "$out/scout.iso"
	fi
	for d in "$out"/scouts/*/; do
		[ -e "$d/scout.iso" ] || continue
		keep=
		for n in "$@"; do [ "$d" = "$out/scouts/$n/" ] && keep=1; done
		[ -n "$keep" ] && continue
		echo "image: ${d}scout.iso removed: no scout $(basename "$d") in the profile" >&2
		rm -f "$d/scout.iso"
	done
}

main() {
	local out='' cache key base tmp k v machine m f sets='' scouts='' names dirs i args=()
	# --check is the recipe's; every other option is scout-netgen's.
	while [ $# -gt 0 ]; do
		case $1 in
		--check) [ $# -ge 2 ] || { echo "image: --check needs a sha256" >&2; exit 2; }; CHECKS+=("$2"); shift 2 ;;
		--check=*) CHECKS+=("${1#--check=}"); shift ;;
		*) args+=("$1"); shift ;;
		esac
	done
	set -- "${args[@]}"
	[[ $EPOCH =~ ^[0-9]{1,10}$ ]] || { echo "image: SOURCE_DATE_EPOCH='$EPOCH' is not a number of seconds" >&2; exit 2; }
	while IFS= read -r -d '' k && IFS= read -r -d '' v; do
		case $k in out) out=$v ;; format) FORMAT=$v ;; wifi_firmware) sets=$v ;; scouts) scouts=$v ;; esac
	done < <("$NETGEN" paths "$@")
	# paths prints nothing when the profile is wrong (it said why).
	[ -n "$out" ] || exit 1
	# shellcheck disable=SC2086 # the scouts' names are words
	checks_known $scouts || exit 2
	# One scout: OUT/scout.iso; several: OUT/scouts/NAME/scout.iso each.
	read -r -a names <<<"$scouts"
	dirs=()
	for i in "${names[@]}"; do dirs+=("$out/scouts/$i"); done
	[ ${#names[@]} -gt 0 ] || { names=(''); dirs=("$out"); }
	IMAGE_T0=$(now)
	trap 'stage_failed' ERR
	set -E
	stage "overlay (scout-netgen build)"
	"$NETGEN" build --make-keys --programs "$@"
	stale_isos "$out" $scouts
	# The base is the same for every scout of a fleet: one container,
	# the same uid base.
	machine=$(overlay_machine "${dirs[0]}/overlay.$FORMAT")
	for i in "${dirs[@]:1}"; do
		m=$(overlay_machine "$i/overlay.$FORMAT")
		[ "$m" = "$machine" ] || { echo "image: $i: container '$m', not '$machine' as ${dirs[0]}'s" >&2; exit 1; }
	done
	stage_end
	key=$({ (cd "$HERE" && sha256sum "${BASE_INPUTS[@]}"); declare -f "${BASE_FUNCTIONS[@]}"
		echo "$SUITE $machine"; dpkg --print-architecture; apt_sources | xargs cat; } | sha256sum | cut -c1-16)
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/scout-netgen
	base=$cache/base-$key
	PKG_CACHE=$cache/debs-$SUITE-$(dpkg --print-architecture)
	BASE_KEY=$key
	# Two builds at once (CI jobs, a builder's two profiles) would build
	# the same base in the same work directory: the second waits.
	mkdir -p "$cache"
	exec 9>"$base.lock"
	flock 9
	if [ -d "$base" ]; then
		echo "image: base: cached in $base; skipped: the roots (no download), the owners' shift, the kernel, the boot loaders, the base squashfs" >&2
	else
		# shellcheck disable=SC2086 # MACHINE UID_BASE
		build_base "$base" $machine
	fi
	flock -u 9
	tmp=$(mktemp -d "$out/.image.XXXXXX")
	IMAGE_TMP=$tmp
	trap 'rm -rf "$IMAGE_TMP"' EXIT
	# The firmware layers, made once for every scout.
	mkdir -p "$tmp/layers"
	if [ -n "$sets" ]; then
		stage "firmware layers ($sets)"
		# shellcheck disable=SC2086 # the set names are words
		firmware_layers "$cache" "$tmp/layers" "$tmp" $sets
	fi
	for i in "${!names[@]}"; do
		# shellcheck disable=SC2086 # the set names are words
		scout_iso "${names[$i]}" "${dirs[$i]}" "$base" "$tmp/iso-$i" "$tmp/layers" $sets
	done
	[ ${#names[@]} -eq 1 ] || echo "image: ${#names[@]} ISOs in $(since "$IMAGE_T0") s" >&2
	[ -z "$CHECK_FAILED" ] || exit 1
}

main "$@"
