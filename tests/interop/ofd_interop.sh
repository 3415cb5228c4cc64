#!/usr/bin/env bash
# Outside tools judge eseal's sealed OFD documents (DESIGN §8, issue 10):
#  - the npm package ofd.js 0.2.6, in headless Debian chromium driven by playwright-core, parses
#    the sealed documents; the verifyRet it records for each seal (its sm-crypto check of the
#    SES_Signature) must be true, its digest check of the References true, its renderer must draw
#    the seal picture; and false for tampered files;
#  - python3 (hashlib's SM3 from OpenSSL, xml.etree) recomputes every reference digest;
#  - python3-asn1crypto decodes SignedValue.dat from the standard's ASN.1 and checks that dataHash
#    is SM3 of Signature.xml and the embedded seal is Seal.esl; sm-crypto (node) verifies the
#    signer's SM2 signature over DER(TBS_Sign).
# The input documents are written by tests/interop/ofd/make_ofd.py (python's zipfile), not by
# eseal. Also: bad input gets a clear error and no output file.
# With the soft SKF token (its library and admin tool), a document is also sealed by a key on a
# Ukey (eseal's GM/T 0016 soft token), and ofd.js verifies that too.
# Usage: ofd_interop.sh PATH/TO/eseal [PATH/TO/libeseal_softskf.so PATH/TO/eseal-softskf-admin]
set -uo pipefail
ESEAL=$(realpath "${1:?usage: ofd_interop.sh PATH/TO/eseal [SKF-LIBRARY SKF-ADMIN]}")
SKF=${2:+$(realpath "$2")}
SKF_ADMIN=${3:+$(realpath "$3")}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
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
absent() { local d=$1 f=$2; if [ -e "$f" ]; then bad "$d: $f was written"; else ok "$d"; fi; }

SM2ID=distid:1234567812345678
ORG=深圳市示例科技有限公司
MAKER_SUBJ="/C=CN/ST=广东省/L=深圳市/O=深圳市电子印章平台运营有限公司/organizationIdentifier=91440300MA5G9GJX93"
SUBJ="/C=CN/ST=广东省/L=深圳市/O=$ORG/organizationIdentifier=91350100M000100Y43"

# --- an SM2 CA, the seal maker, a signer, a seal (as tests/interop/seal_interop.sh) -------------
expect "ca init sm2" "$ESEAL" ca init --algo sm2 --name gm
"$ESEAL" ca export gm --out gm-issuing.pem && "$ESEAL" ca export gm-root --out gm-root.pem
openssl genpkey -algorithm SM2 -out maker.key 2>/dev/null
openssl req -new -utf8 -key maker.key -sigopt $SM2ID -subj "$MAKER_SUBJ" -out maker.csr
expect "issue the seal maker's certificate" "$ESEAL" ca issue --csr maker.csr --ca gm --years 5 --out maker.pem
openssl genpkey -algorithm SM2 -out signer.key 2>/dev/null
openssl req -new -utf8 -key signer.key -sigopt $SM2ID -subj "$SUBJ" -out signer.csr
expect "issue the signer's certificate" "$ESEAL" ca issue --csr signer.csr --ca gm --years 2 --out signer.pem
openssl x509 -in signer.pem -outform DER -out signer.der
expect "seal make official" "$ESEAL" seal make --maker-key maker.key --maker-cert maker.pem --cert signer.pem \
  --type official --name "$ORG" --code 4403050012345 --out official.esl
expect "seal make contract" "$ESEAL" seal make --maker-key maker.key --maker-cert maker.pem --cert signer.pem \
  --type contract --name "$ORG" --out contract.esl
TRUST=(--trust gm-root.pem --trust gm-issuing.pem)

# --- documents from another producer, sealed ---------------------------------------------------
expect "make a one-page OFD (python zipfile)" "$PY" "$HERE/ofd/make_ofd.py" one.ofd --pages 1
expect "make a three-page OFD" "$PY" "$HERE/ofd/make_ofd.py" three.ofd --pages 3
expect "ofd sign (one page)" "$ESEAL" ofd sign one.ofd one-signed.ofd --seal official.esl --key signer.key \
  --page 1 --at 161,251
contains "sign: says where the stamp went (--at is its centre)" "$work/out" "stamp     page 1 (ID 10), boundary 140 230 42 42 mm"
expect "ofd sign (three pages, page 2)" "$ESEAL" ofd sign three.ofd three-1.ofd --seal official.esl \
  --key signer.key --page 2 --at 120,200
expect "ofd sign again (contract seal on page 3)" "$ESEAL" ofd sign three-1.ofd three-2.ofd --seal contract.esl \
  --key signer.key --cert signer.pem --page 3 --at 30,240
expect "zip -T: the output is a sound zip" unzip -tq three-2.ofd
unzip -l three-2.ofd >listing.txt
for f in Doc_0/Signs/Signatures.xml Doc_0/Signs/Sign_0/Signature.xml Doc_0/Signs/Sign_0/Seal.esl \
         Doc_0/Signs/Sign_0/SignedValue.dat Doc_0/Signs/Sign_1/SignedValue.dat; do
  contains "package holds $f" listing.txt "$f"
done
unzip -p three-2.ofd OFD.xml >ofd.xml
contains "OFD.xml names the signature list" ofd.xml "<ofd:Signatures>/Doc_0/Signs/Signatures.xml</ofd:Signatures>"

# --- eseal verifies ----------------------------------------------------------------------------
expect "ofd verify (one seal)" "$ESEAL" ofd verify one-signed.ofd "${TRUST[@]}"
contains "verify: valid" "$work/out" "VALID: every signature verifies"
expect "ofd verify (two seals, both valid)" "$ESEAL" ofd verify three-2.ofd "${TRUST[@]}" --json
cp "$work/out" three-2.json
expect "verify --json: two valid signatures" "$PY" -c '
import json, sys
r = json.load(open("three-2.json"))
assert r["valid"] is True, r
assert [s["id"] for s in r["signatures"]] == ["s001", "s002"], r
assert all(s["valid"] for s in r["signatures"])
assert [s["stamps"][0]["page"] for s in r["signatures"]] == [2, 3]
assert r["signatures"][1]["seal"]["type"].startswith("4"), r["signatures"][1]["seal"]
'
expect "ofd verify with the platform's own CAs" "$ESEAL" ofd verify three-2.ofd

# --- independent checks: reference digests, ASN.1, SM2 -----------------------------------------
expect "python hashlib SM3: every reference digest matches" "$PY" "$HERE/ofd/check_refs.py" three-2.ofd --extract parts
contains "python: the first signature has 6 references" "$work/out" "s001: 6 reference(s)"
contains "python: the second covers the first's files too" "$work/out" "s002: 9 reference(s)"
for id in s001 s002; do
  mkdir -p "asn1-$id"
  expect "asn1crypto: $id SignedValue.dat decodes, dataHash = SM3(Signature.xml), eseal = Seal.esl" \
    "$PY" "$HERE/seal_asn1.py" signature "parts/$id/SignedValue.dat" "parts/$id/Signature.xml" \
    "parts/$id/Seal.esl" "asn1-$id" --signer signer.der
  expect "sm-crypto: $id signer's SM2 signature over DER(TBS_Sign)" \
    node "$HERE/sm2_verify.js" data "asn1-$id/tbs.der" "asn1-$id/tbs.sig" signer.der
done

# --- ofd.js 0.2.6 in chromium ------------------------------------------------------------------
expect "ofd.js: one seal, verifyRet true, digests ok, picture drawn" node "$HERE/ofd/ofdjs_verify.js" 1 one-signed.ofd
sed 's/^/    | /' "$work/out" | head -30
expect "ofd.js: two seals on a three-page document, both verifyRet true" node "$HERE/ofd/ofdjs_verify.js" 2 three-2.ofd

# --- sealing with a key on a Ukey (GM/T 0016 SKF soft token) ------------------------------------------
if [ -n "$SKF" ] && [ -n "$SKF_ADMIN" ]; then
  export ESEAL_SOFTSKF_DIR="$work/devices" ESEAL_SKF_MODULE="$SKF"
  mkdir -p "$ESEAL_SOFTSKF_DIR"
  "$SKF_ADMIN" create "$ESEAL_SOFTSKF_DIR/k1" --serial SKF-A --label "Key A" >/dev/null
  expect "enroll an SM2 Ukey" "$ESEAL" token enroll --driver skf --algo sm2 --label "SM2 Ukey" \
    --org "$ORG" --credit-code 91350100M000100Y43 --province 广东省 --locality 深圳市 --years 2
  pin=$(sed -n 's/^PIN: \([0-9]*\)$/\1/p' "$work/out")
  container=$(sed -n 's/.* enrolled: key \([^ ]*\) generated.*/\1/p' "$work/out")
  cert_serial=$(sed -n 's/.*certificate \([0-9a-f]*\) written.*/\1/p' "$work/out")
  "$ESEAL" ca show "$cert_serial" --pem | sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' >ukey.pem
  expect "seal make for the Ukey's certificate" "$ESEAL" seal make --maker-key maker.key --maker-cert maker.pem \
    --cert ukey.pem --type finance --name "$ORG" --out ukey.esl
  refuse "ofd sign with a wrong PIN is refused at the token" bash -c "echo 00000000 | '$ESEAL' ofd sign \
    three-2.ofd ukey-x.ofd --seal ukey.esl --token SKF-A --driver skf --key-id $container --pin-stdin --page 1 --at 41,261"
  contains "wrong PIN: says so" "$work/out" "token.pin_incorrect"
  absent "wrong PIN: no output" ukey-x.ofd
  expect "ofd sign with the Ukey (third seal, page 1)" bash -c "echo $pin | '$ESEAL' ofd sign three-2.ofd \
    three-3.ofd --seal ukey.esl --token SKF-A --driver skf --key-id $container --pin-stdin --page 1 --at 41,261"
  expect "ofd verify: three seals, two signers, all valid" "$ESEAL" ofd verify three-3.ofd "${TRUST[@]}"
  expect "ofd.js: three seals, all verifyRet true" node "$HERE/ofd/ofdjs_verify.js" 3 three-3.ofd
  expect "python: the Ukey seal's references match" "$PY" "$HERE/ofd/check_refs.py" three-3.ofd
fi

# --- tampering ------------------------------------------------------------------------------------
# A changed signature value (one byte of TBS_Sign's propertyInfo in SignedValue.dat).
"$PY" - one-signed.ofd tampered-sig.ofd <<'PYEOF'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename.endswith("SignedValue.dat"):
            b = bytearray(data)
            at = b.find(b"/Doc_0/Signs/Sign_0/Signature.xml")
            b[at + 1] = ord("d")  # "/doc_0/...": same length, the DER still parses
            data = bytes(b)
        zout.writestr(info.filename, data)
PYEOF
refuse "ofd.js: a changed SES_Signature gives verifyRet false" node "$HERE/ofd/ofdjs_verify.js" 1 tampered-sig.ofd
contains "ofd.js: verifyRet is false" "$work/out" '"verifyRet": false'
refuse "eseal: a changed SES_Signature is invalid" "$ESEAL" ofd verify tampered-sig.ofd "${TRUST[@]}"
contains "eseal: says the signature does not verify" "$work/out" "signature.signature_invalid"
# A changed page (the signed content).
"$PY" - one-signed.ofd tampered-page.ofd <<'PYEOF'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == "Doc_0/Pages/Page_0/Content.xml":
            data = data.replace("采购合同".encode(), "租赁合同".encode())
        zout.writestr(info.filename, data)
PYEOF
refuse "ofd.js: a changed page fails its digest check" node "$HERE/ofd/ofdjs_verify.js" 1 tampered-page.ofd
contains "ofd.js: digestOk is false" "$work/out" '"digestOk": false'
refuse "python: a changed page has a wrong reference digest" "$PY" "$HERE/ofd/check_refs.py" tampered-page.ofd
refuse "eseal: a changed page is invalid" "$ESEAL" ofd verify tampered-page.ofd "${TRUST[@]}"
contains "eseal: names the changed file" "$work/out" "/Doc_0/Pages/Page_0/Content.xml changed after signing"
refuse "eseal: an unsigned document is not valid" "$ESEAL" ofd verify one.ofd "${TRUST[@]}"
contains "unsigned: says so" "$work/out" "ofd.unsigned"

# --- bad input: clear errors, no output -------------------------------------------------------------
SIGN=("$ESEAL" ofd sign --seal official.esl --key signer.key)
refuse "a page that does not exist is refused" "${SIGN[@]}" one.ofd x.ofd --page 4 --at 10,10
contains "no such page: says why" "$work/out" "ofd.page_invalid"
refuse "a seal off the page is refused" "${SIGN[@]}" one.ofd x.ofd --page 1 --at 200,10
contains "off the page: says why" "$work/out" "ofd.stamp_off_page"
"$PY" - <<'PYEOF'
import zipfile
with zipfile.ZipFile("traversal.ofd", "w") as z:
    z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
    z.writestr("../../evil.sh", "rm -rf /")
    z.writestr("/etc/cron.d/x", "x")
with zipfile.ZipFile("bomb.ofd", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("OFD.xml", "<a/>")
    for i in range(3):
        z.writestr(f"Doc_0/big{i}.xml", b"\0" * (200 << 20))  # 600 MiB from about 600 KB
with zipfile.ZipFile("broken-xml.ofd", "w") as z:
    z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml")
open("not-a-zip.ofd", "w").write("%PDF-1.7 this is not an OFD")
PYEOF
refuse "path traversal in entries is refused" "${SIGN[@]}" traversal.ofd x.ofd --page 1 --at 10,10
contains "traversal: names the entry" "$work/out" "../../evil.sh"
contains "absolute: names the entry" "$work/out" "/etc/cron.d/x"
ls -la bomb.ofd | awk '{print "    zip bomb: " $5 " bytes"}'
refuse "a zip bomb is refused" "${SIGN[@]}" bomb.ofd x.ofd --page 1 --at 10,10
contains "zip bomb: says why" "$work/out" "ofd.package_too_large"
refuse "malformed XML is refused" "${SIGN[@]}" broken-xml.ofd x.ofd --page 1 --at 10,10
contains "malformed XML: names the file" "$work/out" "OFD.xml is not well-formed XML"
refuse "not a zip is refused" "${SIGN[@]}" not-a-zip.ofd x.ofd --page 1 --at 10,10
contains "not a zip: says why" "$work/out" "ofd.zip_invalid"
refuse "verify: a zip bomb is refused" "$ESEAL" ofd verify bomb.ofd "${TRUST[@]}"
openssl genpkey -algorithm SM2 -out stranger.key 2>/dev/null
refuse "a key the seal does not bind is refused" "$ESEAL" ofd sign one.ofd x.ofd --seal official.esl \
  --key stranger.key --page 1 --at 50,50
contains "unbound key: says why" "$work/out" "signature.no_certificate"
absent "nothing was written for refused documents" x.ofd
[ -z "$(ls -A . | grep '^\.x\.ofd\.')" ] && ok "no temporary files left behind" || bad "temporary files left: $(ls -A)"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
