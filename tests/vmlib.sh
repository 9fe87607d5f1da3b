# shellcheck shell=bash
# The VM helpers of make check-image's scripts (sourced after tests/lib.sh):
# QEMU booting the ISO ($ISO) and its serial console, on which the owner's
# console (scout-console) runs and whose Shell gives the tests a root shell
# for their commands (on_vm).
figure() { printf 'figure: %-44s %s\n' "$1" "$2"; }
# The tree whose ./build.sh makes the ISOs: this one, or (make
# bench-image) a reference commit's, measured by this tree's checks.
IMAGE_TREE=${IMAGE_TREE:-$TOP}
# build_image WHAT LABEL: ./build.sh image of $TMP/cfg/network.yaml into
# $TMP/out, its time shown as figure LABEL; sets ISO. A failure ends the
# suite (WHAT names the build).
build_image() {
	local t0
	t0=$(date +%s.%N)
	if ! (cd "$IMAGE_TREE" && ./build.sh image -q -c "$TMP/cfg/network.yaml" -o "$TMP/out" -r /nonexistent) >"$TMP/build.log" 2>&1; then
		not_ok "./build.sh image$1"
		tail -30 "$TMP/build.log"
		finish
		exit
	fi
	figure "$2" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }')"
	ISO=$TMP/out/scout.iso
}
# iso_kernel [XORRISO_ARGS...]: the ISO's kernel and initrd in $TMP
# (vmlinuz, initrd.img) and its kernel command line in CMDLINE, for boot;
# the arguments extract more.
iso_kernel() {
	xorriso -osirrox on -indev "$ISO" -extract /live/vmlinuz "$TMP/vmlinuz" -extract /live/initrd.img "$TMP/initrd.img" \
		-extract /boot/grub/grub.cfg "$TMP/grub.cfg" "$@" >/dev/null 2>&1
	CMDLINE=$(sed -n 's|^[[:space:]]*linux /live/vmlinuz ||p' "$TMP/grub.cfg")
	check "the kernel command line is in grub.cfg" test -n "$CMDLINE"
}
# boot NAME EXTRA_CMDLINE: starts QEMU (2 vCPUs, TCG) in the namespace
# VM_NS (none: this one) with the NIC options VM_NET; the serial port's
# lines go to $TMP/NAME.serial, each with the time it arrived. How it
# boots, VM_BOOT:
#   kernel   (default) the ISO's kernel and initrd from $TMP/vmlinuz and
#            $TMP/initrd.img with $CMDLINE EXTRA_CMDLINE, the ISO as CD-ROM
#   bios-cd  the ISO's own boot loader, BIOS firmware, ISO as CD-ROM
#   bios-usb the same, the ISO file as a USB stick (usb-storage on xHCI)
#   uefi-cd  UEFI with Secure Boot enforced (OVMF with Microsoft's keys),
#            the ISO as CD-ROM
#   uefi-usb the same, the ISO file as a USB stick
boot() {
	local name=$1 extra=$2 qemu
	SERIAL=$TMP/$name.serial
	rm -f "$TMP/ser.in" "$TMP/ser.out"
	mkfifo "$TMP/ser.in" "$TMP/ser.out"
	qemu=(qemu-system-x86_64 -accel tcg -m 1536 -smp 2 -display none -monitor none -no-reboot -nic none)
	case ${VM_BOOT:-kernel} in
	kernel) qemu+=(-kernel "$TMP/vmlinuz" -initrd "$TMP/initrd.img" -append "$CMDLINE init_on_alloc=0 $extra") ;;
	bios-*) ;;
	uefi-*)
		# The firmware's variables (Microsoft's keys enrolled, Secure
		# Boot on) are written to: each boot has its own copy.
		cp /usr/share/OVMF/OVMF_VARS_4M.ms.fd "$TMP/$name.vars.fd"
		# shellcheck disable=SC2054 # commas: QEMU's, inside one option
		qemu+=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
			-drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd
			-drive if=pflash,format=raw,unit=1,file="$TMP/$name.vars.fd") ;;
	*) echo "boot: VM_BOOT=$VM_BOOT?" >&2; return 1 ;;
	esac
	case ${VM_BOOT:-kernel} in
	*-usb)
		# The ISO file as it is written to a stick (dd, cp); snapshot:
		# what the guest writes stays out of the file.
		# shellcheck disable=SC2054
		qemu+=(-device qemu-xhci,id=xhci -drive if=none,id=stick,format=raw,snapshot=on,file="$ISO"
			-device usb-storage,bus=xhci.0,drive=stick,removable=on) ;;
	*) qemu+=(-cdrom "$ISO") ;;
	esac
	# shellcheck disable=SC2206 # VM_NET: QEMU's options, a word each
	qemu+=(${VM_NET:-} -serial pipe:"$TMP/ser")
	BOOT_T0=$(date +%s.%N)
	if [ -n "${VM_NS:-}" ]; then ip netns exec "$VM_NS" "${qemu[@]}" & else "${qemu[@]}" & fi
	QEMU=$!
	at_exit "kill $QEMU 2>/dev/null"
	# The console's screen has no newlines: escape sequences start lines.
	# $SERIAL.raw keeps the bytes as they came.
	tee "$SERIAL.raw" <"$TMP/ser.out" | stdbuf -o0 tr -d '\r' | stdbuf -o0 tr '\033' '\n' |
		while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done >"$SERIAL" &
	at_exit "kill $! 2>/dev/null"
	exec 7>"$TMP/ser.in"
}
shutdown_vm() {
	kill "$QEMU" 2>/dev/null
	wait "$QEMU" 2>/dev/null
	exec 7>&-
}
# wait_serial PATTERN SECONDS [FROM]: the time of the first line matching
# (from line FROM on), or 1.
wait_serial() {
	local end=$((SECONDS + $2)) line
	while [ $SECONDS -lt $end ]; do
		line=$(tail -n +"${3:-1}" "$SERIAL" 2>/dev/null | grep -m1 -E -- "$1") && { echo "${line%% *}"; return 0; }
		sleep 0.5
	done
	return 1
}
serial_lines() { wc -l <"$SERIAL"; }
# console_keys KEYS PATTERN: types KEYS on the console and waits for
# PATTERN on the serial port after them.
console_keys() {
	local from
	from=$(serial_lines)
	printf '%s' "$1" >&7
	wait_serial "$2" 30 "$from" >/dev/null || { echo "the console did not show '$2' after '$1'"; return 1; }
}
# vm_shell: the console's Shell, made ready for on_vm.
vm_shell() {
	console_keys s 'Open a root shell' && console_keys y 'a root shell; exit comes back to the menu' &&
		sleep 1 && on_vm "stty -echo; bind 'set enable-bracketed-paste off'; export SYSTEMD_PAGER= TERM=dumb" >/dev/null
}
# leave_shell: back to the console's menu.
leave_shell() {
	local from
	from=$(serial_lines)
	printf 'exit\n' >&7
	wait_serial 'Scout console - ' 30 "$from" >/dev/null
}
# on_vm CMD: runs CMD in the VM's root shell on the serial port; prints
# its output, returns its status (bounded: 120 s).
on_vm() {
	# Called in $(...) as often as not: the markers' id cannot be a
	# counter of this shell's.
	local id
	id=$(date +%s%N)$RANDOM
	printf "printf '@@%%s@@\\\\n' B%s; %s; printf '@@%%s@@ %%s\\\\n' E%s \$?\n" "$id" "$1" "$id" >&7
	wait_serial "@@E$id@@ [0-9]+" 120 >/dev/null || { echo "(no answer on the serial console)"; return 99; }
	# The prompt may stand before a marker on its line.
	awk -v b="@@B$id@@" -v e="@@E$id@@" '
		{ t = $0; sub(/^[^ ]* /, "", t) }
		(i = index(t, e)) {
			if (go && i > 1)
				printf "%s", substr(t, 1, i - 1) # output without a newline
			split(substr(t, i), f, " ")
			exit f[2]
		}
		go { print t }
		index(t, b) { go = 1 }' "$SERIAL"
}
# kernel_clock: k0, when the kernel's clock started (by the host's clock:
# now - uptime; late by at most the serial port's round trip).
kernel_clock() {
	local uptime
	uptime=$(on_vm "cut -d' ' -f1 /proc/uptime" | grep -E '^[0-9.]+$' | tail -1)
	k0=$(awk -v n="$(date +%s.%N)" -v u="${uptime:-0}" 'BEGIN { printf "%.3f", n - u }')
}
# clock_figure LABEL T: the kernel's clock's T (seconds) since QEMU's
# start (kernel_clock's k0), as figure LABEL.
clock_figure() {
	figure "$1" "$(awk -v k="$k0" -v a="$BOOT_T0" -v t="$2" 'BEGIN { printf "%.1f s", k - a + t }')"
}
# journal_figure UNIT PATTERN LABEL: when the boot's journal of UNIT first
# had a line with PATTERN, as clock_figure LABEL.
journal_figure() {
	local t
	t=$(on_vm "journalctl -b -o short-monotonic --no-pager -u $1 | grep -m1 '$2'" | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p')
	[ -n "$t" ] && clock_figure "$3" "$t"
}
since_boot() { awk -v a="$BOOT_T0" -v b="$1" 'BEGIN { printf "%.1f s", b - a }'; }
show_failure() {
	echo "--- the serial console's last lines:"
	tail -40 "$SERIAL" | cut -d' ' -f2-
	echo "--- the journal's tail:"
	on_vm "journalctl -b --no-pager -n 40 -o short-monotonic" | tail -40
}
# until SECONDS CMD...: CMD succeeds within SECONDS.
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while ! "$@"; do [ $SECONDS -lt $end ] || return 1; sleep 1; done
}
# A number: the last line of CMD's output that is one (a late status line
# of systemd's may stand before it).
on_vm_number() { on_vm "$1" | grep -E '^[0-9]+$' | tail -1; }
# firewall_first STEP UNIT IFACE: the firewall was in (scout-firewall had
# exited) when UNIT started and before IFACE had its DHCPv4 address (from
# networkd's journal). Sets FW_DONE: when, in us since the kernel started.
firewall_first() {
	local start addr
	FW_DONE=$(on_vm_number "systemctl show -P ExecMainExitTimestampMonotonic scout-firewall.service")
	start=$(on_vm_number "systemctl show -P ExecMainStartTimestampMonotonic $2")
	addr=$(on_vm "journalctl -b -o short-monotonic --no-pager -u systemd-networkd | grep -m1 '$3: DHCPv4 address'" |
		sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	check "$1: the firewall was in when $2 started ($FW_DONE <= $start us)" \
		test "${FW_DONE:-x}" -gt 0 -a "${FW_DONE:-0}" -le "${start:-0}"
	check "$1: and before $3 had an address (firewall $FW_DONE us, address at $addr s)" \
		awk -v f="${FW_DONE:-0}" -v a="${addr:-0}" 'BEGIN { exit !(f > 0 && a > 0 && f / 1e6 < a) }'
}
