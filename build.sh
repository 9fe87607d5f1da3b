#!/usr/bin/env bash
# Builds the scout's network overlay from config/network.yaml.
# ./build.sh --help for usage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Debian packages, by what needs them.
BUILD_PACKAGES=(gcc make pkg-config libc6-dev libyaml-dev libarchive-dev libssl-dev
	libip4tc-dev libip6tc-dev)
CHECK_PACKAGES=("${BUILD_PACKAGES[@]}" libcmocka-dev tar gzip zstd valgrind
	iproute2 util-linux systemd-container iptables shellcheck openvpn openssl faketime
	cppcheck clang clang-tools)

usage() {
	cat <<'USAGE'
Usage: ./build.sh [options]          the overlay, the exports and the firewall
       ./build.sh check [options]    validate only; writes nothing
       ./build.sh deps [build|check] install the Debian packages needed

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

case "${1:-}" in
-h | --help | help)
	usage
	generator
	generator/scout-netgen build --help | sed -n '/^Options:/,$p'
	;;
deps)
	case "${2:-build}" in
	build) need_packages "${BUILD_PACKAGES[@]}" ;;
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
*)
	generator
	exec generator/scout-netgen build --make-keys --host-iptables "$@"
	;;
esac
