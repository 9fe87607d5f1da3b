#!/usr/bin/env bash
# Builds the scout's network overlay from config/network.yaml.
# ./build.sh --help for usage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Debian packages, by what needs them.
BUILD_PACKAGES=(gcc make pkg-config libc6-dev libyaml-dev libarchive-dev libssl-dev
	libip4tc-dev libip6tc-dev libncurses-dev libnetfilter-conntrack-dev libsystemd-dev libmnl-dev)
BUILD_PACKAGES+=(openssh-client)
CHECK_PACKAGES=("${BUILD_PACKAGES[@]}" libcmocka-dev tar gzip zstd valgrind
	iproute2 util-linux systemd-container iptables shellcheck openvpn openssl faketime
	cppcheck clang clang-tools tmux dbus-daemon iputils-ping python3-scapy dnsmasq-base strace
	iwd libell-dev nftables wireguard-go wireguard-tools)

# ./build.sh image: Debian's own tools make the live ISO (generator/image/recipe.sh;
# what goes into the ISO is listed beside it).
IMAGE_PACKAGES=(mmdebstrap squashfs-tools xorriso grub-common mtools
	perl debian-archive-keyring tar gzip zstd)
# make check-image boots the ISO: QEMU, a LAN with dnsmasq, the expert's
# OpenVPN and OpenSSH, nmap as the LAN's port scanner.
IMAGE_TEST_PACKAGES=(qemu-system-x86 ovmf dnsmasq-base nmap openvpn openssh-client iproute2 util-linux iputils-ping
	wireguard-go wireguard-tools)
usage() {
	cat <<'USAGE'
Usage: ./build.sh [options]          the overlay, the exports and the firewall
       ./build.sh check [options]    validate only; writes nothing
       ./build.sh image [options]    all of that, and DIR/scout.iso, a live ISO
                                     (--check [NAME=]SHA256: and whether it is
                                     the ISO with that sha256)
       ./build.sh deps [build|check|image] install the Debian packages needed
                                     (image: to build and to boot-test the ISO)

./build.sh is `scout-netgen build --make-keys --programs`: it makes the
VPN's keys when there are none, compiles /usr/sbin/host-iptables for the
profile and /usr/sbin/scout-console, and writes build/overlay.tar.gz and build/exports/. The options are
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

# ./build.sh image: generator/image/recipe.sh, once the generator and the tools are
# there.
image() {
	generator
	need_packages "${IMAGE_PACKAGES[@]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "build.sh: image needs root (mmdebstrap --mode=root, and the container's owners are shifted with chown)" >&2
		exit 1
	fi
	exec generator/image/recipe.sh generator/scout-netgen "$@"
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
	exec generator/scout-netgen build --make-keys --programs "$@"
	;;
esac
