#!/usr/bin/env bash
# Builds the scout's network overlay from config/network.yaml.
# ./build.sh --help for usage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Debian packages, by what needs them.
BUILD_PACKAGES=(gcc make pkg-config libc6-dev libyaml-dev libarchive-dev libssl-dev
	libip4tc-dev libip6tc-dev libncurses-dev libnetfilter-conntrack-dev)
BUILD_PACKAGES+=(openssh-client)
CHECK_PACKAGES=("${BUILD_PACKAGES[@]}" libcmocka-dev tar gzip zstd valgrind
	iproute2 util-linux systemd-container iptables shellcheck openvpn openssl faketime
	cppcheck clang clang-tools tmux dbus-daemon iputils-ping python3-scapy dnsmasq-base strace)

# ./build.sh image: Debian's own tools make the live ISO.
IMAGE_PACKAGES=(mmdebstrap squashfs-tools xorriso grub-pc-bin grub-efi-amd64-bin grub-common mtools
	perl debian-archive-keyring tar gzip zstd)
# make check-image boots the ISO: QEMU, a LAN with dnsmasq, the expert's
# OpenVPN and OpenSSH, nmap as the LAN's port scanner.
IMAGE_TEST_PACKAGES=(qemu-system-x86 dnsmasq-base nmap openvpn openssh-client iproute2 util-linux iputils-ping)
# What the scout runs (no ifupdown, no NetworkManager: systemd-networkd
# configures the LAN), and what its container runs.
SCOUT_PACKAGES=linux-image-amd64,live-boot,systemd-sysv,systemd,systemd-resolved,udev,kmod,openvpn,iptables,systemd-container,openssh-server,iproute2,dbus,procps,less,libyaml-0-2,libncursesw6,libnetfilter-conntrack3
CONTAINER_PACKAGES=systemd-sysv,systemd,openssh-server,iproute2,dbus,procps
SUITE=bookworm
CONTAINER_UID_BASE=1879048192 # generator/netgen/emit.h: CONTAINER_UID_BASE
# Kernel drivers a remote-forensics scout does without (graphics, sound,
# TV cards, InfiniBand...); wired and wireless network drivers, storage
# and USB stay.
DROP_MODULES=(drivers/gpu drivers/media drivers/infiniband drivers/staging drivers/iio drivers/isdn sound
	net/wireless/tests drivers/net/wireless/ath/ath11k/tests)

usage() {
	cat <<'USAGE'
Usage: ./build.sh [options]          the overlay, the exports and the firewall
       ./build.sh check [options]    validate only; writes nothing
       ./build.sh image [options]    all of that, and DIR/scout.iso, a live ISO
       ./build.sh deps [build|check|image] install the Debian packages needed
                                     (image: to build and to boot-test the ISO)

./build.sh is `scout-netgen build --make-keys --host-iptables`: it makes the
VPN's keys when there are none, compiles /usr/sbin/host-iptables for the
profile and writes build/overlay.tar.gz and build/exports/. The options are
scout-netgen's:
USAGE
}

# Installs the missing packages as root, or says how and stops.
need_packages() {
	local missing=() p
	if ! command -v dpkg-query >/dev/null; then
		echo "build.sh: not a Debian-like system; make sure these are installed: $*" >&2
		return 0
	fi
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local cmd="apt-get install -y --no-install-recommends ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "build.sh: missing packages; as root, run:" >&2
		echo "  apt-get update && $cmd" >&2
		exit 1
	fi
	echo "build.sh: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

generator() {
	need_packages "${BUILD_PACKAGES[@]}"
	make -s generator/scout-netgen >&2
}

# ---- ./build.sh image ----

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

# The machine's own apt sources, so the image builds behind a mirror or
# proxy as apt does.
apt_sources() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
		if [ -s "$f" ] && grep -qv '^[[:space:]]*\(#\|$\)' "$f"; then printf '%s\n' "$f"; fi
	done
	return 0
}

# Adds CONTAINER_UID_BASE to every owner in a tree: the container runs
# with private users, and on a live root nspawn cannot chown at boot. A
# file with several names (hard links) is shifted once.
shift_ids() {
	find "$1" -print0 | BASE=$2 perl -MPOSIX -0ne '
		chomp; my @s = lstat($_) or die "$_: $!\n";
		next if $seen{"$s[0]:$s[1]"}++;
		POSIX::lchown($s[4] + $ENV{BASE}, $s[5] + $ENV{BASE}, $_) or die "$_: $!\n";
		chmod($s[2] & 07777, $_) or die "$_: $!\n" unless -l $_;' 
}

# mmdebstrap_root TARGET PACKAGES HOSTNAME
mmdebstrap_root() {
	local target=$1 packages=$2 hostname=$3
	local sources
	mapfile -t sources < <(apt_sources)
	mmdebstrap --quiet --variant=minbase --mode=root --format=directory --include="$packages" \
		--dpkgopt=force-unsafe-io \
		--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
		--customize-hook='rm -f "$1"/etc/ssh/ssh_host_* "$1"/var/lib/apt/lists/*_* "$1"/var/cache/apt/*.bin' \
		--customize-hook="echo $hostname >\"\$1/etc/hostname\"" \
		"$SUITE" "$target" "${sources[@]}"
}

# The machine name of an overlay: systemd-nspawn@NAME runs the root at
# /var/lib/machines/NAME (container.root is that path), named by the one
# .nspawn file the overlay holds.
overlay_machine() {
	tar -tf "$1" | sed -n 's|^\(\./\)\{0,1\}etc/systemd/nspawn/\([^/]*\)\.nspawn$|\2|p'
}

# The base, built once and cached by what goes into it: the scout's root
# with the container's root in it, at /var/lib/machines/MACHINE, as a
# squashfs, and the kernel and initrd beside it.
# build_base DIR MACHINE
build_base() {
	local dir=$1 machine=$2 work=$1.work root kver pid
	rm -rf "$work"
	mkdir -p "$work"
	root=$work/root
	stage "base: the scout's and the container's roots (mmdebstrap $SUITE, side by side)"
	mmdebstrap_root "$work/container" "$CONTAINER_PACKAGES" container >"$work/container.log" 2>&1 &
	pid=$!
	mmdebstrap_root "$root" "$SCOUT_PACKAGES" scout || { kill "$pid"; wait "$pid"; false; }
	wait "$pid" || { tail -20 "$work/container.log" >&2; false; }
	stage "base: the container's owners shifted to $CONTAINER_UID_BASE"
	shift_ids "$work/container" "$CONTAINER_UID_BASE"
	mkdir -p "$root/var/lib/machines" && chmod 700 "$root/var/lib/machines"
	mv "$work/container" "$root/var/lib/machines/$machine"
	stage "base: kernel, trimmed modules"
	kver=$(basename "$root"/lib/modules/*)
	for m in "${DROP_MODULES[@]}"; do rm -rf "${root:?}/lib/modules/$kver/kernel/$m"; done
	chroot "$root" depmod "$kver"
	cp "$root/boot/vmlinuz-$kver" "$work/vmlinuz"
	cp "$root/boot/initrd.img-$kver" "$work/initrd.img"
	stage "base: squashfs"
	mksquashfs "$root" "$work/00-base.squashfs" -comp zstd -noappend -quiet -e boot
	rm -rf "$root"
	mv "$work" "$dir"
}

image() {
	local out format cache key base tmp iso k v machine
	generator
	while IFS= read -r -d '' k && IFS= read -r -d '' v; do
		case $k in out) out=$v ;; format) format=$v ;; esac
	done < <(generator/scout-netgen paths "$@")
	need_packages "${IMAGE_PACKAGES[@]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "build.sh: image needs root (mmdebstrap --mode=root, and the container's owners are shifted with chown)" >&2
		exit 1
	fi
	IMAGE_T0=$(now)
	trap 'stage_failed' ERR
	set -E
	stage "overlay (scout-netgen build)"
	generator/scout-netgen build --make-keys --host-iptables "$@"
	machine=$(overlay_machine "$out/overlay.$format")
	[ -n "$machine" ] || { echo "image: the overlay has no etc/systemd/nspawn/NAME.nspawn" >&2; exit 1; }
	key=$({ declare -f build_base mmdebstrap_root shift_ids; echo "$SCOUT_PACKAGES $CONTAINER_PACKAGES $SUITE $machine"
		echo "${DROP_MODULES[*]} $CONTAINER_UID_BASE"; dpkg --print-architecture
		apt_sources | xargs cat; } | sha256sum | cut -c1-16)
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/scout-netgen
	base=$cache/base-$key
	if [ -d "$base" ]; then
		echo "image: base: cached in $base" >&2
	else
		mkdir -p "$cache"
		build_base "$base" "$machine"
	fi
	stage "overlay layer (squashfs)"
	tmp=$(mktemp -d "$out/.image.XXXXXX")
	IMAGE_TMP=$tmp
	trap 'rm -rf "$IMAGE_TMP"' EXIT
	mkdir -p "$tmp/overlay" "$tmp/iso/live" "$tmp/iso/boot/grub"
	tar --numeric-owner -xpf "$out/overlay.$format" -C "$tmp/overlay"
	mksquashfs "$tmp/overlay" "$tmp/iso/live/90-overlay.squashfs" -comp zstd -noappend -quiet
	stage "ISO (grub-mkrescue, BIOS and UEFI)"
	for f in 00-base.squashfs vmlinuz initrd.img; do
		ln "$base/$f" "$tmp/iso/live/$f" 2>/dev/null || cp "$base/$f" "$tmp/iso/live/$f"
	done
	printf '00-base.squashfs\n90-overlay.squashfs\n' >"$tmp/iso/live/filesystem.module"
	cat >"$tmp/iso/boot/grub/grub.cfg" <<'GRUB'
serial --unit=0 --speed=115200
terminal_input console serial
terminal_output console serial
set timeout=3
menuentry "Scout (live)" {
	linux /live/vmlinuz boot=live net.ifnames=0 console=tty0 console=ttyS0,115200n8 loglevel=1
	initrd /live/initrd.img
}
GRUB
	iso=$tmp/scout.iso
	grub-mkrescue -o "$iso" "$tmp/iso" -- -volid SCOUT >"$tmp/grub.log" 2>&1 || { cat "$tmp/grub.log" >&2; false; }
	mv "$iso" "$out/scout.iso"
	stage_end
	echo "image: $out/scout.iso, $(( $(stat -c %s "$out/scout.iso") / 1048576 )) MiB, in $(since "$IMAGE_T0") s" >&2
}

case "${1:-}" in
-h | --help | help)
	usage
	generator
	generator/scout-netgen build --help | sed -n '/^Options:/,$p'
	;;
deps)
	case "${2:-build}" in
	build) need_packages "${BUILD_PACKAGES[@]}" ;;
	image) need_packages "${BUILD_PACKAGES[@]}" "${IMAGE_PACKAGES[@]}" "${IMAGE_TEST_PACKAGES[@]}" ;;
	check)
		need_packages "${CHECK_PACKAGES[@]}"
		# libFuzzer's runtime, named after clang's major version.
		rt=libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev
		if apt-cache show "$rt" >/dev/null 2>&1; then need_packages "$rt"; fi
		;;
	*) usage >&2; exit 2 ;;
	esac
	;;
check)
	shift
	generator
	exec generator/scout-netgen check "$@"
	;;
image)
	shift
	image "$@"
	;;
*)
	generator
	exec generator/scout-netgen build --make-keys --host-iptables "$@"
	;;
esac
