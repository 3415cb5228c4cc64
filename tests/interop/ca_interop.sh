#!/usr/bin/env bash
# Outside tools judge the CA's output (DESIGN §8): openssl verify and x509, sm-crypto (node) and
# python3-cryptography. Also the CLI's answers to bad input, and tamper detection in the audit log.
# Usage: ca_interop.sh PATH/TO/eseal
set -uo pipefail
ESEAL=$(realpath "${1:?usage: ca_interop.sh PATH/TO/eseal}")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's python, which has python3-cryptography
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export ESEAL_HOME="$work/home"

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "PASS: $1"; }
bad()  { failed=$((failed + 1)); echo "FAIL: $1"; }
# expect "description" command...: passes when the command succeeds
expect() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then ok "$d"; else bad "$d"; sed 's/^/    /' "$work/out"; fi; }
# refuse "description" command...: passes when the command fails
refuse() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then bad "$d (it succeeded)"; sed 's/^/    /' "$work/out"; else ok "$d"; fi; }
contains() { local d=$1 file=$2 text=$3; if grep -qF -- "$text" "$file"; then ok "$d"; else bad "$d: no '$text' in $file"; sed 's/^/    /' "$file" | head -40; fi; }

SM2ID=distid:1234567812345678
CODE=91350100M000100Y43
SUBJ="/C=CN/ST=广东省/L=深圳市/O=深圳市示例科技有限公司/organizationIdentifier=$CODE"

# --- the CAs -------------------------------------------------------------------------------------
expect "ca init sm2" "$ESEAL" ca init --algo sm2 --name gm
expect "ca init ecdsa-p256" "$ESEAL" ca init --algo ecdsa-p256 --name intl
expect "ca init rsa2048" "$ESEAL" ca init --algo rsa2048 --name rsa
for ca in gm intl rsa; do
  "$ESEAL" ca export "$ca" --out "$ca-issuing.pem" && "$ESEAL" ca export "$ca-root" --out "$ca-root.pem"
done

# --- SM2 organization certificate ------------------------------------------------------------------
openssl genpkey -algorithm SM2 -out sm2.key 2>/dev/null
openssl req -new -utf8 -key sm2.key -sigopt $SM2ID -subj "$SUBJ" -out sm2.csr
expect "issue SM2 organization certificate" "$ESEAL" ca issue --csr sm2.csr --ca gm --years 2 --out sm2.pem

# openssl verify cannot set the SM2 ID on intermediates (openssl#23471), so each link is checked
# on its own: issuing CA against the root, leaf against the issuing CA as a partial chain.
expect "openssl verify: SM2 issuing CA against root" openssl verify -vfyopt $SM2ID -CAfile gm-root.pem gm-issuing.pem
expect "openssl verify: SM2 leaf against issuing CA" openssl verify -vfyopt $SM2ID -partial_chain -CAfile gm-issuing.pem sm2.pem
refuse "openssl verify without the SM2 ID fails (the ID is really in the signature)" \
  openssl verify -partial_chain -CAfile gm-issuing.pem sm2.pem
expect "eseal ca verify: SM2 full chain" "$ESEAL" ca verify sm2.pem

openssl x509 -in sm2.pem -noout -text -nameopt utf8 >sm2.txt
contains "x509 -text: SM2-with-SM3 signature" sm2.txt "Signature Algorithm: SM2-with-SM3"
contains "x509 -text: SM2 key" sm2.txt "ASN1 OID: SM2"
contains "x509 -text: key usage" sm2.txt "Digital Signature, Non Repudiation"
contains "x509 -text: end entity" sm2.txt "CA:FALSE"
contains "x509 -text: organizationIdentifier" sm2.txt "organizationIdentifier=$CODE"
contains "x509 -text: organization name" sm2.txt "O=深圳市示例科技有限公司"
contains "x509 -text: CRL distribution point" sm2.txt "URI:http://localhost:8080/crl/gm.crl"
contains "x509 -text: OCSP URL" sm2.txt "OCSP - URI:http://localhost:8080/ocsp"
contains "x509 -text: authority key id" sm2.txt "Authority Key Identifier"

# sm-crypto, an independent SM2 implementation, checks the signatures over the TBS bytes.
openssl x509 -in sm2.pem -outform DER -out sm2.der
openssl x509 -in gm-issuing.pem -outform DER -out gm-issuing.der
openssl x509 -in gm-root.pem -outform DER -out gm-root.der
expect "sm-crypto: SM2 leaf signature (ID 1234567812345678)" node "$HERE/sm2_verify.js" cert sm2.der gm-issuing.der
expect "sm-crypto: SM2 issuing CA signature" node "$HERE/sm2_verify.js" cert gm-issuing.der gm-root.der
expect "sm-crypto: SM2 root self-signature" node "$HERE/sm2_verify.js" cert gm-root.der gm-root.der
refuse "sm-crypto: wrong ID does not verify" node "$HERE/sm2_verify.js" cert sm2.der gm-issuing.der 1234567812345679
refuse "sm-crypto: wrong issuer does not verify" node "$HERE/sm2_verify.js" cert sm2.der gm-root.der

# --- SM2 organization-individual certificate ---------------------------------------------------------
openssl genpkey -algorithm SM2 -out person.key 2>/dev/null
openssl req -new -utf8 -key person.key -sigopt $SM2ID -subj "/C=CN/CN=ignored" -out person.csr
expect "issue org-individual with RA fields" "$ESEAL" ca issue --csr person.csr --ca gm --profile org-individual \
  --org "深圳市示例科技有限公司" --credit-code $CODE --province 广东省 --locality 深圳市 --name 张三 \
  --id-number 11010519491231002X --out person.pem
expect "openssl verify: org-individual" openssl verify -vfyopt $SM2ID -partial_chain -CAfile gm-issuing.pem person.pem
openssl x509 -in person.pem -noout -text -nameopt utf8 >person.txt
contains "x509 -text: holder as CN" person.txt "CN=张三"
contains "x509 -text: GM/T 0015 IdentifyCode extension" person.txt "1.2.156.10260.4.1.1"

# --- ECDSA P-256 and RSA ------------------------------------------------------------------------------
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl req -new -utf8 -key ec.key -subj "$SUBJ" -out ec.csr
expect "issue ECDSA organization certificate" "$ESEAL" ca issue --csr ec.csr --ca intl --out ec.pem
expect "openssl verify: ECDSA full chain" openssl verify -CAfile intl-root.pem -untrusted intl-issuing.pem ec.pem
openssl x509 -in ec.pem -noout -text >ec.txt
contains "x509 -text: ecdsa-with-SHA256" ec.txt "Signature Algorithm: ecdsa-with-SHA256"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
openssl req -new -utf8 -key rsa.key -subj "$SUBJ" -out rsa.csr
expect "issue RSA organization certificate" "$ESEAL" ca issue --csr rsa.csr --ca rsa --out rsa.pem
expect "openssl verify: RSA full chain" openssl verify -CAfile rsa-root.pem -untrusted rsa-issuing.pem rsa.pem

expect "python3-cryptography parses every issued certificate" "$PY" "$HERE/parse_certs.py" sm2.pem person.pem ec.pem rsa.pem

# --- bad input: a clear error, every problem, nothing stored ------------------------------------------
count() { "$ESEAL" ca list | wc -l; }
before=$(count)
echo "this is not a CSR" >junk.csr
refuse "malformed CSR is refused" "$ESEAL" ca issue --csr junk.csr --ca gm --out x.pem
contains "malformed CSR: says what is wrong" "$work/out" "csr.malformed"
head -c 200 sm2.csr >truncated.csr
refuse "truncated CSR is refused" "$ESEAL" ca issue --csr truncated.csr --ca gm --out x.pem

openssl genpkey -algorithm SM2 -out bad.key 2>/dev/null
openssl req -new -utf8 -key bad.key -subj "/C=US/O=X/organizationIdentifier=91350100M000100Y44" -out bad.csr  # no SM2 ID
refuse "CSR with several faults is refused" "$ESEAL" ca issue --csr bad.csr --ca gm --years 7 --out x.pem
for code in csr.bad_signature subject.country.not_cn subject.province.missing subject.locality.missing \
            subject.credit_code.checksum validity.years; do
  contains "every problem reported at once: $code" "$work/out" "$code"
done
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out small.key 2>/dev/null
openssl req -new -key small.key -subj "$SUBJ" -out small.csr
refuse "RSA-1024 is refused" "$ESEAL" ca issue --csr small.csr --ca rsa --out x.pem
contains "RSA-1024: says why" "$work/out" "key.rsa_too_small"
refuse "ECDSA key at the SM2 CA is refused" "$ESEAL" ca issue --csr ec.csr --ca gm --out x.pem
contains "suite mismatch: says why" "$work/out" "key.suite_mismatch"
refuse "a key already certified is refused" "$ESEAL" ca issue --csr sm2.csr --ca gm --out x.pem
contains "already certified: says why" "$work/out" "key.already_certified"
refuse "org-individual with a bad ID number is refused" "$ESEAL" ca issue --csr person.csr --ca gm \
  --profile org-individual --name 李四 --id-number 110105194912310021 --org X --credit-code $CODE \
  --province P --locality L --out x.pem
contains "bad ID number: says why" "$work/out" "subject.resident_id.checksum"
after=$(count)
if [ "$before" = "$after" ]; then ok "rejected requests stored nothing ($after certificates)"; else bad "rejected requests changed the store: $before -> $after"; fi

# --- the audit chain --------------------------------------------------------------------------------
expect "audit verify on an untouched log" "$ESEAL" audit verify
contains "audit verify counts events" "$work/out" "audit log intact"
sqlite3 "$ESEAL_HOME/eseal.db" "UPDATE audit_events SET actor = 'mallory' WHERE id = 3;"
refuse "audit verify detects an edited event" "$ESEAL" audit verify
contains "audit verify names the edited event" "$work/out" "event 3"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
