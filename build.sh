#!/usr/bin/env bash
# Builds the scout's network overlay from config/network.yaml.
# ./build.sh --help for usage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# Debian packages, by what needs them.
BUILD_PACKAGES=(gcc make pkg-config libc6-dev libyaml-dev libarchive-dev libssl-dev)
CHECK_PACKAGES=("${BUILD_PACKAGES[@]}" libcmocka-dev tar gzip zstd valgrind
	iproute2 util-linux systemd-container)

usage() {
	cat <<'USAGE'
Usage: ./build.sh [--config FILE] [--out DIR] [--format tar.gz|tar.zst|tar]
       ./build.sh check [--config FILE]
       ./build.sh deps [build|check]

  (no command)  build DIR/overlay.FORMAT from the profile
                (defaults: config/network.yaml, build/, tar.gz)
  check         validate the profile, templates, keys and resources only
  deps          install the Debian packages the build (or the tests) need

Other options (--keys DIR, --templates DIR, --resources DIR, --quiet) are
passed to scout-netgen; see `man generator/scout-netgen.1`.
The archive's mtimes are SOURCE_DATE_EPOCH, or 0 (1970-01-01) when unset.
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
	;;
deps)
	case "${2:-build}" in
	build) need_packages "${BUILD_PACKAGES[@]}" ;;
	check) need_packages "${CHECK_PACKAGES[@]}" ;;
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
	exec generator/scout-netgen build "$@"
	;;
esac
