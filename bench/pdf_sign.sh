#!/usr/bin/env bash
# Sealing and verifying a big PDF (issue 10): wall time and peak memory of `eseal pdf sign` and
# `eseal pdf verify` beside `sha256sum` of the same file (the limit: one read of the file) and
# `pdfsig -add-signature` / `pdfsig` (what a user would otherwise run), in one run.
# Target: eseal within 1.5x of sha256sum, peak RSS under 64 MB.
# Usage: bash bench/pdf_sign.sh [SIZE_MB]     (ESEAL=path/to/eseal to choose the binary)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# The release build if it has `pdf`, else the debug one (the work is OpenSSL's SHA-256 and system
# calls, both optimized either way).
ESEAL=${ESEAL:-$root/build/release/src/app/eseal}
if ! "$ESEAL" pdf sign --help 2>/dev/null | grep -q -- --seal; then ESEAL=$root/build/debug/src/app/eseal; fi
size_mb=${1:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export ESEAL_HOME="$work/home"

echo "== setup: CA, RSA-2048 signer (pdfsig signs RSA reliably), seal, a $size_mb MB PDF" >&2
"$ESEAL" -q ca init --algo rsa2048 --name bench >/dev/null 2>&1
"$ESEAL" ca export bench-root --out ca.pem && "$ESEAL" ca export bench --out issuing.pem
openssl genrsa -out signer.key 2048 2>/dev/null
openssl req -new -utf8 -key signer.key -subj "/C=CN/ST=广东省/L=深圳市/O=深圳市示例科技有限公司/organizationIdentifier=91350100M000100Y43" -out signer.csr
"$ESEAL" -q ca issue --csr signer.csr --ca bench --out signer.pem >/dev/null 2>&1
"$ESEAL" -q seal make --type official --name 深圳市示例科技有限公司 --maker-key signer.key --maker-cert signer.pem \
  --cert signer.pem --out seal.esl >/dev/null 2>&1
pages=3
python3 "$root/tests/interop/pdf/make_pdf.py" big.pdf --pages $pages --image-mb "$(awk -v s="$size_mb" -v p=$pages 'BEGIN{print s/p}')"
openssl pkcs12 -export -inkey signer.key -in signer.pem -name seal -passout pass:pw -out signer.p12
mkdir nss && certutil -N --empty-password -d sql:nss && pk12util -i signer.p12 -d sql:nss -W pw >/dev/null
bytes=$(stat -c %s big.pdf)

measure() {  # label command...: prints "label  wall_s  peak_MB"
  local label=$1; shift
  cat big.pdf >/dev/null  # warm page cache, the same for every tool
  /usr/bin/time -f '%e %M' -o time.txt "$@" >cmd.out 2>cmd.err || { echo "$label FAILED:" >&2; tail -5 cmd.out cmd.err >&2; }
  read -r wall kb < <(tail -1 time.txt)
  printf '%-34s %8.2f s %8.1f MB\n' "$label" "$wall" "$(awk -v k="$kb" 'BEGIN{print k/1024}')"
  echo "$wall" >"last.wall"
}

echo "file: $bytes bytes; eseal: $ESEAL"
echo "-- sealing"
measure "sha256sum (limit)" sha256sum big.pdf; base=$(cat last.wall)
# coreutils' sha256sum does not use the CPU's SHA extensions; OpenSSL (which eseal uses) does:
# this is the stricter floor for one read plus the hash.
measure "openssl dgst -sha256 (floor)" openssl dgst -sha256 big.pdf
measure "eseal pdf sign" "$ESEAL" pdf sign big.pdf out.pdf --seal seal.esl --key signer.key --chain issuing.pem --at 100,100; ours=$(cat last.wall)
measure "pdfsig -add-signature" pdfsig -nssdir sql:nss -add-signature -nick seal big.pdf pdfsig-out.pdf
rm -f pdfsig-out.pdf
echo "-- verifying"
measure "sha256sum (limit)" sha256sum out.pdf; vbase=$(cat last.wall)
measure "openssl dgst -sha256 (floor)" openssl dgst -sha256 out.pdf
measure "eseal pdf verify" "$ESEAL" pdf verify out.pdf --trust ca.pem; vours=$(cat last.wall)
measure "pdfsig (verify)" pdfsig -nssdir sql:nss -no-ocsp out.pdf
awk -v b="$base" -v o="$ours" -v vb="$vbase" -v vo="$vours" 'BEGIN {
  printf "sign:   eseal / sha256sum = %.2f (target <= 1.5)\n", (b > 0 ? o / b : 0);
  printf "verify: eseal / sha256sum = %.2f (target <= 1.5)\n", (vb > 0 ? vo / vb : 0) }'
