#!/usr/bin/env bash
# host-iptables with real traffic. For two profiles, the overlay is built
# with build.sh and its own /usr/sbin/host-iptables runs in a scout namespace
# wired to a VPN peer, a LAN peer (IPv4 and IPv6), a second LAN peer on an
# interface that appears after the rules are in, and the container. TCP
# listeners on the host and in the container answer with their name; the
# reachability matrix of NETWORK.md is checked in every toggle state. Then:
# save/restore round trip, iptables -C, idempotence, 1,000 toggles, and a
# forced commit failure.
. "$(dirname "$0")/lib.sh"

need firewall "needs root for network namespaces" test "$(id -u)" -eq 0
need firewall "iptables-legacy is not installed (package iptables)" command -v iptables-legacy >/dev/null

. "$(dirname "$0")/fwlab.sh"

# The matrix of NETWORK.md in one toggle state.
matrix() {
	local mode=$1 lan=nothing hc=nothing lanhc=nothing p
	case $mode in *lan*) lan=container ;; esac
	case $mode in *hc*) hc=host ;; esac
	[ "$lan" = container ] && [ "$hc" = host ] && lanhc=host
	local t="$CASE/$mode"
	for p in $FWD_PORTS; do
		expect "$t: VPN peer -> scout:$p (forwarded)" v "$SCOUT_VPN" "$p" container
		expect "$t: LAN peer -> scout:$p (forwarded)" l 192.168.50.1 "$p" "$lan"
		expect "$t: second LAN peer -> scout:$p (forwarded)" l2 192.168.60.1 "$p" "$lan"
		expect "$t: LAN peer -> [fd00:50::1]:$p" l fd00:50::1 "$p" nothing
		expect "$t: LAN peer -> [fe80::1%l0]:$p" l fe80::1%l0 "$p" nothing
		expect "$t: LAN peer -> container:$p routed via the scout" l "$CT_ADDR" "$p" nothing
	done
	expect "$t: VPN peer -> scout:$OTHER_PORT (not forwarded)" v "$SCOUT_VPN" "$OTHER_PORT" nothing
	expect "$t: LAN peer -> scout:$OTHER_PORT" l 192.168.50.1 "$OTHER_PORT" nothing
	expect "$t: VPN peer -> scout:$HC_PORT (host control)" v "$SCOUT_VPN" "$HC_PORT" "$hc"
	expect "$t: LAN peer -> scout:$HC_PORT (host control)" l 192.168.50.1 "$HC_PORT" "$lanhc"
	expect "$t: LAN peer -> [fd00:50::1]:$HC_PORT (host control)" l fd00:50::1 "$HC_PORT" "$lanhc"
	expect "$t: LAN peer -> [fe80::1%l0]:$OTHER_PORT" l fe80::1%l0 "$OTHER_PORT" nothing
	expect "$t: LAN peer -> container:$OTHER_PORT routed" l "$CT_ADDR" "$OTHER_PORT" nothing
	expect_from "$t: container -> LAN peer, masqueraded" c 192.168.50.2 80 lan-peer 192.168.50.1
	expect_from "$t: container -> second LAN peer, masqueraded" c 192.168.60.2 80 lan-peer-2 192.168.60.1
	expect_from "$t: container -> VPN peer, masqueraded" c "$PEER_VPN" 80 vpn-peer "$SCOUT_VPN"
	check "$t: verify" quiet in_ns s "$BIN" verify
}

# iptables-legacy-save of one family, without comments and counters.
kernel_save() {
	if [ "$1" = 4 ]; then
		in_ns s iptables-legacy-save -t filter
		in_ns s iptables-legacy-save -t nat
	else
		in_ns s ip6tables-legacy-save -t filter
	fi | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]/[0:0]/'
}

state_line() { echo "$(in_ns s "$BIN" check-access-from-lan) / $(in_ns s "$BIN" check-host-control)"; }

# IPv4 forwarding goes on only once every table is in, and is off after an
# apply that failed, whatever it was before. In a namespace of its own.
forwarding() {
	local fns rc before
	fns=$(ns fwd)
	ip netns add "$fns"
	at_exit "ip netns del $fns 2>/dev/null"
	for before in 0 1; do
		ip netns exec "$fns" sysctl -qw net.ipv4.ip_forward="$before"
		rc=0
		HOST_IPTABLES_TEST_FAIL_COMMIT=filter6 ip netns exec "$fns" "$BIN" 2>"$TMP/err" || rc=$?
		check "$CASE: failed apply (forwarding was $before): exit 1" test "$rc" -eq 1
		check "$CASE: failed apply (forwarding was $before): forwarding is off" \
			test "$(ip netns exec "$fns" cat /proc/sys/net/ipv4/ip_forward)" = 0
		check "$CASE: failed apply: says so" \
			test "$(tail -1 "$TMP/err")" = "host-iptables: the rule set is not installed: IPv4 forwarding is off"
	done
	check "$CASE: apply in a fresh namespace" ip netns exec "$fns" "$BIN"
	check "$CASE: then forwarding is on" test "$(ip netns exec "$fns" cat /proc/sys/net/ipv4/ip_forward)" = 1
}

# A chain name of 29 bytes: the kernel takes it, a rule's target names 28.
# host-iptables reads it whole, and says it cannot put such a table back
# rather than putting back something else.
long_chain() {
	local lns rc long=SCOUTLONGCHAINNAME0123456789
	lns=$(ns long)
	ip netns add "$lns"
	at_exit "ip netns del $lns 2>/dev/null"
	printf '*filter\n:%s - [0:0]\n-A INPUT -j %s\nCOMMIT\n' "$long" "$long" |
		LONGNAME_FROM=$long LD_PRELOAD=$TOP/tests/.bin/longname.so ip netns exec "$lns" iptables-legacy-restore
	check "$CASE: the kernel has a chain of 29 bytes" \
		sh -c "ip netns exec '$lns' iptables-legacy-save | grep -qx ':${long}X - \[0:0\]'"
	ip netns exec "$lns" "$BIN" verify >"$TMP/out" 2>&1
	check "$CASE: verify names the jump to it whole" \
		grep -qx "IPv4 filter: found:    -A INPUT (rule 1, -j ${long}X)" "$TMP/out"
	check "$CASE: verify names the chain whole" grep -qx "IPv4 filter: unexpected chain ${long}X" "$TMP/out"
	rc=0
	HOST_IPTABLES_TEST_FAIL_COMMIT=nat4 ip netns exec "$lns" "$BIN" 2>"$TMP/err" || rc=$?
	check "$CASE: a failed apply over it: exit 1" test "$rc" -eq 1
	printf '%s\n' "host-iptables: IPv4 nat table: cannot commit: failure forced by HOST_IPTABLES_TEST_FAIL_COMMIT" \
		"host-iptables: IPv4 filter table, chain INPUT: a rule jumps to chain ${long}X, whose name is longer than a rule can name (28 bytes)" \
		"host-iptables: IPv4 filter table could not be put back" \
		"host-iptables: the rule set is not installed: IPv4 forwarding is off" >"$TMP/want"
	same_text "$CASE: a table it cannot write back as read is not put back as something else" "$TMP/want" "$TMP/err"
}

run_case() {
	build_overlay || return
	forwarding
	[ "$CASE" = default ] && long_chain
	topology || { not_ok "$CASE: topology"; return; }
	check "$CASE: boot apply" in_ns s "$BIN"
	check "$CASE: ip_forward set" test "$(in_ns s cat /proc/sys/net/ipv4/ip_forward)" = 1
	plug_second_lan
	same_text "$CASE: iptables-legacy-save (IPv4) is rules.v4" "$OUTDIR/rules.v4" <(kernel_save 4)
	same_text "$CASE: ip6tables-legacy-save is rules.v6" "$OUTDIR/rules.v6" <(kernel_save 6)
	check "$CASE: state after boot" test "$(state_line)" = "Access from LAN is OFF / Host control is OFF"
	matrix default
	check "$CASE: enable-access-from-lan" in_ns s "$BIN" enable-access-from-lan
	check "$CASE: state" test "$(state_line)" = "Access from LAN is ON / Host control is OFF"
	matrix lan
	check "$CASE: disable-access-from-lan" in_ns s "$BIN" disable-access-from-lan
	check "$CASE: enable-host-control" in_ns s "$BIN" enable-host-control
	check "$CASE: state" test "$(state_line)" = "Access from LAN is OFF / Host control is ON"
	matrix hc
	check "$CASE: enable-access-from-lan" in_ns s "$BIN" enable-access-from-lan
	matrix lan+hc
}

# Round trip: iptables-legacy-save of what host-iptables installed has no
# unsupported revision, restores with iptables-legacy-restore into a fresh
# namespace, and host-iptables finds its exact rule set there.
round_trip() {
	local r
	r=$(ns restored)
	kernel_save 4 >"$TMP/$CASE.save4"
	kernel_save 6 >"$TMP/$CASE.save6"
	check "$CASE: no unsupported revision in the saved tables" \
		not grep -q 'unsupported revision' "$TMP/$CASE.save4" "$TMP/$CASE.save6"
	ip netns add "$r"
	at_exit "ip netns del $r 2>/dev/null"
	check "$CASE: iptables-legacy-restore takes the saved IPv4 tables" \
		ip netns exec "$r" iptables-legacy-restore "$TMP/$CASE.save4"
	check "$CASE: ip6tables-legacy-restore takes the saved IPv6 table" \
		ip netns exec "$r" ip6tables-legacy-restore "$TMP/$CASE.save6"
	check "$CASE: host-iptables verify holds on the restored tables" quiet ip netns exec "$r" "$BIN" verify
	check "$CASE: restored state" test "$(ip netns exec "$r" "$BIN" check-access-from-lan)" = "Access from LAN is ON"
}

# iptables -C finds every rule of rules.v4 and rules.v6 (boot state).
check_rules() {
	local line table cmd missing=0 count=0
	for f in "$OUTDIR/rules.v4:iptables-legacy" "$OUTDIR/rules.v6:ip6tables-legacy"; do
		cmd=${f#*:}
		while read -r line; do
			case $line in
			\**) table=${line#\*} ;;
			-A*)
				count=$((count + 1))
				read -ra args <<<"${line/#-A/-C}"
				in_ns s "$cmd" -t "$table" "${args[@]}" 2>/dev/null || { missing=$((missing + 1)); echo "not found: $line"; }
				;;
			esac
		done <"${f%%:*}"
	done
	check "$CASE: iptables -C finds all $count rules" test "$missing" -eq 0
}

tables_now() { kernel_save 4; kernel_save 6; }

robustness() {
	local before i
	check "$CASE: save prints rules.v4 then rules.v6" \
		cmp -s <(in_ns s "$BIN" save) <(cat "$OUTDIR/rules.v4" "$OUTDIR/rules.v6")
	check "$CASE: --version names the profile's sha256" \
		sh -c "'$BIN' --version | grep -q '$(sha256sum <"$TMP/$CASE/network.yaml" | cut -c1-64)'"
	round_trip
	check "$CASE: boot apply from another state" in_ns s "$BIN"
	same_text "$CASE: back to rules.v4" "$OUTDIR/rules.v4" <(kernel_save 4)
	check_rules
	before=$(tables_now)
	check "$CASE: second apply succeeds" in_ns s "$BIN"
	check "$CASE: second apply leaves the same tables" test "$(tables_now)" = "$before"
	in_ns s "$BIN" enable-access-from-lan
	before=$(tables_now)
	check "$CASE: enabling what is on succeeds" in_ns s "$BIN" enable-access-from-lan
	check "$CASE: and changes nothing" test "$(tables_now)" = "$before"
	in_ns s "$BIN" disable-access-from-lan
	for i in $(seq 250); do
		in_ns s "$BIN" enable-access-from-lan && in_ns s "$BIN" enable-host-control &&
			in_ns s "$BIN" disable-access-from-lan && in_ns s "$BIN" disable-host-control ||
			{ not_ok "$CASE: toggle $i failed"; break; }
	done
	check "$CASE: after 1,000 toggles the tables are rules.v4/rules.v6" \
		test "$(tables_now)" = "$(cat "$OUTDIR/rules.v4" "$OUTDIR/rules.v6")"
	check "$CASE: and verify holds" quiet in_ns s "$BIN" verify

	# A commit that fails: the tables committed before it are put back.
	in_ns s "$BIN" enable-access-from-lan
	before=$(tables_now)
	for t in filter4 nat4 filter6; do
		local rc=0
		HOST_IPTABLES_TEST_FAIL_COMMIT=$t in_ns s "$BIN" enable-host-control 2>"$TMP/err" || rc=$?
		check "$CASE: forced $t commit failure exits 1" test "$rc" -eq 1
		check "$CASE: forced $t commit failure: tables as before" test "$(tables_now)" = "$before"
		check "$CASE: forced $t commit failure is reported" grep -q "cannot commit: failure forced" "$TMP/err"
	done
	check "$CASE: the nat failure put the filter table back" grep -q "IPv4 filter table put back as it was" "$TMP/err"
	check "$CASE: still LAN on, host control off" \
		test "$(state_line)" = "Access from LAN is ON / Host control is OFF"

	# Another writer holding the xtables lock: host-iptables waits for it.
	flock /run/xtables.lock sleep 1 &
	local holder=$!
	sleep 0.2
	check "$CASE: waits for the xtables lock, then succeeds" in_ns s "$BIN" enable-host-control
	wait "$holder"
	if command -v valgrind >/dev/null; then
		local vns cmd
		vns=$(ns valgrind)
		ip netns add "$vns"
		at_exit "ip netns del $vns 2>/dev/null"
		for cmd in "" enable-access-from-lan enable-host-control verify save check-host-control; do
			if ip netns exec "$vns" valgrind -q --error-exitcode=99 --leak-check=full \
				--show-leak-kinds=all --errors-for-leak-kinds=all "$BIN" $cmd >/dev/null 2>"$TMP/vg"; then
				ok "$CASE: valgrind: host-iptables $cmd"
			else
				not_ok "$CASE: valgrind: host-iptables $cmd"
				head -30 "$TMP/vg"
			fi
		done
	fi
	# A bad environment: the tables stay as they are.
	before=$(tables_now)
	local rc=0
	in_ns s setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all "$BIN" \
		disable-access-from-lan 2>"$TMP/err" || rc=$?
	check "$CASE: as an unprivileged user: exit 1" test "$rc" -eq 1
	check "$CASE: as an unprivileged user: it says why" grep -q 'Permission denied' "$TMP/err"
	rc=0
	touch "$TMP/lock" && chmod 666 "$TMP/lock"
	XTABLES_LOCKFILE=$TMP/lock in_ns s setpriv --reuid=nobody --regid=nogroup --clear-groups \
		--inh-caps=-all "$BIN" disable-access-from-lan 2>"$TMP/err" || rc=$?
	check "$CASE: unprivileged, past the lock: exit 1" test "$rc" -eq 1
	check "$CASE: unprivileged, past the lock: names the table" grep -q '^host-iptables: IPv4 filter table: cannot read the table: ' "$TMP/err"
	flock /run/xtables.lock sleep 12 &
	holder=$!
	sleep 0.3
	rc=0
	in_ns s "$BIN" disable-access-from-lan 2>"$TMP/err" || rc=$?
	check "$CASE: a writer that keeps the lock: exit 1" test "$rc" -eq 1
	check "$CASE: a writer that keeps the lock: it says so" grep -q 'another program has held the xtables lock' "$TMP/err"
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	check "$CASE: after all that, the tables are as they were" test "$(tables_now)" = "$before"
	check "$CASE: unknown command exits 2" sh -c "'$BIN' enable-everything 2>/dev/null; test \$? -eq 2"
	check "$CASE: two commands exit 2" sh -c "'$BIN' save verify 2>/dev/null; test \$? -eq 2"
	"$BIN" $'\e[2Jx' 2>"$TMP/err"
	check "$CASE: an unknown command is shown escaped" \
		test "$(cat "$TMP/err")" = "host-iptables: unknown command '\x1b[2Jx' (try --help)"
}

use_default
run_case
robustness
use_custom
run_case
robustness

finish
