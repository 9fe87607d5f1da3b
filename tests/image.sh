#!/usr/bin/env bash
# make check-image: the live ISO of ./build.sh image, really booted in QEMU
# (TCG), on a LAN of network namespaces:
#   lan     a bridge with the VM's tap, dnsmasq (DHCP and DNS), a TCP
#           listener: the owner's LAN and a peer on it. Its DHCP also
#           offers classless static routes (option 121) for the expert's
#           address and the VPN server via a LAN host (TunnelVision):
#           the scout must take neither, and keep its tunnel
#   srv     the expert's OpenVPN server from exports/server, on the LAN and
#           with a second address (the one the scout connects to)
#   exp     the expert: exports/expert, real OpenVPN and the real OpenSSH client
# The owner's console (scout-console) is on the VM's serial port: it
# toggles Access from LAN and Host Control, and its Shell gives the test
# a root shell for its commands. Then a second boot in which
# host-iptables fails must configure no interface but lo.
# Bounded waits; on failure the serial log and the journal's tail are shown.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vmlib.sh"

need image "needs root (namespaces, a tap)" test "$(id -u)" -eq 0
for tool in qemu-system-x86_64 dnsmasq openvpn ssh nmap xorriso; do
	need image "$tool is not installed (./build.sh deps image)" command -v "$tool" >/dev/null
done
need image "/dev/net/tun is missing" test -c /dev/net/tun

LISTENER=$TOP/tests/.bin/listener
BOOT_WAIT=${IMAGE_BOOT_WAIT:-300}
VM_MAC=52:54:00:12:34:56 VM_IP=192.168.60.10 VM_LL=fe80::5054:ff:fe12:3456
ns() { echo "simg$$-$1"; }
# What the serial port shows first of a kernel that started: its banner
# (when its log level lets it through) or the initramfs' first line.
KERNEL_UP='Linux version|Loading, please wait'
in_ns_bg() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@" & }

# --- the image, for a profile of this lab -------------------------------
mkdir -p "$TMP/cfg"
printf 'vpn:\n  server: 203.0.113.1\ncontainer:\n  dns: [192.168.60.1]\n' >"$TMP/cfg/network.yaml"
build_image "" "image build (cold when the base is not cached yet)"
figure "ISO size" "$(( $(stat -c %s "$ISO") / 1048576 )) MiB"
check "the ISO is at most 200 MiB" test "$(stat -c %s "$ISO")" -le $((200 * 1048576))
xorriso -indev "$ISO" -report_el_torito plain >"$TMP/eltorito" 2>/dev/null
check "the ISO boots by BIOS: an El Torito BIOS image" grep -q 'El Torito boot img : *1 *BIOS' "$TMP/eltorito"
check "and by UEFI: an El Torito UEFI image" grep -q 'El Torito boot img : *2 *UEFI' "$TMP/eltorito"
# Written to a USB stick: GRUB's MBR for BIOS, a GPT whose EFI system
# partition holds the signed chain for UEFI (shim signed by Microsoft's
# UEFI CA, GRUB by Debian's Secure Boot CA).
xorriso -indev "$ISO" -report_system_area plain >"$TMP/sysarea" 2>/dev/null
check "a USB stick boots by BIOS: GRUB's hybrid MBR" grep -q '^System area summary: MBR .*grub2-mbr.* GPT' "$TMP/sysarea"
esp=$(awk '$1 == "GPT" && $2 == "type" && $6 == "28732ac11ff8d211ba4b00a0c93ec93b" { print $5 }' "$TMP/sysarea")
esp_at=$(awk -v n="$esp" '$1 == "GPT" && $2 == "start" && $6 == n { print $7, $8 }' "$TMP/sysarea")
check "and by UEFI: a GPT with an EFI system partition (${esp_at:-none})" test -n "$esp_at"
dd if="$ISO" of="$TMP/esp.img" bs=512 skip="${esp_at% *}" count="${esp_at#* }" status=none 2>/dev/null || true
esp_file() { mtype -i "$TMP/esp.img" "::/EFI/boot/$1" 2>/dev/null | strings | grep -q "$2"; }
check "its EFI/boot/bootx64.efi is shim, signed by Microsoft's UEFI CA" esp_file bootx64.efi 'Microsoft Corporation UEFI CA 2011'
check "its EFI/boot/grubx64.efi is GRUB, signed by Debian's Secure Boot CA" esp_file grubx64.efi 'Debian Secure Boot Signer'

# --- the same ISO bytes from the same cached base, profile and keys ---------
# A second builder: another HOME and user name, umask 077, the profile and
# its keys copied to another directory, another output directory, a later
# time. It passes the first ISO's sha256 to --check.
sha=$(sha256sum "$ISO" | cut -d' ' -f1)
check "the build prints the ISO's sha256 and the base's key" grep -Eq "^image: sha256 $sha \(base [0-9a-f]{16}," "$TMP/build.log"
mkdir -p "$TMP/again/home"
cp -a "$TMP/cfg" "$TMP/again/cfg"
cache=${XDG_CACHE_HOME:-$HOME/.cache}
again() { # [--check SHA256]: the second builder's build; its status
	(cd "$IMAGE_TREE" && umask 077 && HOME=$TMP/again/home USER=builder2 LOGNAME=builder2 XDG_CACHE_HOME=$cache \
		./build.sh image -q -c "$TMP/again/cfg/network.yaml" -o "$TMP/again/out" -r /nonexistent "$@") \
		>"$TMP/again.log" 2>&1
}
again --check "$sha" || { echo "--- the second build:"; tail -20 "$TMP/again.log"; }
check "a second builder (another HOME, umask 077, other directories, later) gets the same ISO bytes" \
	test "$(sha256sum <"$TMP/again/out/scout.iso" | cut -d' ' -f1)" = "$sha"
check "and --check says so" grep -q "scout.iso matches --check $sha" "$TMP/again.log"
wrong=$(printf '%064d' 0)
rc=0
again --check "$wrong" || rc=$?
check "--check with another sha256 fails (exit 1)" test "$rc" -eq 1
check "and says the ISO's sha256" grep -q "does NOT match --check $wrong: its sha256 is $sha" "$TMP/again.log"
iso_kernel

# --- a fleet: one ISO per scout, from the same cached base ---------------
# fleet_image NAME...: the lab's profile with these scouts, built into
# $TMP/fleet (seconds: the base is cached by now).
fleet_image() {
	local i=10 n
	{ cat "$TMP/cfg/network.yaml"; echo 'scouts:'
		for n in "$@"; do echo "  - {name: $n, address: 10.1.0.$((i++))}"; done; } >"$TMP/cfg/fleet.yaml"
	(cd "$IMAGE_TREE" && ./build.sh image -q -c "$TMP/cfg/fleet.yaml" -o "$TMP/fleet" -r /nonexistent) >"$TMP/fleet.log" 2>&1 ||
		{ tail -20 "$TMP/fleet.log"; return 1; }
}
# The name in the overlay layer of scout $1's ISO.
iso_scout_name() {
	rm -f "$TMP/fleet-ov.sq"
	xorriso -osirrox on -indev "$TMP/fleet/scouts/$1/scout.iso" -extract /live/90-overlay.squashfs "$TMP/fleet-ov.sq" \
		>/dev/null 2>&1 && unsquashfs -cat "$TMP/fleet-ov.sq" etc/scout/name
}
cp "$TMP/out/scout.iso" "$TMP/stale.iso"
mkdir -p "$TMP/fleet" && cp "$TMP/stale.iso" "$TMP/fleet/scout.iso" # left by a one-scout build
t0=$(date +%s.%N)
check "a fleet of 3: ./build.sh image" fleet_image case-a case-b case-c
figure "image build of 3 scouts, base cached" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"
check "with the one base: it was not built again" not grep -q '^image: base: the scout' "$TMP/fleet.log"
for n in case-a case-b case-c; do
	check "$n's ISO names $n in its overlay" test "$(iso_scout_name "$n")" = "$n"
done
check "the one-scout ISO an earlier build left is removed" test ! -e "$TMP/fleet/scout.iso"
check "a fleet of 2: case-c left out" fleet_image case-a case-b
check "case-c's ISO is removed, the others stay" \
	sh -c 'test ! -e "$1/case-c/scout.iso" && test -f "$1/case-a/scout.iso" && test -f "$1/case-b/scout.iso"' sh "$TMP/fleet/scouts"
rm -rf "$TMP/fleet" "$TMP/stale.iso" "$TMP/fleet-ov.sq"

# --- the lab ------------------------------------------------------------
make_ns lan srv exp
bridge_ns lan 192.168.60.1/24
in_ns lan ip tuntap add dev tap0 mode tap
in_ns lan ip link set tap0 master br0 up
ip link add eth0 netns "$(ns srv)" type veth peer name p-srv netns "$(ns lan)"
in_ns lan ip link set p-srv master br0 up
in_ns srv ip addr add 192.168.60.2/24 dev eth0
in_ns srv ip link set eth0 up
server_address srv
ip link add eth0 netns "$(ns exp)" type veth peer name x0 netns "$(ns srv)"
in_ns srv ip addr add 198.51.100.1/24 dev x0
in_ns srv ip link set x0 up
in_ns exp ip addr add 198.51.100.3/24 dev eth0
in_ns exp ip link set eth0 up
in_ns exp ip route add 203.0.113.1 via 198.51.100.1
in_ns srv sysctl -qw net.ipv4.ip_forward=1

dnsmasq_start() {
	in_ns_bg lan dnsmasq -k --conf-file=/dev/null --interface=br0 --bind-interfaces --no-resolv --no-hosts \
		--dhcp-range=192.168.60.100,192.168.60.150,1h --dhcp-host="$VM_MAC,$VM_IP,renamed-by-lan" \
		--dhcp-option=option:router,192.168.60.2 --dhcp-option=option:dns-server,192.168.60.1 \
		--dhcp-option=121,10.1.0.3/32,192.168.60.66,203.0.113.1/32,192.168.60.66 \
		--address=/scout-test.lan/192.168.60.1 --dhcp-leasefile="$TMP/leases" --log-dhcp \
		--log-facility="$1" --pid-file="$TMP/dnsmasq.pid"
	at_exit "kill $! 2>/dev/null"
	DNSMASQ=$!
}
dnsmasq_start "$TMP/dnsmasq.log"
# dnsmasq_restart LOG: a new log for the next boot.
dnsmasq_restart() {
	kill "$DNSMASQ" 2>/dev/null
	wait "$DNSMASQ" 2>/dev/null
	dnsmasq_start "$1"
}
in_ns_bg lan "$LISTENER" lan-peer 8080 >/dev/null 2>&1
at_exit "kill $! 2>/dev/null"

run_openvpn srv "$TMP/out/exports/server/etc/openvpn" server scout.conf "$TMP/server.log"
run_openvpn exp "$TMP/out/exports/expert/etc/openvpn" client expert.conf "$TMP/expert.log"
# The expert's ssh, with the export's /etc/scout shown at /etc/scout.
expert_ssh() {
	nsenter --net="/run/netns/$(ns exp)" unshare -m --propagation private sh -c '
		mount -t overlay overlay -o "lowerdir=$1/etc:/etc" /etc && shift && exec ssh -F /etc/scout/ssh_config "$@"' \
		sh "$TMP/out/exports/expert" "$@"
}

# The VM's NIC: a tap on the LAN's bridge.
# shellcheck disable=SC2034 # read by vmlib.sh's boot
VM_NS=$(ns lan)
# shellcheck disable=SC2034
VM_NET="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=$VM_MAC"

tap0_up() { on_vm "ip -4 -o addr show dev tap0" | grep -q ' 10.1.0.2/'; }
# expert_probe NAME: the expert retrying from QEMU's start, as an expert
# waiting for the scout does: a new ssh scout every half second, each at
# most 2 s to connect, in the background. $TMP/NAME.ssh_at gets the time
# the first command was answered, whatever the test does on the serial
# port meanwhile: the boot's figure (to half a second).
expert_probe() {
	rm -f "$TMP/$1.ssh_at"
	(
		end=$(($(date +%s) + BOOT_WAIT))
		while [ ! -e "$TMP/$1.ssh_at" ] && [ "$(date +%s)" -lt "$end" ]; do
			{ expert_ssh -o ConnectTimeout=2 scout true >/dev/null 2>&1 &&
				(set -C && date +%s.%N >"$TMP/$1.ssh_at") 2>/dev/null; } &
			sleep 0.5
		done
		wait
	) &
	at_exit "kill $! 2>/dev/null"
}
# probe_figure NAME LABEL: expert_probe NAME's time as figure LABEL
# (waiting for it at most 60 s more).
probe_figure() {
	for _ in $(seq 60); do
		[ -s "$TMP/$1.ssh_at" ] && break
		sleep 1
	done
	[ -s "$TMP/$1.ssh_at" ] && figure "$2" "$(since_boot "$(cat "$TMP/$1.ssh_at")")"
}
# secure_boot_to_expert NAME: the boot under way (UEFI, Secure Boot)
# reaches the owner's console, Secure Boot is on and the kernel locked
# down, and under lockdown the firewall, the VPN, the container with
# private users and the expert's SSH work.
secure_boot_to_expert() {
	local t out
	if ! t=$(wait_serial 'Scout console - ' "$BOOT_WAIT"); then
		not_ok "$1: the scout boots to the owner's console"
		show_failure
		return
	fi
	ok "$1: the scout boots to the owner's console"
	figure "$1: QEMU start -> the owner's console" "$(since_boot "$t")"
	check "$1: the console's Shell gives a root shell" vm_shell
	# EFI variable SecureBoot: 4 bytes of attributes, then 1 when on.
	check "$1: Secure Boot is on (the firmware's SecureBoot variable)" test "$(on_vm \
		"od -An -tu1 -j4 -N1 /sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c" | tr -d ' ')" = 1
	check "$1: the kernel is locked down" \
		sh -c 'printf "%s\n" "$1" | grep -Eq "\[(integrity|confidentiality)\]"' sh "$(on_vm 'cat /sys/kernel/security/lockdown')"
	check "$1: the kernel loaded its netfilter modules (signed) under lockdown" \
		on_vm "grep -q '^ip_tables ' /proc/modules && grep -q '^ip6_tables ' /proc/modules"
	check "$1: host-iptables verify passes" on_vm "host-iptables verify >/dev/null"
	check "$1: tap0 has vpn.scout_address 10.1.0.2" until_ok 90 tap0_up
	for _ in $(seq 90); do
		out=$(expert_ssh scout 'cat /proc/self/uid_map; hostname' 2>/dev/null) && break
		sleep 1
	done
	check "$1: ssh scout lands in the container, as its root, with private users" \
		sh -c "printf '%s\n' \"\$1\" | grep -Eq '^ *0 +1879048192 +65536' && printf '%s\n' \"\$1\" | grep -qx container" sh "$out"
	kernel_clock
	journal_figure openvpn-client@scout 'Initialization Sequence Completed' "$1: QEMU start -> VPN up"
	journal_figure systemd-nspawn@container 'Started systemd-nspawn@container' "$1: QEMU start -> container running"
	probe_figure "$1" "$1: QEMU start -> the expert's SSH command answered"
	[ "$FAILED" -eq 0 ] || show_failure
}

# --- first boot ---------------------------------------------------------
boot first ""
expert_probe first
# The kernel keeps its own messages off the console (kernel.printk 1):
# the initramfs' first words are the first sign of it.
if ! t_kernel=$(wait_serial "$KERNEL_UP" 60); then
	not_ok "the kernel starts"
	show_failure
	finish
	exit
fi
figure "QEMU start -> kernel and initramfs" "$(since_boot "$t_kernel")"
if ! t_login=$(wait_serial 'Scout console - ' "$BOOT_WAIT"); then
	not_ok "the scout boots to the owner's console on the serial port"
	show_failure
	finish
	exit
fi
ok "the scout boots to the owner's console on the serial port"
figure "QEMU start -> the owner's console" "$(since_boot "$t_login")"
check "no login prompt on the serial port" not grep -q 'login:' "$SERIAL"
check "the console's frame on the serial port is UTF-8 lines" grep -q '┌─ Status, read at' "$SERIAL"
check "never the VT100's alternate character set (ESC ( 0)" not grep -qF $'\e(0' "$SERIAL.raw"
# The console's Shell for the test's commands (the image keeps kernel
# messages off the console, so they do not mix with their output).
check "the console's Shell gives a root shell" vm_shell
check "the kernel's console level is 1: emergencies only (kernel.printk)" \
	test "$(on_vm 'cat /proc/sys/kernel/printk' | tr -s ' \t' ' ')" = "1 4 1 7"
# A name with ESC, as a container may choose, that the kernel prints at
# warning level: a bridge that hears its own frames on a port named so.
on_vm "ip netns add esc && ip -n esc link add b0 type bridge && ip -n esc link add v1 type veth peer name \$'sc\\e[2Jz' &&
	for i in v1 \$'sc\\e[2Jz'; do ip -n esc link set \"\$i\" master b0 up; done && ip -n esc link set b0 up" >/dev/null
for _ in $(seq 20); do
	on_vm "journalctl -k -b --no-pager | grep -q 'with own address as source address'" && break
	sleep 1
done
check "the kernel warned of the name with ESC (journalctl -k has it)" \
	on_vm "journalctl -k -b --no-pager | grep -q 'with own address as source address'"
check "and the raw name is not on the serial console" not grep -qF $'sc\e[2Jz' "$SERIAL.raw"
on_vm "ip netns del esc" >/dev/null
check "scout-console runs on tty1 too" on_vm "systemctl is-active getty@tty1.service >/dev/null && pgrep -t tty1 -x scout-console >/dev/null"

# 1. the firewall first
firewall_first 1 systemd-networkd.service eth0
kernel_clock
clock_figure "QEMU start -> firewall applied" "$(awk -v f="${FW_DONE:-0}" 'BEGIN { print f / 1e6 }')"
check "1: host-iptables verify passes" on_vm "host-iptables verify >/dev/null"
check "1: IPv4 forwarding is on" test "$(on_vm 'cat /proc/sys/net/ipv4/ip_forward')" = 1

# 2. the VPN
vpn_up=
for _ in $(seq 90); do
	on_vm "ip -4 -o addr show dev tap0" | grep -q ' 10.1.0.2/' && { vpn_up=$(date +%s.%N); break; }
	sleep 1
done
if [ -n "$vpn_up" ]; then
	ok "2: tap0 has vpn.scout_address 10.1.0.2"
	journal_figure openvpn-client@scout 'Initialization Sequence Completed' "QEMU start -> VPN up (tap0 10.1.0.2)"
else
	not_ok "2: tap0 has vpn.scout_address 10.1.0.2"
	tail -n 5 "$TMP/server.log"
	on_vm "journalctl -b --no-pager -n 20 -u openvpn-client@scout"
fi

# TunnelVision: the routes the LAN's DHCP offered were not taken, its
# gateway was (option 3, though option 121 came with it).
check "2: no DHCP route for the expert's address or the VPN server (option 121)" \
	test -z "$(on_vm 'ip -4 route show 10.1.0.3/32; ip -4 route show 203.0.113.1/32')"
check "2: the LAN's DHCP does not name the scout (option 12 not taken)" \
	test "$(on_vm 'hostname; journalctl -b -o cat -u systemd-networkd | grep -ci hostname')" = "scout
0"
check "2: the DHCP gateway is the default route" on_vm "ip -4 route show default | grep -q '^default via 192.168.60.2 '"
check "2: iwd is not ordered before network.target (the VPN does not wait for it)" \
	on_vm "! systemctl show -P Before iwd.service | grep -qw network.target"
check "2: the expert's address is reached through the tunnel" \
	on_vm "ip -4 route get 10.1.0.3 | grep -q ' dev tap0 '"

# 3. the container
ct_up=
for _ in $(seq 60); do
	[ "$(on_vm 'systemctl is-active systemd-nspawn@container')" = active ] &&
		on_vm "machinectl show --property=Leader --value container" | grep -q '^[0-9]' && { ct_up=$(date +%s.%N); break; }
	sleep 1
done
check "3: the container runs" test -n "$ct_up"
[ -n "$ct_up" ] && journal_figure systemd-nspawn@container 'Started systemd-nspawn@container' "QEMU start -> container running"
in_ct() { on_vm "nsenter -t \$(machinectl show --property=Leader --value container) -a $1"; }
check "3: the container sees lo and eth0 only" \
	test "$(in_ct "ip -o link" | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort | tr '\n' ' ')" = "eth0 lo "
check "3: eth0 has container.address 10.0.3.2" sh -c "printf '%s' \"\$1\" | grep -q 'inet 10.0.3.2/24'" sh \
	"$(in_ct "ip -4 -o addr show dev eth0")"
check "3: it resolves a name through container.dns" \
	test "$(in_ct "getent hosts scout-test.lan" | awk '{ print $1 }')" = 192.168.60.1
check "3: it reaches a LAN listener, masqueraded behind the scout" \
	test "$(in_ct "timeout 10 bash -c 'exec 3<>/dev/tcp/192.168.60.1/8080; cat <&3'")" = "lan-peer $VM_IP"
uid_map=$(on_vm "cat /proc/\$(machinectl show --property=Leader --value container)/uid_map" | tr -s ' ' | sed 's/^ //')
check "3: root in the container is not root on the host (uid_map '$uid_map')" test "$uid_map" = "0 1879048192 65536"

# 4. the expert's SSH
ssh_ok=
for _ in $(seq 60); do
	out=$(expert_ssh scout 'cat /proc/self/uid_map; hostname; ip -4 -o addr show dev eth0' 2>"$TMP/ssh.err") &&
		{ ssh_ok=$(date +%s.%N); break; }
	sleep 1
done
if [ -n "$ssh_ok" ]; then
	probe_figure first "QEMU start -> the expert's SSH command answered"
	# Where the boot's time went (make bench-image shows it; no check).
	on_vm "systemd-analyze --no-pager; systemd-analyze critical-chain --no-pager openvpn-client@scout.service \
		systemd-nspawn@container.service; systemd-analyze blame --no-pager | head -12" | sed 's/^/boot: /'
fi
check "4: ssh scout lands in the container, as its root" \
	sh -c "printf '%s\n' \"\$1\" | grep -Eq '^ *0 +1879048192 +65536' && printf '%s\n' \"\$1\" | grep -q 'inet 10.0.3.2/24'" sh "$out"
check "4: the host's sshd takes keys only, on host_control.port only" \
	test "$(on_vm "sshd -T | grep -E '^(port|passwordauthentication|kbdinteractiveauthentication|permitrootlogin) ' | sort | tr '\n' ' '")" = \
	"kbdinteractiveauthentication no passwordauthentication no permitrootlogin without-password port 23 "
check "4: the container's sshd takes keys only" \
	test "$(in_ct "sshd -T" | grep -E '^(passwordauthentication|kbdinteractiveauthentication) ' | sort | tr '\n' ' ')" = \
	"kbdinteractiveauthentication no passwordauthentication no "
check_closed() { ! expert_ssh scout-host true 2>/dev/null; }
check "4: ssh scout-host is refused while host control is off" check_closed

# 5. the LAN sees nothing
# The open ports nmap finds (none: nothing); a scan that did not run says so.
nmap_open() {
	local out
	if ! out=$(in_ns lan nmap -n -Pn "$@" --max-retries 1 --min-rate 2000 -oG - 2>&1) ||
		! grep -q '^# Nmap done at .* 1 IP address (1 host up)' <<<"$out"; then
		echo "nmap did not scan: $(tail -2 <<<"$out")"
		return
	fi
	grep -o '[0-9]*/open/[a-z]*' <<<"$out" || true
}
# lan_closed STEP PORTS: nmap from the LAN finds no open port (TCP PORTS,
# UDP's top 200) on the scout's IPv4 and IPv6 link-local addresses, and
# nothing of the container's by routing via the scout.
lan_closed() {
	# The scans below reach the scout: it answers ping (ICMP echo is let
	# in) at both addresses.
	check "$1: the scout's IPv4 address answers ping" quiet in_ns lan ping -c 2 -W 2 "$VM_IP"
	check "$1: the scout's IPv6 link-local address answers ping" quiet in_ns lan ping -6 -c 2 -W 2 "$VM_LL%br0"
	check "$1: LAN -> scout IPv4, TCP $2: none open" test -z "$(nmap_open -sT -p "$2" "$VM_IP")"
	check "$1: LAN -> scout IPv4, UDP top 200: none open" test -z "$(nmap_open -sU --top-ports 200 "$VM_IP")"
	check "$1: LAN -> scout IPv6 link-local, TCP $2: none open" \
		test -z "$(nmap_open -6 -sT -p "$2" "$VM_LL%br0")"
	check "$1: LAN -> scout IPv6 link-local, UDP top 200: none open" \
		test -z "$(nmap_open -6 -sU --top-ports 200 "$VM_LL%br0")"
	in_ns lan ip route replace 10.0.3.0/24 via "$VM_IP"
	check "$1: LAN -> the container, routed via the scout: nothing" \
		test -z "$(nmap_open -sT -p 22,2000-2009 10.0.3.2)"
	in_ns lan ip route del 10.0.3.0/24
}
lan_closed 5 1-65535

# 6. the owner's toggles, on the console's Network menu: keys on the
# serial port; what changed is seen by the expert and the LAN.
lan_banner() { in_ns lan timeout 5 bash -c "exec 3<>/dev/tcp/$VM_IP/22; head -c 7 <&3" 2>/dev/null; }
hc_open() { test "$(expert_ssh scout-host hostname 2>/dev/null)" = scout; }
lan_open() { test "$(lan_banner)" = SSH-2.0; }
from=$(serial_lines)
check "6: leaving the shell returns to the console" leave_shell
check "6: the console shows the DHCP route into the VPN subnet it did not take" \
	quiet wait_serial 'DHCP route 10.1.0.3/32 for the VPN subnet, not taken' 30 "$from"
check "6: and the one to the VPN server" quiet wait_serial 'DHCP route 203.0.113.1/32 for the VPN server, not taken' 30 "$from"
check "6: Network, Host Control: it asks first" console_keys nh 'Enable Host Control\?'
printf y >&7
check "6: yes: the expert's ssh scout-host lands on the scout" until_ok 30 hc_open
check "6: Access from LAN: it asks first, naming what opens" console_keys a 'Reachable then: TCP 22, 2000-2009 of the container'
printf y >&7
check "6: yes: the LAN reaches the container's sshd on the scout's LAN address" until_ok 30 lan_open
check "6: disabling Access from LAN asks first" console_keys a 'Disable Access from LAN\?'
printf y >&7
check "6: yes: the LAN reaches nothing again" until_ok 30 not lan_open
check "6: disabling Host Control asks first" console_keys h 'Disable Host Control\?'
printf y >&7
check "6: yes: ssh scout-host is refused again" until_ok 30 not hc_open
back_to_shell() { console_keys b 'Power off' && vm_shell; }
check "6: Back, and the console's Shell again" back_to_shell
check "6: host-iptables reads both OFF from the kernel" \
	test "$(on_vm "host-iptables check-access-from-lan; host-iptables check-host-control" | tr '\n' ' ')" = \
	"Access from LAN is OFF Host control is OFF "
check "6: ssh scout still lands in the container" test "$(expert_ssh scout hostname 2>/dev/null)" = container
check "6: ssh scout-host is refused again" check_closed
lan_closed 6 1-1024,2000-2009,5355
[ "$FAILED" -eq 0 ] || show_failure
shutdown_vm

# 7. a boot in which host-iptables fails
dnsmasq_restart "$TMP/dnsmasq-2.log"
boot failing "systemd.setenv=HOST_IPTABLES_TEST_FAIL_COMMIT=nat4"
if wait_serial 'Scout console - ' "$BOOT_WAIT" >/dev/null; then
	ok "7: the scout boots to its console"
	check "7: the console shows that the firewall failed" \
		quiet wait_serial 'scout-firewall.service FAILED at boot: networking stays off' 30
	vm_shell
	sleep 20 # the time a DHCP request would have taken
	check "7: the console names the failure" \
		grep -q 'host-iptables: IPv4 nat table: cannot commit: failure forced' "$SERIAL"
	# systemd's colours are escape sequences: left out, from the bytes as
	# they came (-a: a NUL on the port must not make grep call it binary).
	# It shortens the unit's name to fit 80 columns ("scout-fire…"), not
	# its description.
	check "7: and says the unit failed" sh -c 'sed "s/\x1b\[[0-9;?]*[A-Za-z]//g" "$1" | tr -d "\r" |
		grep -aEq "\[FAILED\] Failed to start scout-f.* - Scout firewall \(host-iptables\)"' sh "$SERIAL.raw"
	# Nothing started it again: the console asks iwd (bus-activatable,
	# requiring the firewall) without starting it.
	check "7: the firewall ran once (no unit or bus activation started it again)" test "$(on_vm_number \
		"journalctl -b --no-pager -o cat -u scout-firewall.service | grep -c 'cannot commit: failure forced'")" = 1
	check "7: networkd did not start" test "$(on_vm 'systemctl is-active systemd-networkd.service')" != active
	check "7: no address but lo's" \
		test "$(on_vm "ip -o addr show | awk '{ print \$2 }' | sort -u | tr '\n' ' '")" = "lo "
	check "7: dnsmasq listened on the LAN all along" grep -q 'DHCP, IP range 192.168.60.100' "$TMP/dnsmasq-2.log"
	check "7: the LAN saw no DHCP request" not grep -qi "DHCPDISCOVER.*$VM_MAC" "$TMP/dnsmasq-2.log"
	check "7: nothing answers on the LAN (IPv4)" not quiet in_ns lan ping -c 2 -W 1 "$VM_IP"
	check "7: nothing answers on the LAN (IPv6 link-local)" not quiet in_ns lan ping -6 -c 2 -W 1 "$VM_LL%br0"
	check "7: IPv4 forwarding is off" test "$(on_vm 'cat /proc/sys/net/ipv4/ip_forward')" = 0
	[ "$FAILED" -eq 0 ] || show_failure
else
	not_ok "7: the scout boots to its console"
	show_failure
fi
shutdown_vm

# 8. the ISO through its own boot loaders. BIOS (GRUB), from a CD and from
# a USB stick: the kernel starts.
for VM_BOOT in bios-cd bios-usb; do
	boot "$VM_BOOT" ""
	check "8: the ISO boots by BIOS from $VM_BOOT (GRUB): the kernel starts" quiet wait_serial "$KERNEL_UP" 120
	shutdown_vm
done
# UEFI with Secure Boot enforced (OVMF, Microsoft's keys): shim, GRUB and
# the kernel, all signed, from a CD and from a USB stick, each to the
# expert's SSH in the container over the VPN.
for VM_BOOT in uefi-cd uefi-usb; do
	dnsmasq_restart "$TMP/dnsmasq-$VM_BOOT.log"
	boot "$VM_BOOT" ""
	expert_probe "$VM_BOOT"
	secure_boot_to_expert "$VM_BOOT"
	shutdown_vm
done
VM_BOOT=kernel

finish
