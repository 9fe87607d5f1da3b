#!/usr/bin/env bash
# make check-image, WireGuard: the ISO of a profile with vpn.type:
# wireguard, really booted in QEMU (TCG). The image's own kernel makes the
# tunnel (systemd-networkd's .netdev, the kernel's WireGuard); the server
# and the expert, in namespaces of this machine (whose kernel has no
# WireGuard), run wireguard-go from their exports' wg-quick configs:
#   lan   a bridge with the VM's tap, dnsmasq (DHCP and DNS)
#   srv   the expert's server (exports/server: wg-quick, its isolate
#         script), on the LAN and with the address the scout connects to
#   exp   the expert: exports/expert's wg-quick config and the real
#         OpenSSH client with its ssh_config and known_hosts
# The expert's SSH session must reach the container over WireGuard.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vmlib.sh"

need image-wg "needs root (namespaces, a tap)" test "$(id -u)" -eq 0
for tool in qemu-system-x86_64 dnsmasq ssh xorriso wireguard-go wg-quick; do
	need image-wg "$tool is not installed (./build.sh deps image)" command -v "$tool" >/dev/null
done
need image-wg "/dev/net/tun is missing" test -c /dev/net/tun

BOOT_WAIT=${IMAGE_BOOT_WAIT:-300}
VM_MAC=52:54:00:12:34:57 VM_IP=192.168.61.10
ns() { echo "siwg$$-$1"; }
in_ns_bg() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@" & }

# --- the image ------------------------------------------------------------
mkdir -p "$TMP/cfg"
printf 'vpn:\n  type: wireguard\n  server: 203.0.113.1\ncontainer:\n  dns: [192.168.61.1]\n' >"$TMP/cfg/network.yaml"
build_image " (wireguard)" "wireguard image build (base cached)"
iso_kernel

# --- the lab --------------------------------------------------------------
make_ns lan srv exp
at_exit "kill_in srv; kill_in exp"
bridge_ns lan 192.168.61.1/24
in_ns lan ip tuntap add dev tap0 mode tap
in_ns lan ip link set tap0 master br0 up
ip link add eth0 netns "$(ns srv)" type veth peer name p-srv netns "$(ns lan)"
in_ns lan ip link set p-srv master br0 up
in_ns srv ip addr add 192.168.61.2/24 dev eth0
in_ns srv ip link set eth0 up
server_address srv
ip link add eth0 netns "$(ns exp)" type veth peer name x0 netns "$(ns srv)"
in_ns srv ip addr add 198.51.100.1/24 dev x0
in_ns srv ip link set x0 up
in_ns exp ip addr add 198.51.100.3/24 dev eth0
in_ns exp ip link set eth0 up
in_ns exp ip route add 203.0.113.1 via 198.51.100.1
in_ns_bg lan dnsmasq -k --conf-file=/dev/null --interface=br0 --bind-interfaces --no-resolv --no-hosts \
	--dhcp-range=192.168.61.100,192.168.61.150,1h --dhcp-host="$VM_MAC,$VM_IP" \
	--dhcp-option=option:router,192.168.61.2 --dhcp-option=option:dns-server,192.168.61.1 \
	--dhcp-leasefile="$TMP/leases" --log-facility="$TMP/dnsmasq.log" --pid-file="$TMP/dnsmasq.pid"
at_exit "kill $! 2>/dev/null"

# The server's and the expert's wireguard-go, each in a mount namespace
# of its own (one socket path for both).
wg_mounts srv exp
nsenter --mount="$TMP/mnt/srv" mount --bind "$TMP/out/exports/server/etc/wireguard" /etc/wireguard
in_wg srv wg-quick up wg0 >"$TMP/server.log" 2>&1 || { not_ok "server: wg-quick up"; cat "$TMP/server.log"; }
in_wg exp wg-quick up "$TMP/out/exports/expert/etc/wireguard/wg0.conf" >"$TMP/expert.log" 2>&1 ||
	{ not_ok "expert: wg-quick up"; cat "$TMP/expert.log"; }

# The expert's ssh, with the export's /etc/scout shown at /etc/scout.
expert_ssh() {
	nsenter --net="/run/netns/$(ns exp)" unshare -m --propagation private sh -c '
		mount -t overlay overlay -o "lowerdir=$1/etc:/etc" /etc && shift && exec ssh -F /etc/scout/ssh_config "$@"' \
		sh "$TMP/out/exports/expert" "$@"
}

# shellcheck disable=SC2034 # read by vmlib.sh's boot
VM_NS=$(ns lan)
# shellcheck disable=SC2034
VM_NET="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0,mac=$VM_MAC"

# --- the boot -------------------------------------------------------------
boot wg ""
ssh_at=
for _ in $(seq "$BOOT_WAIT"); do
	out=$(expert_ssh -o ConnectTimeout=3 scout 'cat /proc/self/uid_map; hostname' 2>/dev/null) && {
		ssh_at=$(date +%s.%N)
		break
	}
	kill -0 "$QEMU" 2>/dev/null || break
	sleep 1
done
check "ssh scout over WireGuard lands in the container, as its root, with private users" \
	sh -c "printf '%s\n' \"\$1\" | grep -Eq '^ *0 +1879048192 +65536' && printf '%s\n' \"\$1\" | grep -qx container" sh "$out"
[ -n "$ssh_at" ] && figure "wireguard: QEMU start -> the expert's SSH command answered" "$(since_boot "$ssh_at")"
check "the expert's SSH went through the server's tunnel (the scout's peer has a handshake)" \
	sh -c "nsenter --mount='$TMP/mnt/srv' --net='/run/netns/$(ns srv)' wg show wg0 latest-handshakes | awk '\$2 > 0 { n++ } END { exit n < 2 }'"
if wait_serial 'Scout console - ' 60 >/dev/null && vm_shell; then
	check "the scout's wg0 is the kernel's WireGuard, made by networkd" \
		test "$(on_vm "cat /sys/class/net/wg0/uevent | grep -c DEVTYPE=wireguard")" = 1
	check "wg0 has vpn.scout_address 10.1.0.2/24" on_vm "ip -4 -o addr show dev wg0 | grep -q ' 10.1.0.2/24 '"
	check "no default route by the tunnel" not on_vm "ip route show default | grep -q wg0"
	check "the keys are systemd-network's at boot (tmpfiles.d), 0640" \
		test "$(on_vm "stat -c '%a %G' /etc/scout/wireguard/private.key" | tail -1)" = "640 systemd-network"
	check "no OpenVPN client on a WireGuard scout" not on_vm "systemctl is-active -q openvpn-client@scout"
	# Back in the menu the console draws its whole screen again: the
	# status as the owner reads it, from the kernel's WireGuard.
	from=$(serial_lines)
	if leave_shell; then
		# (the serial log starts a line at each escape: "tunnel UP" is bold)
		check "the console shows the tunnel UP" quiet wait_serial 'tunnel UP$' 30 "$from"
		check "over wg0 with its address, systemd-networkd active" \
			quiet wait_serial ': wg0 10\.1\.0\.2 \(systemd-networkd active\)' 30 "$from"
		check "the console shows the last handshake's age" \
			quiet wait_serial '51820/udp WireGuard, handshake [0-9]+ (s|min) ago' 30 "$from"
	else
		not_ok "back from the shell to the console"
	fi
else
	not_ok "the owner's console gives a shell"
fi
[ "$FAILED" -eq 0 ] || show_failure
finish
