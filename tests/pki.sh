#!/usr/bin/env bash
# The keys: made once and never again, with the right modes; every broken,
# foreign or expired key is an error naming its file, and nothing is
# written. Bad keys are made here with the openssl command line (and
# faketime for certificates out of their validity period).
. "$(dirname "$0")/lib.sh"

need pki "openssl is not installed" command -v openssl >/dev/null
cd "$TMP" || exit 1
printf 'vpn:\n  server: vpn.example.org\n' >network.yaml
cp -r "$TOP/templates" templates
K=$TMP/openvpn
S=$TMP/ssh

check "keys are made when there are none" sh -c "'$GEN' keys -q -k '$K' -s '$S'"
for f in ca.key server.key client.key expert.key ta.key; do
	check "$f is 0600" test "$(stat -c %a "$K/$f")" = 600
done
check "the key directory is 0700" test "$(stat -c %a "$K")" = 700
# The shipped config/openvpn exists already (it holds .gitkeep), 0755.
mkdir -m 755 shipped-keys && touch shipped-keys/.gitkeep
"$GEN" keys -q -k shipped-keys
check "an existing key directory becomes 0700 when the keys are made in it" \
	test "$(stat -c %a shipped-keys)" = 700
before=$(cat "$K"/*)
check "a second run makes nothing" sh -c "'$GEN' keys -k '$K' -s '$S' | grep -c . | grep -qx 0"
check "and changes nothing" test "$(cat "$K"/*)" = "$before"
check "the keys pass the checks" sh -c "'$GEN' check -q -c network.yaml -k '$K' -s '$S' -r /nonexistent"
"$GEN" build -q -c network.yaml -k "$K" -s "$S" -r /nonexistent -o out 2>/dev/null
check "server.conf names the certificates by role" grep -q '^cert /etc/openvpn/server/scout/server.crt$' out/exports/server/etc/openvpn/server/scout.conf
check "ccd entry for the scout's CN" grep -qx 'ifconfig-push 10.1.0.2 255.255.255.0' out/exports/server/etc/openvpn/server/scout/ccd/scout
check "ccd entry for the expert's CN" grep -qx 'ifconfig-push 10.1.0.3 255.255.255.0' out/exports/server/etc/openvpn/server/scout/ccd/expert
check "the server export has no ifconfig-pool-persist" not grep -rqE '^[[:space:]]*ifconfig-pool-persist' out/exports/server
check "ca.key is in no archive" sh -c "! tar -tzf out/overlay.tar.gz | grep -q ca.key && ! tar -tzf out/exports/server.tar.gz | grep -q ca.key && ! tar -tzf out/exports/expert.tar.gz | grep -q ca.key"
sums=$(sha256sum out/overlay.tar.gz out/exports/*.tar.gz)

# sign CSR_KEY CN PURPOSE OUT [faketime date]: a certificate from our CA.
sign() {
	local key=$1 cn=$2 eku=$3 out=$4 when=${5:-}
	printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\n' "$eku" >ext.cnf
	openssl req -new -key "$key" -subj "/CN=$cn" -out req.csr 2>/dev/null
	${when:+faketime "$when"} openssl x509 -req -in req.csr -CA "$K/ca.crt" -CAkey "$K/ca.key" \
		-CAcreateserial -days 365 -sha256 -extfile ext.cnf -out "$out" 2>/dev/null
}

# bad NAME EXPECTED_STDERR: the check and the build fail with exactly that,
# and the outputs stay as they were. The keys are restored afterwards.
bad() {
	local rc=0
	"$GEN" build -q -c network.yaml -k "$K" -s "$S" -r /nonexistent -o out >/dev/null 2>err || rc=$?
	check "$1: exit 1" test "$rc" -eq 1
	printf '%s\n' "$2" >want
	same_text "$1: stderr" want err
	check "$1: outputs untouched" test "$(sha256sum out/overlay.tar.gz out/exports/*.tar.gz)" = "$sums"
	rm -rf "$K"
	cp -a keys.good "$K"
}
cp -a "$K" keys.good

chmod 755 "$K" && chmod 644 "$K/client.key"
"$GEN" check -q -c network.yaml -k "$K" -s "$S" -r /nonexistent 2>err
printf '%s\n' "$K: warning: the keys directory is open to others (mode 0755); chmod 700 $K" \
	"$K/client.key: warning: a private key others can read (mode 0644); chmod 600 $K/client.key" >want
same_text "check warns about a key directory and a private key others can read" want err
chmod 700 "$K" && chmod 600 "$K/client.key"
"$GEN" check -q -c network.yaml -k "$K" -s "$S" -r /nonexistent 2>err
check "and says nothing once they are private" test ! -s err

command -v faketime >/dev/null && {
	sign "$K/client.key" scout clientAuth "$K/client.crt" "2020-01-01 00:00:00"
	bad "expired certificate" "$K/client.crt: error: expired on $(openssl x509 -in "$K/client.crt" -noout -enddate | cut -d= -f2)"
	sign "$K/client.key" scout clientAuth "$K/client.crt" "$(date -u -d '+400 days' '+%Y-%m-%d %H:%M:%S')"
	bad "certificate not yet valid" "$K/client.crt: error: not valid before $(openssl x509 -in "$K/client.crt" -noout -startdate | cut -d= -f2)"
} || cannot_run "certificates out of their validity period" "faketime is not installed"

"$GEN" keys -q -k other
cp other/client.crt other/client.key "$K/"
bad "certificate from another CA" "$K/client.crt: error: not signed by $K/ca.crt"
cp "$K/expert.crt" "$K/server.crt" && cp "$K/expert.key" "$K/server.key"
bad "client certificate as the server's" "$K/server.crt: error: not a TLS server certificate (keyUsage/extendedKeyUsage)"
cp "$K/expert.key" "$K/client.key"
bad "key of another certificate" "$K/client.key: error: does not belong to $K/client.crt"
printf 'not a key\n' >"$K/ta.key"
bad "ta.key that is no static key" "$K/ta.key: error: not an OpenVPN static key (openvpn --genkey tls-crypt)"
rm "$K/ta.key"
bad "missing ta.key" "$K/ta.key: error: missing; server.crt needs it"
printf 'garbage\n' >"$K/client.crt"
bad "certificate that is no PEM" "$K/client.crt: error: not a PEM certificate"
rm "$K/ca.crt" && mkdir "$K/ca.crt"
bad "ca.crt that cannot be read" "$K/ca.crt: error: cannot read: Is a directory"
cp "$K/client.crt" "$K/ca.crt"
bad "ca.crt that is no CA" "$K/ca.crt: error: not a CA certificate
$K/client.crt: error: not signed by $K/ca.crt
$K/expert.crt: error: not signed by $K/ca.crt
$K/server.crt: error: not signed by $K/ca.crt"
# (A longer common name cannot be made with the openssl command line,
# which keeps to X.509's 64; tests/unit/test_pki.c makes one.)
sign "$K/client.key" "scout-$(printf '%058d' 0)" clientAuth "$K/client.crt"
"$GEN" build -q -c network.yaml -k "$K" -s "$S" -r /nonexistent -o out64 2>/dev/null
check "common name of 64 bytes: the server's ccd file has that name, whole" \
	test -f "out64/exports/server/etc/openvpn/server/scout/ccd/scout-$(printf '%058d' 0)"
rm -rf "$K" && cp -a keys.good "$K"
sign "$K/expert.key" scout clientAuth "$K/expert.crt"
bad "expert with the scout's common name" "$K/expert.crt: error: has the same common name as client.crt ('scout'); the server tells them apart by it"

# --- the SSH keys ---
for f in expert scout_host_ed25519_key container_host_ed25519_key; do
	check "ssh: $f is 0600" test "$(stat -c %a "$S/$f")" = 600
	check "ssh: $f.pub is an ed25519 key" grep -q '^ssh-ed25519 ' "$S/$f.pub"
done
check "ssh: the directory is 0700" test "$(stat -c %a "$S")" = 700
before=$(cat "$S"/*)
"$GEN" keys -q -k "$K" -s "$S"
check "ssh: a second run changes nothing" test "$(cat "$S"/*)" = "$before"
cp -a "$S" ssh.good
sshbad() {
	bad "$1" "$2"
	rm -rf "$S" && cp -a ssh.good "$S"
}
printf 'garbage\n' >"$S/scout_host_ed25519_key"
sshbad "ssh: a private key that is no OpenSSH key" "$S/scout_host_ed25519_key: error: not an OpenSSH private key (ssh-keygen makes them)"
cp "$S/expert.pub" "$S/container_host_ed25519_key.pub"
sshbad "ssh: a .pub of another key" "$S/container_host_ed25519_key.pub: error: is not the public key of $S/container_host_ed25519_key"
ssh-keygen -q -p -N secret -P '' -f "$S/scout_host_ed25519_key" >/dev/null
sshbad "ssh: a host key with a passphrase" "$S/scout_host_ed25519_key: error: encrypted with a passphrase; the scout's sshd cannot ask for it"
rm "$S/expert.pub"
sshbad "ssh: a missing .pub" "$S/expert.pub: error: cannot read: missing"

# --- a fleet: each scout its own certificate and host keys ---
rm -rf "$K" "$S" && cp -a keys.good "$K" && cp -a ssh.good "$S"
fleet() { printf 'vpn:\n  server: vpn.example.org\nscouts:\n'; printf '  - {name: %s, address: %s}\n' "$@"; }
fleet scout 10.1.0.2 alpha 10.1.0.10 >fleet.yaml
"$GEN" keys -q -c fleet.yaml -k "$K" -s "$S"
check "fleet: alpha's certificate has its name" \
	sh -c "openssl x509 -noout -subject -in '$K/scouts/alpha.crt' | grep -qx 'subject=CN = alpha'"
check "fleet: alpha's key is 0600 in a 0700 directory" \
	test "$(stat -c %a "$K/scouts/alpha.key") $(stat -c %a "$K/scouts")" = "600 700"
check "fleet: alpha's certificate is signed by the CA" \
	sh -c "openssl verify -CAfile '$K/ca.crt' '$K/scouts/alpha.crt' >/dev/null"
check "fleet: alpha's host keys" test -s "$S/scouts/alpha/scout_host_ed25519_key" -a -s "$S/scouts/alpha/container_host_ed25519_key.pub"
check "fleet: the scout named scout keeps client.crt" cmp -s "$K/client.crt" keys.good/client.crt
before=$(cat "$K"/scouts/* "$S"/scouts/alpha/*)
fleet scout 10.1.0.2 alpha 10.1.0.10 bravo 10.1.0.11 >fleet.yaml
"$GEN" keys -q -c fleet.yaml -k "$K" -s "$S"
check "fleet: adding bravo makes bravo's keys" test -s "$K/scouts/bravo.crt" -a -s "$S/scouts/bravo/scout_host_ed25519_key"
check "fleet: and changes no other" test "$(cat "$K"/scouts/alpha.* "$S"/scouts/alpha/*)" = "$before"
fleet scout 10.1.0.2 alpha 10.1.0.10 bravo 10.1.0.11 delta 10.1.0.13 >delta.yaml
"$GEN" keys -c delta.yaml -k "$K" -s "$S" >out.txt
printf '%s\n' "keys       made in $K: the certificate of each scout that had none, signed by its CA" \
	"ssh keys   made in $S: the host keys of each scout that had none" >want
same_text "fleet: a new scout's keys are named as such, not as a new CA" want out.txt
"$GEN" check -c fleet.yaml -k "$K" -s "$S" -r /nonexistent >out.txt 2>err.txt
end=$(date -u -d "$(openssl x509 -noout -enddate -in "$K/scouts/bravo.crt" | cut -d= -f2)" +%Y-%m-%d)
printf '  scout %s\n' "scout: 10.1.0.2, certificate until $end" "alpha: 10.1.0.10, certificate until $end" \
	"bravo: 10.1.0.11, certificate until $end" >want
grep '^  scout ' out.txt >got
same_text "fleet: check lists the scouts with their certificates' end" want got
check "fleet: no warning while the certificates are young" test ! -s err.txt
check "fleet: paths names the scouts (their outputs' directories)" \
	sh -c "'$GEN' paths -c fleet.yaml | tr '\\0' '\\n' | grep -A1 -x scouts | tail -1 | grep -qx 'scout alpha bravo'"
check "one scout: paths names none (its outputs are in OUT)" \
	sh -c "'$GEN' paths -c network.yaml | tr '\\0' '\\n' | grep -A1 -x scouts | tail -1 | grep -qx ''"
ASAN_OPTIONS=verify_asan_link_order=0:$ASAN_OPTIONS faketime '+1810 days' "$GEN" check -q -c fleet.yaml -k "$K" -s "$S" -r /nonexistent 2>err.txt
check "fleet: a warning 30 days before a scout's certificate ends" \
	grep -q "^$K/scouts/bravo.crt: warning: expires on .*, in less than 30 days; then the VPN refuses it\$" err.txt
cp "$K/scouts/alpha.crt" keep.crt && cp "$K/scouts/alpha.key" keep.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/scouts/alpha.key" 2>/dev/null
sign "$K/scouts/alpha.key" bravo clientAuth "$K/scouts/alpha.crt"
rc=0 && "$GEN" check -q -c fleet.yaml -k "$K" -s "$S" -r /nonexistent 2>err.txt || rc=$?
printf '%s\n' "$K/scouts/alpha.crt: error: its common name is 'bravo', not the scout's name 'alpha'" >want
same_text "fleet: a scout's certificate must carry its name" want err.txt
check "fleet: and check fails" test "$rc" -eq 1
cp keep.crt "$K/scouts/alpha.crt" && cp keep.key "$K/scouts/alpha.key"
mkdir -p noca && cp -r "$K/scouts" "$K/client.crt" "$K/client.key" noca/ && chmod -R go-rwx noca
rc=0 && "$GEN" check -q -c fleet.yaml -k "$PWD/noca" -s "$S" -r /nonexistent 2>err.txt || rc=$?
printf '%s\n' "$PWD/noca/ca.crt: error: missing; client.crt needs it" "$PWD/noca/ta.key: error: missing; client.crt needs it" >want
same_text "fleet: a missing ca.crt and ta.key are said once, not once per scout" want err.txt
# Switching between one scout and a fleet leaves no stale outputs behind.
mkdir -p sw/scouts/gone && : >sw/scouts/gone/scout.iso && : >sw/scout.iso
"$GEN" build -q -c network.yaml -k "$K" -s "$S" -r /nonexistent -o sw 2>/dev/null
check "outputs: one scout's build removes a fleet's scouts/" test ! -e sw/scouts -a -s sw/overlay.tar.gz
"$GEN" build -q -c fleet.yaml -k "$K" -s "$S" -r /nonexistent -o sw 2>/dev/null
mkdir -p sw/scouts/gone && : >sw/scouts/gone/scout.iso && : >sw/scouts/alpha/scout.iso
"$GEN" build -q -c fleet.yaml -k "$K" -s "$S" -r /nonexistent -o sw 2>/dev/null
check "outputs: a fleet's build removes the single scout's overlay and a removed scout's outputs" \
	test ! -e sw/overlay.tar.gz -a ! -e sw/scout.iso -a ! -e sw/scouts/gone -a -s sw/scouts/alpha/overlay.tar.gz
check "outputs: and keeps a listed scout's image" test -e sw/scouts/alpha/scout.iso
check "outputs: nothing of the old outputs is left beside them" \
	sh -c "! ls -a sw sw/scouts | grep -q '\\.old\\.'"
# --- revocation ---
fleet scout 10.1.0.2 alpha 10.1.0.10 bravo 10.1.0.11 >fleet.yaml
"$GEN" keys --revoke alpha -k "$K" >out.txt
check "revoke: says what it did" grep -qx "revoked    scout alpha: its certificate is in $K/crl.pem; build again and install the server's export" out.txt
check "revoke: crl.pem is a CRL signed by the CA" \
	sh -c "openssl crl -in '$K/crl.pem' -CAfile '$K/ca.crt' -noout 2>&1 | grep -qx 'verify OK'"
check "revoke: OpenSSL refuses alpha's certificate with it" \
	sh -c "openssl verify -crl_check -CRLfile '$K/crl.pem' -CAfile '$K/ca.crt' '$K/scouts/alpha.crt' 2>&1 | grep -q 'certificate revoked'"
check "revoke: and still accepts bravo's" \
	quiet openssl verify -crl_check -CRLfile "$K/crl.pem" -CAfile "$K/ca.crt" "$K/scouts/bravo.crt"
cp "$K/crl.pem" crl.before
"$GEN" keys --revoke alpha -k "$K" >out.txt
check "revoke: twice is once" sh -c "grep -q 'it already was' out.txt && cmp -s crl.before '$K/crl.pem'"
rc=0 && "$GEN" keys --revoke nobody -k "$K" 2>err.txt || rc=$?
check "revoke: a scout without a certificate is an error, crl.pem unchanged" \
	sh -c "test $rc -eq 1 && grep -qx \"$K/scouts/nobody.crt: error: no certificate of scout 'nobody' to revoke\" err.txt && cmp -s crl.before '$K/crl.pem'"
rc=0 && "$GEN" keys --revoke ../ca -k "$K" 2>err.txt || rc=$?
check "revoke: a name that is no scout's is an error" \
	sh -c "test $rc -eq 1 && grep -q \"^--revoke: error: '../ca' is not a host-name label\" err.txt"
rc=0 && "$GEN" check -q -c fleet.yaml -k "$K" -s "$S" -r /nonexistent 2>err.txt || rc=$?
printf '%s\n' "$K/scouts/alpha.crt: error: revoked (it is in crl.pem): take scout 'alpha' out of scouts:, or delete its certificate and key to make new ones" >want
same_text "revoke: a revoked scout still in scouts: stops the build" want err.txt
fleet scout 10.1.0.2 bravo 10.1.0.11 >fleet.yaml
"$GEN" build -q -c fleet.yaml -k "$K" -s "$S" -r /nonexistent -o rv 2>err.txt
check "revoke: the server's export carries crl.pem" cmp -s "$K/crl.pem" rv/exports/server/etc/openvpn/server/scout/crl.pem
check "revoke: and its config verifies with it" \
	grep -qx 'crl-verify /etc/openvpn/server/scout/crl.pem' rv/exports/server/etc/openvpn/server/scout.conf
echo 'not a crl' >"$K/crl.pem"
rc=0 && "$GEN" check -q -c fleet.yaml -k "$K" -s "$S" -r /nonexistent 2>err.txt || rc=$?
check "revoke: a crl.pem that is not a CRL is an error" \
	sh -c "test $rc -eq 1 && grep -qx '$K/crl.pem: error: not a PEM certificate revocation list' err.txt"
rm "$K/crl.pem"
rm "$K/ca.key"
fleet scout 10.1.0.2 alpha 10.1.0.10 charlie 10.1.0.12 >fleet.yaml
rc=0 && "$GEN" keys -q -c fleet.yaml -k "$K" -s "$S" 2>err.txt || rc=$?
check "fleet: without ca.key a new scout's certificate cannot be made, and says so" \
	sh -c "test $rc -eq 1 && grep -q \"^$K/ca.key: error: cannot read it to sign the certificate of scout 'charlie'\" err.txt"
check "fleet: and nothing of it is left" test ! -e "$K/scouts/charlie.key" -a ! -e "$K/scouts/charlie.crt"

finish
