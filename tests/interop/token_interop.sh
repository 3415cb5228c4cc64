#!/usr/bin/env bash
# Ukeys on SoftHSM2, judged by an outside PKCS#11 client (OpenSC's pkcs11-tool) and by openssl.
# Usage: token_interop.sh PATH/TO/eseal
set -uo pipefail
ESEAL=$(realpath "${1:?usage: token_interop.sh PATH/TO/eseal}")
MODULE=/usr/lib/softhsm/libsofthsm2.so
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export ESEAL_HOME="$work/home" SOFTHSM2_CONF="$work/softhsm2.conf"
mkdir -p tokens
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$work" >"$SOFTHSM2_CONF"

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "PASS: $1"; }
bad()  { failed=$((failed + 1)); echo "FAIL: $1"; }
expect() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then ok "$d"; else bad "$d"; sed 's/^/    /' "$work/out"; fi; }
refuse() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then bad "$d (it succeeded)"; sed 's/^/    /' "$work/out"; else ok "$d"; fi; }
contains() { local d=$1 file=$2 text=$3; if grep -qF -- "$text" "$file"; then ok "$d"; else bad "$d: no '$text' in $file"; sed 's/^/    /' "$file" | head -30; fi; }
p11() { pkcs11-tool --module "$MODULE" "$@"; }

expect "ca init" "$ESEAL" ca init --algo ecdsa-p256 --name intl
"$ESEAL" ca export intl --out issuing.pem && "$ESEAL" ca export intl-root --out root.pem

# --- enrollment -----------------------------------------------------------------------------------
expect "token init puts a blank token into stock" "$ESEAL" token init --label "Ukey A"
serial=$(sed -n 's/^token \([0-9a-f]*\) initialized.*/\1/p' "$work/out")
[ -n "$serial" ] && ok "token serial reported ($serial)" || bad "no token serial in: $(cat "$work/out")"
expect "token enroll makes the Ukey" "$ESEAL" token enroll --serial "$serial" --label "Ukey A" --org 示例科技有限公司 \
  --credit-code 91350100M000100Y43 --province 广东省 --locality 深圳市 --years 2
pin=$(sed -n 's/^PIN: \([0-9]*\)$/\1/p' "$work/out")
cert_serial=$(sed -n 's/.*certificate \([0-9a-f]*\) written.*/\1/p' "$work/out")
[ ${#pin} -eq 8 ] && ok "an 8-digit PIN is shown once" || bad "no PIN in: $(cat "$work/out")"
expect "eseal token list shows it active" "$ESEAL" token list
contains "token list: active" "$work/out" "$serial"
contains "token list: state" "$work/out" "active"

# --- the outside client sees what we promised -------------------------------------------------------
p11 --token-label "Ukey A" --login --pin "$pin" --list-objects >objects.txt 2>&1
contains "pkcs11-tool: private key is sensitive" objects.txt "sensitive"
contains "pkcs11-tool: private key never extractable" objects.txt "never extractable"
contains "pkcs11-tool: private key generated on the token" objects.txt "local"
key_id=$(awk '/Private Key Object/{p=1} p && /ID:/{print $2; exit}' objects.txt)
cert_id=$(awk '/Certificate Object/{p=1} p && /ID:/{print $2; exit}' objects.txt)
[ -n "$key_id" ] && [ "$key_id" = "$cert_id" ] && ok "certificate and key share CKA_ID $key_id" || bad "IDs differ: key '$key_id' cert '$cert_id'"
p11 --token-label "Ukey A" --read-object --type cert --id "$cert_id" -o token-cert.der >/dev/null 2>&1
openssl x509 -inform DER -in token-cert.der -out token-cert.pem 2>/dev/null
expect "the certificate on the token verifies against the CA" openssl verify -CAfile root.pem -untrusted issuing.pem token-cert.pem
# (Reading CKA_VALUE of the private key is refused by the token: checked in token.SoftHsm tests;
# pkcs11-tool itself declines to try.)
p11 --token-label "Ukey A" --login --pin "$pin" --read-object --type privkey --id "$key_id" -o priv.der >/dev/null 2>&1
[ ! -s priv.der ] && ok "no private key bytes come out through pkcs11-tool" || bad "private key bytes were written"
p11 --token-label "Ukey A" --read-object --type pubkey --id "$key_id" -o pub.der >/dev/null 2>&1
openssl pkey -pubin -inform DER -in pub.der -outform PEM -out token-pub.pem 2>/dev/null
openssl x509 -in token-cert.pem -noout -pubkey >cert-pub.pem
cmp -s token-pub.pem cert-pub.pem && ok "the certificate's public key is the token's" || bad "public keys differ"

# A signature made on the token (by pkcs11-tool, an outside client) verifies with openssl.
echo "contract text" >doc.txt
openssl dgst -sha256 -binary doc.txt >doc.sha256
p11 --token-label "Ukey A" --login --pin "$pin" --sign --mechanism ECDSA --id "$key_id" \
  --signature-format openssl -i doc.sha256 -o doc.sig >/dev/null 2>&1
expect "openssl verifies the token's signature with the certificate's key" \
  openssl dgst -sha256 -verify cert-pub.pem -signature doc.sig doc.txt

# --- PINs, unlock and bad input ---------------------------------------------------------------------
refuse "a wrong PIN is refused" bash -c "echo 11111111 | '$ESEAL' token show '$serial' --pin-stdin"
contains "a wrong PIN says so" "$work/out" "wrong PIN"
expect "change-pin" bash -c "printf '%s\n%s\n' '$pin' 24681357 | '$ESEAL' token change-pin '$serial' --pin-stdin"
expect "the new PIN works for pkcs11-tool" p11 --token-label "Ukey A" --login --pin 24681357 --list-objects
refuse "a new PIN that is not 6-8 digits is refused" \
  bash -c "printf '24681357\nabc\n' | '$ESEAL' token change-pin '$serial' --pin-stdin"
contains "bad new PIN: says why" "$work/out" "6 to 8 digits"
expect "unlock sets a new PIN with the SO PIN" "$ESEAL" token unlock "$serial"
newpin=$(sed -n 's/^PIN: \([0-9]*\)$/\1/p' "$work/out")
expect "the unlocked PIN works" p11 --token-label "Ukey A" --login --pin "$newpin" --list-objects
refuse "the old PIN no longer works" p11 --token-label "Ukey A" --login --pin 24681357 --list-objects
refuse "wipe refuses while the certificate is valid" "$ESEAL" token wipe "$serial"
contains "wipe: says why" "$work/out" "revoke it first"
refuse "a missing module is a clear error" "$ESEAL" token list --module /nonexistent/pkcs11.so
contains "missing module: says so" "$work/out" "no PKCS#11 module"
refuse "an absent token is a clear error" "$ESEAL" token unlock no-such-serial
contains "unknown token: says so" "$work/out" "not in the CA's inventory"

# --- revoke, then wipe -------------------------------------------------------------------------------
if "$ESEAL" ca --help 2>/dev/null | grep -q "^  revoke"; then
  expect "revoke the Ukey's certificate" "$ESEAL" ca revoke "$cert_serial" --reason cessationOfOperation
  expect "then wipe it back to stock" "$ESEAL" token wipe "$serial"
  p11 --token-label "Ukey A" --list-objects >after.txt 2>&1
  if grep -q "Object" after.txt; then bad "objects left after wipe"; else ok "nothing left on the wiped token"; fi
fi
expect "audit log intact" "$ESEAL" audit verify

# --- CA keys on an HSM token --------------------------------------------------------------------------
export ESEAL_HOME="$work/hsm-home" ESEAL_HSM_PIN=24681357
softhsm2-util --init-token --free --label "CA HSM" --so-pin 87654321 --pin "$ESEAL_HSM_PIN" >/dev/null
hsm=$(p11 --list-token-slots 2>/dev/null | awk '/token label *: CA HSM/{f=1} f && /serial num/{print $4; exit}')
expect "ca init with the keys generated on the HSM token" "$ESEAL" ca init --algo ecdsa-p256 --name hsmca --hsm-token "$hsm"
if ls "$ESEAL_HOME/keys" 2>/dev/null | grep -q .; then bad "key files were written for an HSM CA"; else ok "no CA key file on disk"; fi
p11 --token-label "CA HSM" --login --pin "$ESEAL_HSM_PIN" --list-objects >hsm.txt 2>&1
[ "$(grep -c 'Private Key Object' hsm.txt)" = 2 ] && ok "the two CA private keys are on the token" || bad "CA keys on the token: $(cat hsm.txt)"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key 2>/dev/null
openssl req -new -key leaf.key -subj "/C=CN/ST=GD/L=SZ/O=Org/organizationIdentifier=91350100M000100Y43" -out leaf.csr
expect "the HSM CA issues" "$ESEAL" ca issue --csr leaf.csr --out leaf.pem
"$ESEAL" ca export hsmca --out hsm-issuing.pem && "$ESEAL" ca export hsmca-root --out hsm-root.pem
expect "openssl verifies the certificate signed on the HSM" openssl verify -CAfile hsm-root.pem -untrusted hsm-issuing.pem leaf.pem
refuse "a wrong HSM PIN is refused" env ESEAL_HSM_PIN=11111111 "$ESEAL" ca issue --csr leaf.csr --out leaf2.pem
contains "wrong HSM PIN: says so" "$work/out" "wrong PIN"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
