#!/usr/bin/env bash
# make bench: how long it takes to install the rule set, three ways, each
# in fresh network namespaces, median of repeated runs:
#   host-iptables        the overlay's own program (libiptc, one commit per table)
#   iptables-restore     iptables-legacy-restore + ip6tables-legacy-restore
#                        given the same rules (rules.v4, rules.v6)
#   per-rule processes   one iptables-legacy process per rule, as the
#                        original shell script worked
# for the default profile and for one forwarding 5,000 ports. Prints the
# medians and the ratios, and the floor: the time the kernel itself spent
# replacing the tables (the IPT_SO_SET_REPLACE calls of host-iptables, as
# strace -T times them). Asserts nothing.
#
# BASELINE=REV (a git revision, e.g. main~3) adds the rule set of that
# revision, built from a worktree of it, measured in the same run: what a
# change to the rules costs.
. "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-11}
SLOW_RUNS=${SLOW_RUNS:-3} # per-rule processes at 5,000 ports take minutes
if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root for network namespaces"
	exit 1
fi

# build_profile NAME PROFILE [TOP]: the overlay of PROFILE, built by the
# project at TOP (this one by default).
build_profile() {
	local name=$1 top=${3:-$TOP}
	mkdir -p "$TMP/$name/root"
	printf '%s' "$2" >"$TMP/$name/network.yaml"
	(cd "$top" && ./build.sh -q -c "$TMP/$name/network.yaml" -o "$TMP/$name/out" -r /nonexistent) \
		>"$TMP/$name/build.log" 2>&1 || { cat "$TMP/$name/build.log"; exit 1; }
	tar -xpf "$TMP/$name/out/overlay.tar.gz" -C "$TMP/$name/root"
	per_rule_script "$TMP/$name/out/rules.v4" iptables-legacy >"$TMP/$name/per-rule.sh"
	per_rule_script "$TMP/$name/out/rules.v6" ip6tables-legacy >>"$TMP/$name/per-rule.sh"
}

# The rule set as the original script wrote it: a command per chain and
# per rule.
per_rule_script() {
	local line table cmd=$2
	while read -r line; do
		case $line in
		\**) table=${line#\*} ;;
		:*)
			set -- ${line#:}
			if [ "$2" = - ]; then echo "$cmd -t $table -N $1"; else echo "$cmd -t $table -P $1 $2"; fi
			;;
		-A*) echo "$cmd -t $table $line" ;;
		esac
	done <"$1"
}

# time_in_fresh_ns COMMAND: seconds the command takes inside a new namespace.
time_in_fresh_ns() {
	local n=sbench$$ t
	ip netns add $n
	t=$(ip netns exec $n bash -c 's=$EPOCHREALTIME; '"$1"' >/dev/null || exit 1; e=$EPOCHREALTIME
		awk -v s="$s" -v e="$e" "BEGIN { print e - s }"')
	local rc=$?
	ip netns del $n
	[ $rc -eq 0 ] || { echo "bench: failed: $1" >&2; exit 1; }
	echo "$t"
}

# kernel_replace HOST_IPTABLES: seconds the kernel spent in the table
# replacing calls of one apply in a fresh namespace.
kernel_replace() {
	local n=sbench$$
	ip netns add $n
	ip netns exec $n strace -f -T -e trace=setsockopt "$1" 2>&1 >/dev/null |
		awk -F'<' '/SO_SET_REPLACE/ { sub(/>.*/, "", $NF); t += $NF } END { print t + 0 }'
	ip netns del $n
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() {
	local runs=$1 cmd=$2
	for _ in $(seq "$runs"); do time_in_fresh_ns "$cmd"; done | median
}

DEFAULT=$'vpn:\n  server: vpn.example.org\n'
PORTS5000=$'vpn:\n  server: vpn.example.org\nforward:\n  tcp: [10000-14999]\n'
build_profile default "$DEFAULT"
build_profile ports5000 "$PORTS5000"
NAMES=(default ports5000)
if [ -n "${BASELINE:-}" ]; then
	git -C "$TOP" worktree add -q --detach "$TMP/baseline" "$BASELINE" || exit 1
	at_exit "git -C '$TOP' worktree remove --force '$TMP/baseline'"
	build_profile "default@$BASELINE" "$DEFAULT" "$TMP/baseline"
	build_profile "ports5000@$BASELINE" "$PORTS5000" "$TMP/baseline"
	NAMES=(default "default@$BASELINE" ports5000 "ports5000@$BASELINE")
fi

printf '%-20s %6s %14s %15s %17s %19s %13s %14s\n' profile rules host-iptables kernel-replace iptables-restore \
	per-rule-processes restore/host per-rule/host
for name in "${NAMES[@]}"; do
	d=$TMP/$name
	rules=$(grep -c '^-A' "$d/out/rules.v4" "$d/out/rules.v6" | awk -F: '{ s += $2 } END { print s }')
	host=$(measure "$RUNS" "'$d/root/usr/sbin/host-iptables'")
	floor=$(for _ in $(seq "$RUNS"); do kernel_replace "$d/root/usr/sbin/host-iptables"; done | median)
	restore=$(measure "$RUNS" "iptables-legacy-restore <'$d/out/rules.v4' && ip6tables-legacy-restore <'$d/out/rules.v6'")
	runs=$RUNS
	case $name in ports5000*) runs=$SLOW_RUNS ;; esac
	per_rule=$(measure "$runs" "bash -e '$d/per-rule.sh'")
	awk -v n="$name" -v r="$rules" -v h="$host" -v k="$floor" -v x="$restore" -v p="$per_rule" 'BEGIN {
		printf "%-20s %6d %11.1f ms %12.1f ms %14.1f ms %16.1f ms %12.2fx %13.1fx\n", n, r, h * 1000,
			k * 1000, x * 1000, p * 1000, x / h, p / h }'
done
echo "(medians of $RUNS runs, $SLOW_RUNS for per-rule processes at 5,000 ports; each run in a fresh namespace;"
echo " kernel-replace: the kernel's own table replacing, the floor of any apply)"

# --- a fleet: one build for N scouts, against N builds of one scout each
# (how a team built its scouts before scouts:), keys already made (the
# first build of each makes them and is not counted). ---
fleet_profile() {
	printf 'vpn:\n  server: vpn.example.org\nscouts:\n'
	for i in $(seq "$1"); do printf '  - {name: case-%d, address: 10.1.0.%d}\n' "$i" $((i + 9)); done
}
build_time() {
	local s e
	s=$EPOCHREALTIME
	"$TOP/generator/scout-netgen" build -q --make-keys --programs -c "$1" -o "$2" -r /nonexistent >/dev/null 2>&1 ||
		{ echo "bench: build of $1 failed" >&2; exit 1; }
	e=$EPOCHREALTIME
	awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'
}
echo
printf '%-8s %14s %22s %10s\n' scouts "one build" "one build per scout" ratio
for n in 1 3 10; do
	f=$TMP/fleet$n
	mkdir -p "$f" && fleet_profile "$n" >"$f/network.yaml"
	build_time "$f/network.yaml" "$f/out" >/dev/null
	one=$(for _ in 1 2 3; do build_time "$f/network.yaml" "$f/out"; done | median)
	for i in $(seq "$n"); do
		mkdir -p "$f/single$i"
		printf 'vpn:\n  server: vpn.example.org\n  scout_address: 10.1.0.%d\n' $((i + 9)) >"$f/single$i/network.yaml"
		build_time "$f/single$i/network.yaml" "$f/single$i/out" >/dev/null
	done
	each=$(for _ in 1 2 3; do
		for i in $(seq "$n"); do build_time "$f/single$i/network.yaml" "$f/single$i/out"; done |
			awk '{ t += $1 } END { print t }'
	done | median)
	awk -v n="$n" -v a="$one" -v b="$each" 'BEGIN { printf "%-8d %11.2f s %19.2f s %9.2fx\n", n, a, b, b / a }'
done
echo "(medians of 3 builds with the keys made; host-iptables and scout-console compiled for each scout)"
