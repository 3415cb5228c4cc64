#!/usr/bin/env bash
# Outside tools judge eseal's electronic seals (DESIGN §8): python3-asn1crypto decodes the .esl and
# the SES_Signature from the standards' ASN.1 (seal_asn1.py, not eseal's code); sm-crypto checks
# the maker's SM2 signature over DER(SES_SealInfo) and the signer's over DER(TBS_Sign); seals made
# the way other systems make them (V1 and V4, signed by the openssl CLI) must verify in eseal.
# Also the CLI's answers to bad input.
# Usage: seal_interop.sh PATH/TO/eseal
set -uo pipefail
ESEAL=$(realpath "${1:?usage: seal_interop.sh PATH/TO/eseal}")
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's python, which has python3-asn1crypto
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export ESEAL_HOME="$work/home"

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "PASS: $1"; }
bad()  { failed=$((failed + 1)); echo "FAIL: $1"; }
expect() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then ok "$d"; else bad "$d"; sed 's/^/    /' "$work/out"; fi; }
refuse() { local d=$1; shift; if "$@" >"$work/out" 2>&1; then bad "$d (it succeeded)"; sed 's/^/    /' "$work/out"; else ok "$d"; fi; }
contains() { local d=$1 file=$2 text=$3; if grep -qF -- "$text" "$file"; then ok "$d"; else bad "$d: no '$text' in $file"; sed 's/^/    /' "$file" | head -40; fi; }

SM2ID=distid:1234567812345678
ORG=深圳市示例科技有限公司
# The platform operator (the seal maker) and a customer organization, with valid credit codes.
MAKER_SUBJ="/C=CN/ST=广东省/L=深圳市/O=深圳市电子印章平台运营有限公司/organizationIdentifier=91440300MA5G9GJX93"
SUBJ="/C=CN/ST=广东省/L=深圳市/O=$ORG/organizationIdentifier=91350100M000100Y43"

# --- a CA, the seal maker's certificate, a signer's certificate -----------------------------------
expect "ca init sm2" "$ESEAL" ca init --algo sm2 --name gm
"$ESEAL" ca export gm --out gm-issuing.pem && "$ESEAL" ca export gm-root --out gm-root.pem
openssl genpkey -algorithm SM2 -out maker.key 2>/dev/null
openssl req -new -utf8 -key maker.key -sigopt $SM2ID -subj "$MAKER_SUBJ" -out maker.csr
expect "issue the seal maker's org certificate" "$ESEAL" ca issue --csr maker.csr --ca gm --years 5 --out maker.pem
openssl genpkey -algorithm SM2 -out signer.key 2>/dev/null
openssl req -new -utf8 -key signer.key -sigopt $SM2ID -subj "$SUBJ" -out signer.csr
expect "issue the signer's org certificate" "$ESEAL" ca issue --csr signer.csr --ca gm --years 2 --out signer.pem
openssl x509 -in maker.pem -outform DER -out maker.der
openssl x509 -in signer.pem -outform DER -out signer.der

# --- make and show seals --------------------------------------------------------------------------
MAKE=("$ESEAL" seal make --maker-key maker.key --maker-cert maker.pem --cert signer.pem)
expect "seal make official" "${MAKE[@]}" --type official --name "$ORG" --code 4403050012345 \
  --out official.esl --png official.png --svg official.svg
expect "seal make contract" "${MAKE[@]}" --type contract --name "$ORG" --out contract.esl
expect "seal make finance" "${MAKE[@]}" --type finance --name "$ORG" --out finance.esl
expect "seal make invoice" "${MAKE[@]}" --type invoice --name "$ORG" --taxpayer 91350100M000100Y43 --out invoice.esl
expect "seal make legal-rep" "${MAKE[@]}" --type legal-rep --name 张三 --out legal-rep.esl --png legal-rep.png
expect "seal image (svg only)" "$ESEAL" seal image --type contract --name "$ORG" --out contract.svg
contains "the SVG is sized in mm" contract.svg 'width="42mm"'
file official.png >official.type
contains "the PNG is 496 x 496 (42 mm at 300 dpi)" official.type "496 x 496"

expect "seal show" "$ESEAL" seal show official.esl
cp "$work/out" show.txt
sed 's/^/    | /' show.txt
for text in "GB/T 38540-2020 (V4)" "ID ES, version 4, vendor eseal" "esID          eseal-" "1 (公章, official)" \
            "name          $ORG" "1 certificate(s) (certListType 1)" "PNG, 42 x 42 mm" "496 x 496 px" \
            "SM2-with-SM3, 1.2.156.10197.1.501" "O=深圳市电子印章平台运营有限公司"; do
  contains "seal show: $text" show.txt "$text"
done

# --- eseal verifies its own seals ----------------------------------------------------------------
for s in official contract finance invoice legal-rep; do
  expect "seal verify $s (trusting the exported CAs)" "$ESEAL" seal verify $s.esl --trust gm-root.pem --trust gm-issuing.pem
done
expect "seal verify with the platform's own CAs" "$ESEAL" seal verify official.esl
refuse "an expired seal does not verify" "$ESEAL" seal verify official.esl --at 2040-01-01
contains "expired: says why" "$work/out" "seal.expired"

# --- python3-asn1crypto reads the seal from the standard's ASN.1; sm-crypto checks the maker -------
mkdir -p official invoice
expect "asn1crypto: official seal decodes and matches" "$PY" "$HERE/seal_asn1.py" seal official.esl official \
  --name "$ORG" --type 1 --signer signer.der --maker maker.der --size 42x42
expect "asn1crypto: invoice seal is 40 x 30 mm, type 3" "$PY" "$HERE/seal_asn1.py" seal invoice.esl invoice \
  --type 3 --size 40x30
expect "sm-crypto: maker's SM2 signature over DER(SES_SealInfo)" \
  node "$HERE/sm2_verify.js" data official/sealinfo.der official/seal.sig maker.der
refuse "sm-crypto: not with another ID" \
  node "$HERE/sm2_verify.js" data official/sealinfo.der official/seal.sig maker.der 1234567812345679
refuse "sm-crypto: not with the signer's key" \
  node "$HERE/sm2_verify.js" data official/sealinfo.der official/seal.sig signer.der

# --- a SES_Signature over a document --------------------------------------------------------------
printf '<ofd:Signature xmlns:ofd="http://www.ofdspec.org/2016">...</ofd:Signature>' >Signature.xml
expect "seal sign" "$ESEAL" seal sign --seal official.esl --key signer.key --data Signature.xml \
  --property /Doc_0/Signs/Sign_0/Signature.xml --out SignedValue.dat
mkdir -p sig
expect "asn1crypto: SES_Signature decodes and matches" "$PY" "$HERE/seal_asn1.py" signature SignedValue.dat \
  Signature.xml official.esl sig --signer signer.der --property /Doc_0/Signs/Sign_0/Signature.xml
expect "sm-crypto: signer's SM2 signature over DER(TBS_Sign)" node "$HERE/sm2_verify.js" data sig/tbs.der sig/tbs.sig signer.der
expect "seal verify: the signature with its data" "$ESEAL" seal verify SignedValue.dat --data Signature.xml --trust gm-root.pem --trust gm-issuing.pem
expect "seal show: a signature" "$ESEAL" seal show SignedValue.dat
contains "seal show: the signing details" "$work/out" "propertyInfo  /Doc_0/Signs/Sign_0/Signature.xml"
echo "changed" >>Signature.xml
refuse "seal verify: changed data is detected" "$ESEAL" seal verify SignedValue.dat --data Signature.xml --trust gm-root.pem
contains "changed data: says why" "$work/out" "signature.data_hash_mismatch"
openssl genpkey -algorithm SM2 -out stranger.key 2>/dev/null
refuse "seal sign: a key not bound to the seal is refused" "$ESEAL" seal sign --seal official.esl --key stranger.key \
  --data Signature.xml --out x.dat
contains "unbound key: says why" "$work/out" "signature.no_certificate"

# --- seals made by another system (asn1crypto + openssl CLI) verify in eseal -----------------------
expect "another system's V4 seal is built" "$PY" "$HERE/seal_asn1.py" make-v4 maker.key maker.der signer.der other-v4.esl --ext
expect "eseal verifies another system's V4 seal (with extDatas)" "$ESEAL" seal verify other-v4.esl --trust gm-root.pem --trust gm-issuing.pem
expect "another system's V1 (GM/T 0031-2014) seal is built" "$PY" "$HERE/seal_asn1.py" make-v1 maker.key maker.der signer.der other-v1.esl
expect "eseal verifies a V1 seal" "$ESEAL" seal verify other-v1.esl --trust gm-root.pem --trust gm-issuing.pem
expect "seal show: a V1 seal" "$ESEAL" seal show other-v1.esl
contains "V1 seal: format" "$work/out" "GM/T 0031-2014 (V1)"
contains "V1 seal: type read per GM/T 0031" "$work/out" "单位印章"

# --- tampering and trust -----------------------------------------------------------------------
"$PY" - official.esl tampered.esl <<'PYEOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
name = "深圳市示例科技有限公司".encode()
at = data.find(name)
data[at + 2] ^= 0x01  # another character of the name, same length
open(sys.argv[2], "wb").write(data)
PYEOF
refuse "a seal with a changed name does not verify" "$ESEAL" seal verify tampered.esl --trust gm-root.pem --trust gm-issuing.pem
contains "changed name: says why" "$work/out" "seal.signature_invalid"
expect "ca init of a second (untrusted) CA" "$ESEAL" ca init --algo sm2 --name other
"$ESEAL" ca export other-root --out other-root.pem
refuse "a seal whose maker is not under the trusted root does not verify" "$ESEAL" seal verify official.esl --trust other-root.pem
contains "untrusted maker: says why" "$work/out" "seal.maker_untrusted"

# --- ECDSA (international suite) maker --------------------------------------------------------------
expect "ca init ecdsa-p256" "$ESEAL" ca init --algo ecdsa-p256 --name intl
"$ESEAL" ca export intl --chain --out intl-chain.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-maker.key 2>/dev/null
openssl req -new -utf8 -key ec-maker.key -subj "$MAKER_SUBJ" -out ec-maker.csr
expect "issue an ECDSA maker certificate" "$ESEAL" ca issue --csr ec-maker.csr --ca intl --out ec-maker.pem
expect "seal make with an ECDSA maker" "$ESEAL" seal make --type official --name "Example Trading Ltd" \
  --maker-key ec-maker.key --maker-cert ec-maker.pem --out ec.esl
expect "seal verify an ECDSA seal" "$ESEAL" seal verify ec.esl --trust intl-chain.pem

# --- bad input: clear errors -----------------------------------------------------------------------
head -c 300 official.esl >truncated.esl
refuse "a truncated .esl is refused" "$ESEAL" seal verify truncated.esl --trust gm-root.pem
contains "truncated: says what is wrong" "$work/out" "seal.malformed"
refuse "seal show of a truncated .esl is refused" "$ESEAL" seal show truncated.esl
contains "show truncated: says what is wrong" "$work/out" "seal.malformed"
refuse "an unknown seal type is refused" "${MAKE[@]}" --type stamp --name "$ORG" --out x.esl
contains "unknown type: says which are allowed" "$work/out" "official"
long=$(printf '长%.0s' $(seq 41))
refuse "a 41-character name is refused" "${MAKE[@]}" --type official --name "$long" --out x.esl
contains "long name: says why" "$work/out" "image.name_too_long"
refuse "a bad seal code is refused" "${MAKE[@]}" --type official --name "$ORG" --code 12ab --out x.esl
contains "bad code: says why" "$work/out" "image.code_invalid"
refuse "the invoice seal needs a taxpayer number" "${MAKE[@]}" --type invoice --name "$ORG" --out x.esl
contains "no taxpayer number: says why" "$work/out" "image.taxpayer_invalid"
refuse "a maker key that is not the maker certificate's is refused" "$ESEAL" seal make --type official --name "$ORG" \
  --maker-key signer.key --maker-cert maker.pem --out x.esl
contains "wrong maker key: says why" "$work/out" "seal.maker_key_mismatch"
echo "not a key" >junk.key
refuse "an unreadable maker key is refused" "$ESEAL" seal make --type official --name "$ORG" \
  --maker-key junk.key --maker-cert maker.pem --out x.esl
contains "unreadable key: says why" "$work/out" "key.unreadable"
[ ! -e x.esl ] && ok "nothing was written for refused seals" || bad "x.esl was written"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
