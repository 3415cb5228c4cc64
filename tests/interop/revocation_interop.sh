#!/usr/bin/env bash
# Outside tools judge revocation and time (DESIGN §8): a real `eseal serve` on a free loopback port
# answers `openssl ocsp` (POST, GET, nonce, several certificates, unknown, unauthorized, revoked right
# after `eseal ca revoke` in another process), `openssl crl -verify` and `openssl verify -crl_check`
# (ECDSA), `openssl ts -query/-reply/-verify` (ECDSA and RSA). For SM2, where openssl cannot set the
# ID 1234567812345678 on an OCSP, CRL or time-stamp signature, it shows that openssl refuses them and
# that eseal's own verification (`eseal ca check-*`) accepts them. Bad input on every endpoint gets
# the protocol's error or a 4xx, and the server stops cleanly on SIGTERM.
# Usage: revocation_interop.sh PATH/TO/eseal
set -uo pipefail
ESEAL=$(realpath "${1:?usage: revocation_interop.sh PATH/TO/eseal}")
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export ESEAL_HOME="$work/home"

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "PASS: $1"; }
bad()  { failed=$((failed + 1)); echo "FAIL: $1"; }
expect() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then ok "$d"; else bad "$d"; sed 's/^/    /' "$work/out" | head -40; fi; }
refuse() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then bad "$d (it succeeded)"; sed 's/^/    /' "$work/out" | head -40; else ok "$d"; fi; }
contains() { local d=$1 file=$2 text=$3; if grep -qF -- "$text" "$file"; then ok "$d"; else bad "$d: no '$text' in $file"; sed 's/^/    /' "$file" | head -40; fi; }
lacks() { local d=$1 file=$2 text=$3; if grep -qF -- "$text" "$file"; then bad "$d: '$text' in $file"; sed 's/^/    /' "$file" | head -40; else ok "$d"; fi; }
same() { local d=$1 a=$2 b=$3; if [ "$a" = "$b" ]; then ok "$d"; else bad "$d: '$a' != '$b'"; fi; }

SM2ID=distid:1234567812345678
SUBJ="/C=CN/ST=广东省/L=深圳市/O=深圳市示例科技有限公司/organizationIdentifier=91350100M000100Y43"
serial_of() { openssl x509 -in "$1" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//'; }
urlencode() { sed -e 's|%|%25|g' -e 's|+|%2B|g' -e 's|/|%2F|g' -e 's|=|%3D|g'; }
http_code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# --- CAs and certificates -------------------------------------------------------------------------
mkdir -p "$ESEAL_HOME"
cat >"$ESEAL_HOME/eseal.toml" <<'TOML'
[tsa]
ca = "intl"   # the TSA behind /tsa (the others are at /tsa/NAME)
TOML
expect "ca init ecdsa-p256" "$ESEAL" ca init --algo ecdsa-p256 --name intl
expect "ca init sm2" "$ESEAL" ca init --algo sm2 --name gm
expect "ca init rsa2048" "$ESEAL" ca init --algo rsa2048 --name rsa
for ca in intl gm rsa; do
  "$ESEAL" ca export "$ca" --out "$ca.pem" && "$ESEAL" ca export "$ca-root" --out "$ca-root.pem"
done
issue() {  # issue NAME CA KEYALG
  case $3 in
    sm2) openssl genpkey -algorithm SM2 -out "$1.key" 2>/dev/null
         openssl req -new -utf8 -key "$1.key" -sigopt $SM2ID -subj "$SUBJ" -out "$1.csr" ;;
    *)   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
         openssl req -new -utf8 -key "$1.key" -subj "$SUBJ" -out "$1.csr" ;;
  esac
  "$ESEAL" ca issue --csr "$1.csr" --ca "$2" --out "$1.pem" 2>/dev/null
}
expect "issue ECDSA certificate ec1" issue ec1 intl ec
expect "issue ECDSA certificate ec2" issue ec2 intl ec
expect "issue SM2 certificate sm1" issue sm1 gm sm2

# --- the server -----------------------------------------------------------------------------------
"$ESEAL" serve --listen 127.0.0.1:0 >serve.out 2>serve.err &
server_pid=$!
for _ in $(seq 1 150); do grep -q '^listening on ' serve.out 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' serve.out)
if [ -n "$port" ]; then ok "eseal serve --listen 127.0.0.1:0 prints its port ($port)"; else bad "no port"; cat serve.err; echo "$passed passed, $((failed)) failed"; exit 1; fi
URL="http://127.0.0.1:$port"
VERIFY_INTL=(-CAfile intl-root.pem -verify_other intl.pem)

# --- OCSP, ECDSA ----------------------------------------------------------------------------------
openssl ocsp -issuer intl.pem -cert ec1.pem -url "$URL/ocsp" "${VERIFY_INTL[@]}" -nonce -resp_text >ocsp1.txt 2>&1
contains "openssl ocsp (POST): response verifies" ocsp1.txt "Response verify OK"
contains "openssl ocsp (POST): good" ocsp1.txt "ec1.pem: good"
contains "openssl ocsp: nonce echoed" ocsp1.txt "OCSP Nonce:"
lacks "openssl ocsp: no nonce warning" ocsp1.txt "WARNING: no nonce in response"
contains "openssl ocsp: delegated responder signs" ocsp1.txt "OCSP Signing"
contains "openssl ocsp: responder has id-pkix-ocsp-nocheck" ocsp1.txt "OCSP No Check"

openssl ocsp -issuer intl.pem -cert ec1.pem -cert ec2.pem -serial 0x123456789 -url "$URL/ocsp" "${VERIFY_INTL[@]}" >ocsp2.txt 2>&1
contains "openssl ocsp: several certificates in one request verify" ocsp2.txt "Response verify OK"
contains "openssl ocsp: several certificates, first good" ocsp2.txt "ec1.pem: good"
contains "openssl ocsp: several certificates, second good" ocsp2.txt "ec2.pem: good"
contains "openssl ocsp: unknown serial of a known issuer is unknown" ocsp2.txt "0x123456789: unknown"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key -subj "/CN=Other CA" -out other.pem 2>/dev/null
openssl ocsp -issuer other.pem -serial 0x1 -url "$URL/ocsp" -noverify >ocsp3.txt 2>&1
contains "openssl ocsp: an issuer we do not serve is unauthorized" ocsp3.txt "unauthorized"

# GET (RFC 6960 Appendix A.1): URL-encoded base64 of the DER request, no nonce: pre-signed, cacheable.
openssl ocsp -issuer intl.pem -cert ec2.pem -no_nonce -reqout get.req >/dev/null 2>&1
b64=$(base64 -w0 get.req | urlencode)
curl -s -D get.headers -o get.resp "$URL/ocsp/$b64"
openssl ocsp -respin get.resp -issuer intl.pem -cert ec2.pem "${VERIFY_INTL[@]}" >get.txt 2>&1
contains "OCSP GET: response verifies" get.txt "Response verify OK"
contains "OCSP GET: good" get.txt "ec2.pem: good"
contains "OCSP GET: Content-Type" get.headers "Content-Type: application/ocsp-response"
contains "OCSP GET: Cache-Control max-age (RFC 5019)" get.headers "Cache-Control: max-age="
contains "OCSP GET: ETag" get.headers "ETag: "
curl -s -o get2.resp "$URL/ocsp/$b64"
if cmp -s get.resp get2.resp; then ok "OCSP GET: the pre-signed answer is served again byte for byte"; else bad "OCSP GET: answer re-signed"; fi

# Revocation in another process, seen by the running server through the revocation journal.
ec1_serial=$(serial_of ec1.pem)
expect "eseal ca revoke ec1 --reason keyCompromise" "$ESEAL" ca revoke "$ec1_serial" --reason keyCompromise
contains "ca revoke publishes a new CRL" "$work/out" "CRL 2 of intl"
revoked=""
for _ in $(seq 1 50); do
  openssl ocsp -issuer intl.pem -cert ec1.pem -url "$URL/ocsp" "${VERIFY_INTL[@]}" >ocsp4.txt 2>&1
  if grep -q "ec1.pem: revoked" ocsp4.txt; then revoked=yes; break; fi
  sleep 0.1
done
if [ -n "$revoked" ]; then ok "openssl ocsp: revoked right after eseal ca revoke"; else bad "openssl ocsp: still not revoked"; sed 's/^/    /' ocsp4.txt; fi
contains "openssl ocsp: revoked response verifies" ocsp4.txt "Response verify OK"
contains "openssl ocsp: revocation reason" ocsp4.txt "Reason: keyCompromise"
contains "openssl ocsp: revocation time" ocsp4.txt "Revocation Time:"
openssl ocsp -issuer intl.pem -cert ec1.pem -url "$URL/ocsp" "${VERIFY_INTL[@]}" -no_nonce >ocsp5.txt 2>&1
contains "openssl ocsp: pre-signed answer re-signed after the revocation" ocsp5.txt "ec1.pem: revoked"
refuse "revoking twice is refused" "$ESEAL" ca revoke "$ec1_serial" --reason superseded
contains "revoking twice: says why" "$work/out" "certificate.already_revoked"
refuse "revoking an unknown serial is refused" "$ESEAL" ca revoke 0badc0ffee --reason superseded
contains "unknown serial: says why" "$work/out" "certificate.unknown"
refuse "certificateHold is not accepted" "$ESEAL" ca revoke "$(serial_of ec2.pem)" --reason certificateHold
refuse "removeFromCRL is not accepted" "$ESEAL" ca revoke "$(serial_of ec2.pem)" --reason removeFromCRL
"$ESEAL" ca show "$(serial_of ec2.pem)" >show.txt 2>&1
contains "refused revocations changed nothing" show.txt "status        valid"

# --- CRL, ECDSA -----------------------------------------------------------------------------------
ec1_hex=$(openssl x509 -in ec1.pem -noout -serial | cut -d= -f2)
for _ in $(seq 1 50); do  # the server republishes after it learns of the revocation
  curl -s -D crl.headers -o intl.crl "$URL/crl/intl.crl"
  openssl crl -inform DER -in intl.crl -noout -text 2>/dev/null | grep -q "$ec1_hex" && break
  sleep 0.1
done
contains "GET /crl/intl.crl: application/pkix-crl" crl.headers "Content-Type: application/pkix-crl"
contains "GET /crl/intl.crl: Cache-Control max-age" crl.headers "Cache-Control: max-age="
contains "GET /crl/intl.crl: ETag" crl.headers "ETag: "
contains "GET /crl/intl.crl: Last-Modified" crl.headers "Last-Modified: "
openssl crl -inform DER -in intl.crl -CAfile intl.pem -noout -text >crl.txt 2>&1
contains "openssl crl -verify accepts the served CRL" crl.txt "verify OK"
contains "openssl crl: lists the revoked serial" crl.txt "$(openssl x509 -in ec1.pem -noout -serial | cut -d= -f2)"
contains "openssl crl: reason code" crl.txt "Key Compromise"
contains "openssl crl: CRL number" crl.txt "X509v3 CRL Number"
contains "openssl crl: authority key identifier" crl.txt "X509v3 Authority Key Identifier"
expect "eseal ca crl writes the current CRL" "$ESEAL" ca crl intl --pem --out intl.crl.pem
expect "openssl crl -verify accepts eseal ca crl" openssl crl -in intl.crl.pem -CAfile intl.pem -noout
expect "root CRL (covers the issuing CA) verifies" sh -c "curl -s '$URL/crl/intl-root.crl' | openssl crl -inform DER -CAfile intl-root.pem -noout"
cat intl-root.pem intl.pem >intl-chain.pem
refuse "openssl verify -crl_check: the revoked certificate fails" openssl verify -crl_check -CAfile intl-chain.pem -CRLfile intl.crl.pem ec1.pem
contains "openssl verify -crl_check: says revoked" "$work/out" "certificate revoked"
expect "openssl verify -crl_check: the other certificate passes" openssl verify -crl_check -CAfile intl-chain.pem -CRLfile intl.crl.pem ec2.pem

# --- SM2: OCSP and CRL that openssl cannot verify (no way to set the SM2 ID), eseal can ------------
openssl ocsp -issuer gm.pem -cert sm1.pem -url "$URL/ocsp" -CAfile gm-root.pem -verify_other gm.pem -nonce -respout sm2-ocsp.der >sm2-ocsp.txt 2>&1
contains "SM2 OCSP: openssl reads the status" sm2-ocsp.txt "sm1.pem: good"
contains "SM2 OCSP: openssl cannot verify the SM2 signature (documented)" sm2-ocsp.txt "Response Verify Failure"
expect "SM2 OCSP: eseal ca check-ocsp verifies (SM2 with the ID)" "$ESEAL" ca check-ocsp sm2-ocsp.der --issuer gm.pem
contains "SM2 OCSP: good" "$work/out" "$(serial_of sm1.pem): good"
contains "SM2 OCSP: nonce echoed" "$work/out" "nonce present"
expect "SM2 revoke" "$ESEAL" ca revoke "$(serial_of sm1.pem)" --reason superseded
for _ in $(seq 1 50); do
  openssl ocsp -issuer gm.pem -cert sm1.pem -url "$URL/ocsp" -noverify -no_nonce -respout sm2-ocsp2.der >/dev/null 2>&1
  "$ESEAL" ca check-ocsp sm2-ocsp2.der --issuer gm.pem >sm2-ocsp2.txt 2>&1
  grep -q ": revoked" sm2-ocsp2.txt && break
  sleep 0.1
done
contains "SM2 OCSP: revoked (superseded), verified by eseal" sm2-ocsp2.txt "(superseded)"
# The server republishes the CRL after it learns of the revocation (bounded wait, as for OCSP).
for _ in $(seq 1 50); do
  curl -s -o gm.crl "$URL/crl/gm.crl"
  "$ESEAL" ca check-crl gm.crl --issuer gm.pem 2>&1 | grep -q "$(serial_of sm1.pem)" && break
  sleep 0.1
done
openssl crl -inform DER -in gm.crl -CAfile gm.pem -noout >gm-crl.txt 2>&1  # exits 0 either way
contains "SM2 CRL: openssl crl -verify cannot check the SM2 signature (documented)" gm-crl.txt "verify failure"
expect "SM2 CRL: eseal ca check-crl verifies it" "$ESEAL" ca check-crl gm.crl --issuer gm.pem
contains "SM2 CRL: lists the revoked serial" "$work/out" "$(serial_of sm1.pem)"

# --- time-stamps ----------------------------------------------------------------------------------
echo "a document to time-stamp" >doc.txt
curl -s "$URL/crl/rsa.crl" >/dev/null  # the RSA hierarchy is served too
for ca in intl rsa; do
  openssl ts -query -data doc.txt -sha256 -cert -out "$ca.tsq" 2>/dev/null
  curl -s -H 'Content-Type: application/timestamp-query' --data-binary @"$ca.tsq" -o "$ca.tsr" "$URL/tsa/$ca"
  openssl ts -reply -in "$ca.tsr" -text >"$ca.tsr.txt" 2>&1
  contains "openssl ts -reply ($ca): granted" "$ca.tsr.txt" "Status: Granted."
  contains "openssl ts -reply ($ca): TSA policy" "$ca.tsr.txt" "Policy OID: 2.25.60325442585266553787173988324821111041"
  nonce_q=$(openssl ts -query -in "$ca.tsq" -text 2>/dev/null | sed -n 's/^Nonce: //p')
  nonce_r=$(sed -n 's/^Nonce: //p' "$ca.tsr.txt")
  same "openssl ts ($ca): nonce echoed" "$nonce_q" "$nonce_r"
  expect "openssl ts -verify -queryfile ($ca)" openssl ts -verify -queryfile "$ca.tsq" -in "$ca.tsr" -CAfile "$ca-root.pem" -untrusted "$ca.pem"
  expect "openssl ts -verify -data ($ca)" openssl ts -verify -data doc.txt -in "$ca.tsr" -CAfile "$ca-root.pem" -untrusted "$ca.pem"
done
echo "another document" >other.txt
refuse "openssl ts -verify: another document does not match" openssl ts -verify -data other.txt -in intl.tsr -CAfile intl-root.pem -untrusted intl.pem
curl -s -H 'Content-Type: application/timestamp-query' --data-binary @intl.tsq -o default.tsr "$URL/tsa"
expect "POST /tsa ([tsa] ca = intl) verifies" openssl ts -verify -queryfile intl.tsq -in default.tsr -CAfile intl-root.pem -untrusted intl.pem
openssl ts -query -data doc.txt -sm3 -cert -out gm.tsq 2>/dev/null
curl -s -H 'Content-Type: application/timestamp-query' --data-binary @gm.tsq -o gm.tsr "$URL/tsa/gm"
openssl ts -reply -in gm.tsr -text >gm.tsr.txt 2>&1
contains "SM2 TSA: granted with an SM3 imprint" gm.tsr.txt "Hash Algorithm: sm3"
refuse "SM2 TSA: openssl ts -verify cannot check the SM2 signature (documented)" openssl ts -verify -queryfile gm.tsq -in gm.tsr -CAfile gm-root.pem -untrusted gm.pem
openssl ts -reply -in gm.tsr -token_out -out gm.token 2>/dev/null
"$ESEAL" ca export gm >/dev/null
tsa_cert() { openssl pkcs7 -inform DER -in "$1" -print_certs 2>/dev/null; }
tsa_cert gm.token >gm-tsa.pem
expect "SM2 TSA: eseal ca check-timestamp verifies it" "$ESEAL" ca check-timestamp gm.tsr --issuer gm-tsa.pem
contains "SM2 TSA: imprint is SM3 of the document" "$work/out" "SM3 $(openssl dgst -sm3 -r doc.txt | cut -d' ' -f1)"

# --- bad input on every endpoint: the protocol's error answer or a 4xx, and the server lives on -------
printf 'garbage' >garbage.bin
curl -s -H 'Content-Type: application/ocsp-request' --data-binary @garbage.bin -o bad-ocsp.der "$URL/ocsp"
openssl ocsp -respin bad-ocsp.der -noverify -resp_text >bad-ocsp.txt 2>&1
contains "OCSP POST garbage: malformedRequest" bad-ocsp.txt "malformedrequest"
head -c 20 get.req >truncated.req
curl -s -H 'Content-Type: application/ocsp-request' --data-binary @truncated.req -o bad-ocsp2.der "$URL/ocsp"
openssl ocsp -respin bad-ocsp2.der -noverify >bad-ocsp2.txt 2>&1
contains "OCSP POST truncated: malformedRequest" bad-ocsp2.txt "malformedrequest"
curl -s -o bad-ocsp3.der "$URL/ocsp/not-base64-at-all!!"
openssl ocsp -respin bad-ocsp3.der -noverify >bad-ocsp3.txt 2>&1
contains "OCSP GET garbage: malformedRequest" bad-ocsp3.txt "malformedrequest"
same "OCSP POST with a wrong Content-Type: 415" "$(http_code -H 'Content-Type: text/plain' --data-binary @get.req "$URL/ocsp")" 415
head -c 100000 /dev/zero >big.bin
same "OCSP POST of 100 kB: 413" "$(http_code -H 'Content-Type: application/ocsp-request' --data-binary @big.bin "$URL/ocsp")" 413
same "TSA POST of 100 kB: 413" "$(http_code -H 'Content-Type: application/timestamp-query' --data-binary @big.bin "$URL/tsa")" 413
same "a 20 kB header: 431" "$(http_code -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)" "$URL/crl/intl.crl")" 431
curl -s -H 'Content-Type: application/timestamp-query' --data-binary @garbage.bin -o bad.tsr "$URL/tsa"
openssl ts -reply -in bad.tsr -text >bad.tsr.txt 2>&1
contains "TSA garbage: rejection" bad.tsr.txt "Status: Rejected."
contains "TSA garbage: badDataFormat" bad.tsr.txt "the data submitted has the wrong format"
openssl ts -query -data doc.txt -sha1 -out sha1.tsq 2>/dev/null
curl -s -H 'Content-Type: application/timestamp-query' --data-binary @sha1.tsq -o sha1.tsr "$URL/tsa"
openssl ts -reply -in sha1.tsr -text >sha1.tsr.txt 2>&1
contains "TSA SHA-1 imprint: badAlg" sha1.tsr.txt "unrecognized or unsupported algorithm"
same "unknown CRL: 404" "$(http_code "$URL/crl/nobody.crl")" 404
# Paths outside the server's prefixes belong to the web app (index.html); unknown API paths are 404.
same "unknown API path: 404" "$(http_code "$URL/api/v1/admin")" 404
printf 'NOT HTTP AT ALL\r\n\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; cat >&3; cat <&3" >raw.txt 2>&1
contains "raw garbage on the socket: 400" raw.txt "400 Bad Request"
same "the server still answers" "$(http_code "$URL/crl/intl.crl")" 200
contains "access log: method, path, status, bytes, duration" serve.err "GET /crl/intl.crl 200"

# --- graceful stop -------------------------------------------------------------------------------
kill -TERM "$server_pid"
if wait "$server_pid"; then ok "SIGTERM: the server stops cleanly (exit 0)"; else bad "SIGTERM: exit $?"; fi
server_pid=""
contains "SIGTERM: says so" serve.err "stopped"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
