#!/usr/bin/env bash
# The image recipe's package cache (generator/image/recipe.sh): apt takes a
# .deb in its archive whose size is right without checking its hash, so
# the recipe's hooks check every file against the archive's signed index.
# Here the hooks run as mmdebstrap runs them (sh, $1 the root), on this
# machine's apt lists, with real packages from the archive (apt-get
# download) and same-size files of zeros planted in the package cache.
. "$(dirname "$0")/lib.sh"

RECIPE=$TOP/generator/image/recipe.sh
need recipe "apt has no index of the archive here (apt-get update)" \
	sh -c 'apt-cache show --no-all-versions hello | grep -q "^SHA256: "'
# The hooks' functions, as the recipe has them.
# shellcheck disable=SC1090
. <(sed -n '/^list()/,/^}/p; /^debs_check_code()/,/^}/p; /^debs_used_hook()/,/^}/p; /^boot_download_hook()/,/^}/p' "$RECIPE")
# shellcheck disable=SC2034 # read by list()
HERE=$TOP/generator/image
PKG_CACHE=$TMP/cache
: >"$TMP/apt.conf" # apt's own configuration: this machine's lists
export MMDEBSTRAP_APT_CONFIG=$TMP/apt.conf
ROOT=$TMP/root ARCHIVE=$TMP/root/var/cache/apt/archives
mkdir -p "$PKG_CACHE" "$ARCHIVE" "$ROOT/var/lib/dpkg"

# A root whose dpkg database has hello, at the version the index has.
VERSION=$(apt-cache show --no-all-versions hello | sed -n 's/^Version: //p')
SIZE=$(apt-cache show --no-all-versions hello | sed -n 's/^Size: //p')
ARCH=$(apt-cache show --no-all-versions hello | sed -n 's/^Architecture: //p')
DEB=hello_${VERSION//:/%3a}_$ARCH.deb
printf 'Package: hello\nStatus: install ok installed\nMaintainer: x\nDescription: x\nVersion: %s\nArchitecture: %s\n\n' \
	"$VERSION" "$ARCH" >"$ROOT/var/lib/dpkg/status"

# used_hook DIR: debs_used_hook's script run on the root; its status.
used_hook() { debs_used_hook "$1" >"$TMP/hook" && sh "$TMP/hook" "$ROOT" 2>"$TMP/hook.err"; }

# 1. A file of zeros the size of hello's, in the package cache and so
# linked into the root's archive (as the setup hook does), as if apt had
# installed it: the hook fails, names it, and takes it out of the cache.
head -c "$SIZE" /dev/zero >"$PKG_CACHE/$DEB"
ln "$PKG_CACHE/$DEB" "$ARCHIVE/$DEB"
check "a forged $DEB from the package cache: the hook fails" not used_hook "$TMP/debs1"
check "and says which file and why" grep -q "^image: $DEB does not match the archive's index" "$TMP/hook.err"
check "and removes it from the package cache" test ! -e "$PKG_CACHE/$DEB"
check "and keeps nothing of it" test -z "$(ls -A "$TMP/debs1")"

# 2. The real package: checked, kept (linked: the same file).
rm -f "$ARCHIVE/$DEB"
check "apt-get download hello" sh -c 'cd "$1" && apt-get download -qq hello 2>/dev/null' sh "$ARCHIVE"
check "the real $DEB: the hook passes" used_hook "$TMP/debs2"
check "and links it for the package cache" test "$ARCHIVE/$DEB" -ef "$TMP/debs2/$DEB"

# 3. The boot loaders' packages (apt-get download, which also keeps a file
# of the right size): one forged in the package cache fails the hook.
BOOT=$TMP/boot
boot_hook() { boot_download_hook "$BOOT" >"$TMP/hook" && sh "$TMP/hook" "$ROOT" 2>"$TMP/hook.err"; }
check "the boot loaders' packages download and pass" boot_hook
first=$(find "$BOOT" -name '*.deb' | sort | head -1)
check "all of packages-boot.list's" test "$(find "$BOOT" -name '*.deb' | wc -l)" = "$(list packages-boot.list | wc -l)"
for f in "$BOOT"/*.deb; do cp "$f" "$PKG_CACHE/"; done
head -c "$(stat -c %s "$first")" /dev/zero >"$PKG_CACHE/${first##*/}"
rm -rf "$BOOT"
check "${first##*/} forged in the package cache: the boot hook fails" not boot_hook
check "and says which file" grep -q "^image: ${first##*/} does not match the archive's index" "$TMP/hook.err"
check "and removes it from the package cache" test ! -e "$PKG_CACHE/${first##*/}"
rm -rf "$BOOT"
check "built again: the boot hook passes (the others from the cache)" boot_hook
check "with the cache's files linked, not downloaded again" \
	sh -c 'for f in "$1"/*.deb; do [ "$f" -ef "$2/${f##*/}" ] || [ "$f" = "$3" ] || exit 1; done' sh "$BOOT" "$PKG_CACHE" "$first"

finish
