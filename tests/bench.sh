#!/usr/bin/env bash
# make bench: how long it takes to install the rule set, three ways, each
# in fresh network namespaces, median of repeated runs:
#   host-iptables        the overlay's own program (libiptc, one commit per table)
#   iptables-restore     iptables-legacy-restore + ip6tables-legacy-restore
#                        given the same rules (rules.v4, rules.v6)
#   per-rule processes   one iptables-legacy process per rule, as the
#                        original shell script worked
# for the default profile and for one forwarding 5,000 ports. Prints the
# medians and the ratios; asserts nothing.
. "$(dirname "$0")/lib.sh"

RUNS=${RUNS:-11}
SLOW_RUNS=${SLOW_RUNS:-3} # per-rule processes at 5,000 ports take minutes
if [ "$(id -u)" -ne 0 ]; then
	echo "bench: needs root for network namespaces"
	exit 1
fi

build_profile() {
	local name=$1
	mkdir -p "$TMP/$name/root"
	printf '%s' "$2" >"$TMP/$name/network.yaml"
	(cd "$TOP" && ./build.sh -q -c "$TMP/$name/network.yaml" -o "$TMP/$name/out" -r /nonexistent) \
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

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() {
	local runs=$1 cmd=$2
	for _ in $(seq "$runs"); do time_in_fresh_ns "$cmd"; done | median
}

build_profile default $'vpn:\n  server: vpn.example.org\n'
build_profile ports5000 $'vpn:\n  server: vpn.example.org\nforward:\n  tcp: [10000-14999]\n'

printf '%-12s %6s %14s %17s %19s %15s %15s\n' profile rules host-iptables iptables-restore \
	per-rule-processes restore/host per-rule/host
for name in default ports5000; do
	d=$TMP/$name
	rules=$(grep -c '^-A' "$d/out/rules.v4" "$d/out/rules.v6" | awk -F: '{ s += $2 } END { print s }')
	host=$(measure "$RUNS" "'$d/root/usr/sbin/host-iptables'")
	restore=$(measure "$RUNS" "iptables-legacy-restore <'$d/out/rules.v4' && ip6tables-legacy-restore <'$d/out/rules.v6'")
	runs=$RUNS
	[ "$name" = ports5000 ] && runs=$SLOW_RUNS
	per_rule=$(measure "$runs" "bash -e '$d/per-rule.sh'")
	awk -v n="$name" -v r="$rules" -v h="$host" -v x="$restore" -v p="$per_rule" 'BEGIN {
		printf "%-12s %6d %11.1f ms %14.1f ms %16.1f ms %14.2fx %14.1fx\n", n, r, h * 1000, x * 1000,
			p * 1000, x / h, p / h }'
done
echo "(medians of $RUNS runs, $SLOW_RUNS for per-rule processes at 5,000 ports; each run in a fresh namespace)"
