#!/usr/bin/env bash
# SM2 Ukeys over GM/T 0016 SKF, on eseal's soft token: enrollment end to end, lockout with the
# tries left reported at each wrong PIN, unblock, and signatures judged by openssl and sm-crypto.
# Usage: skf_interop.sh PATH/TO/eseal PATH/TO/libeseal_softskf.so PATH/TO/eseal-softskf-admin
set -uo pipefail
ESEAL=$(realpath "${1:?usage: skf_interop.sh eseal libeseal_softskf.so eseal-softskf-admin}")
SKF=$(realpath "${2:?}")
ADMIN=$(realpath "${3:?}")
HERE=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export ESEAL_HOME="$work/home" ESEAL_SOFTSKF_DIR="$work/devices" ESEAL_SKF_MODULE="$SKF"
mkdir -p "$ESEAL_SOFTSKF_DIR"

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "PASS: $1"; }
bad()  { failed=$((failed + 1)); echo "FAIL: $1"; }
expect() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then ok "$d"; else bad "$d"; sed 's/^/    /' "$work/out"; fi; }
refuse() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then bad "$d (it succeeded)"; sed 's/^/    /' "$work/out"; else ok "$d"; fi; }
contains() { local d=$1 file=$2 text=$3; if grep -qF -- "$text" "$file"; then ok "$d"; else bad "$d: no '$text' in $file"; sed 's/^/    /' "$file" | head -30; fi; }

expect "ca init sm2" "$ESEAL" ca init --algo sm2 --name gm
"$ESEAL" ca export gm --out issuing.pem && "$ESEAL" ca export gm-root --out root.pem
expect "plug in two soft keys" bash -c "'$ADMIN' create '$ESEAL_SOFTSKF_DIR/k1' --serial SKF-A --label 'Key A' && '$ADMIN' create '$ESEAL_SOFTSKF_DIR/k2' --serial SKF-B --label 'Key B'"
expect "token list --driver skf" "$ESEAL" token list --driver skf
contains "both keys are seen blank" "$work/out" "SKF-B  blank"

expect "enroll an SM2 Ukey over SKF" "$ESEAL" token enroll --driver skf --algo sm2 --label "SM2 Ukey" \
  --org 深圳市示例科技有限公司 --credit-code 91350100M000100Y43 --province 广东省 --locality 深圳市 --years 2
pin=$(sed -n 's/^PIN: \([0-9]*\)$/\1/p' "$work/out")
serial=$(sed -n 's/^token \([^ ]*\) enrolled.*/\1/p' "$work/out")
container=$(sed -n 's/.* enrolled: key \([^ ]*\) generated.*/\1/p' "$work/out")
cert_serial=$(sed -n 's/.*certificate \([0-9a-f]*\) written.*/\1/p' "$work/out")
[ ${#pin} -eq 8 ] && ok "PIN shown once ($serial, container $container)" || bad "no PIN: $(cat "$work/out")"
"$ESEAL" ca show "$cert_serial" --pem | sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' >ukey.pem
openssl x509 -in ukey.pem -outform DER -out ukey.der
expect "the Ukey's certificate verifies (openssl, SM2 ID)" openssl verify -vfyopt distid:1234567812345678 -partial_chain -CAfile issuing.pem ukey.pem
expect "token show lists the container and its certificate" bash -c "echo $pin | '$ESEAL' token show $serial --driver skf --pin-stdin"
contains "token show: SM2 key" "$work/out" "SM2 signing key pair"
contains "token show: certificate" "$work/out" "certificate"

# A signature made on the key verifies with openssl and with sm-crypto (ID 1234567812345678).
printf '合同正文 contract text\n' >doc.txt
expect "token sign over SKF" bash -c "echo $pin | '$ESEAL' token sign $serial --driver skf --key-id $container --in doc.txt --out doc.sig --pin-stdin"
openssl x509 -in ukey.pem -noout -pubkey >ukey-pub.pem
expect "openssl verifies the SKF signature (SM3, ID 1234567812345678)" \
  openssl pkeyutl -verify -pubin -inkey ukey-pub.pem -rawin -digest sm3 -pkeyopt distid:1234567812345678 -in doc.txt -sigfile doc.sig
refuse "openssl with the empty ID does not (the ID is really used)" \
  openssl pkeyutl -verify -pubin -inkey ukey-pub.pem -rawin -digest sm3 -in doc.txt -sigfile doc.sig
expect "sm-crypto verifies the SKF signature" node "$HERE/sm2_verify.js" data doc.txt doc.sig ukey.der
echo tampered >>doc.txt
refuse "sm-crypto rejects it for changed data" node "$HERE/sm2_verify.js" data doc.txt doc.sig ukey.der

# Lockout after 6 wrong PINs, with the tries left at each; then the admin PIN unblocks.
for left in 5 4 3 2 1; do
  refuse "wrong PIN ($left left)" bash -c "echo 00000000 | '$ESEAL' token show $serial --driver skf --pin-stdin"
  if [ "$left" = 1 ]; then want="1 try left"; else want="$left tries left"; fi
  contains "the tries left are reported ($want)" "$work/out" "$want"
done
refuse "the sixth wrong PIN locks" bash -c "echo 00000000 | '$ESEAL' token show $serial --driver skf --pin-stdin"
contains "locked: says so and points to unlock" "$work/out" "eseal token unlock"
refuse "the right PIN no longer opens a locked key" bash -c "echo $pin | '$ESEAL' token show $serial --driver skf --pin-stdin"
expect "token list shows it locked" "$ESEAL" token list --driver skf
contains "inventory: locked" "$work/out" "$serial  locked"
expect "unlock with the admin PIN" "$ESEAL" token unlock "$serial" --driver skf
newpin=$(sed -n 's/^PIN: \([0-9]*\)$/\1/p' "$work/out")
expect "the new PIN signs again, with the same key" bash -c "echo $newpin | '$ESEAL' token sign $serial --driver skf --key-id $container --in doc.txt --out doc2.sig --pin-stdin"
expect "and openssl verifies it against the same certificate" \
  openssl pkeyutl -verify -pubin -inkey ukey-pub.pem -rawin -digest sm3 -pkeyopt distid:1234567812345678 -in doc.txt -sigfile doc2.sig
expect "audit log intact" "$ESEAL" audit verify

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
