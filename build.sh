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
Usage: ./build.sh [--config FILE] [--out DIR] [--format tar.gz|tar.zst|tar]
       ./build.sh check [--config FILE]
       ./build.sh deps [build|check]

  (no command)  build DIR/overlay.FORMAT from the profile, with
                /sbin/host-iptables compiled for it; DIR/rules.v4 and
                DIR/rules.v6 show its rule set
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

# The keys when there are none, the rule set (rules.c, rules.v4, rules.v6),
# host-iptables compiled with it, then the overlay with host-iptables in it
# and the exports.
build() {
	local config=config/network.yaml out=build quiet=() keys=() args=("$@")
	while [ $# -gt 0 ]; do
		case $1 in
		-c | --config) config=${2:-}; shift ;;
		--config=*) config=${1#*=} ;;
		-o | --out) out=${2:-}; shift ;;
		--out=*) out=${1#*=} ;;
		-q | --quiet) quiet=(-q) ;;
		-k | --keys) keys=(-k "${2:-}"); shift ;;
		--keys=*) keys=(-k "${1#*=}") ;;
		-f | --format | -t | --templates | -r | --resources | -a | --add) shift ;;
		esac
		shift || true
	done
	generator
	generator/scout-netgen keys "${quiet[@]}" -c "$config" "${keys[@]}"
	generator/scout-netgen rules "${quiet[@]}" -c "$config" -o "$out"
	make -s host-iptables OUT="$out" >&2
	exec generator/scout-netgen build "${args[@]}" --add "sbin/host-iptables=$out/host-iptables"
}

case "${1:-}" in
-h | --help | help)
	usage
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
	build "$@"
	;;
esac
