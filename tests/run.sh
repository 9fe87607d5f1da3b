#!/usr/bin/env bash
# Runs every suite (unit test binaries given as arguments, then the shell
# suites), even after a failure, and ends with the totals on one line.
set -u
cd "$(dirname "$0")/.." || exit 1
export RESULTS
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
status=0

for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^\[ +(FAILED|PASSED) +\]|ERROR|runtime error' || true
	passed=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
	failed=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
	passed=${passed:-0} failed=${failed:-0}
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		failed=1 # crashed or sanitizer abort before cmocka could count
		printf '%s\n' "$out" | tail -20
	fi
	echo "$(basename "$t"): $passed passed, $failed failed"
	echo "$passed $failed" >>"$RESULTS"
	[ "$rc" -eq 0 ] || status=1
done

# The shell scripts, linted; the generated ones as the golden cases have
# them (the server's isolate scripts).
if shellcheck -S warning build.sh .ci/run generator/image/recipe.sh tests/*.sh \
	tests/good/*/expected/exports/server/etc/openvpn/server/scout/isolate \
	tests/good/*/expected/exports/server/etc/wireguard/*-isolate; then
	echo "shellcheck: 1 passed, 0 failed"
	echo "1 0" >>"$RESULTS"
else
	echo "shellcheck: 0 passed, 1 failed"
	echo "0 1" >>"$RESULTS"
	status=1
fi

for suite in golden archive recipe wifi pki hostile valgrind nspawn isolation firewall attacks console vpn fleet wireguard; do
	bash "tests/$suite.sh" || status=1
done

read -r passed failed < <(awk '{ p += $1; f += $2 } END { print p + 0, f + 0 }' "$RESULTS")
[ "$failed" -eq 0 ] || status=1
echo "total: $passed passed, $failed failed"
exit "$status"
