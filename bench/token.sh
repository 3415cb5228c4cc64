#!/usr/bin/env bash
# Signatures per second through a PKCS#11 token (SoftHSM2) against a software key, in one run.
# Usage: bash bench/token.sh [COUNT]     (ESEAL=path/to/eseal to choose the binary)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ESEAL=${ESEAL:-$root/build/release/src/app/eseal}
if [ ! -x "$ESEAL" ]; then
  (cd "$root" && cmake --preset release >/dev/null && cmake --build build/release --target eseal)
fi
count=${1:-3000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ESEAL_HOME="$work/home" SOFTHSM2_CONF="$work/softhsm2.conf"
mkdir -p "$work/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$work" >"$SOFTHSM2_CONF"

echo "== setting up a CA and a Ukey on SoftHSM2" >&2
"$ESEAL" -q ca init --algo ecdsa-p256 --name bench >/dev/null
for algo in ecdsa-p256 rsa2048; do
  out=$("$ESEAL" -q token enroll --label "bench $algo" --algo "$algo" --org Bench --credit-code 91350100M000100Y43 \
        --province Guangdong --locality Shenzhen 2>/dev/null)
  serial=$(sed -n 's/^token \([0-9a-f]*\) enrolled: key \([0-9a-f]*\).*/\1/p' <<<"$out")
  key=$(sed -n 's/^token [0-9a-f]* enrolled: key \([0-9a-f]*\).*/\1/p' <<<"$out")
  pin=$(sed -n 's/^PIN: //p' <<<"$out")
  echo "== $algo: $count signatures, software key vs SoftHSM2 token $serial" >&2
  ESEAL_PIN=$pin "$ESEAL" -q bench sign --algo "$algo" --count "$count" --token "$serial" --key-id "$key"
done
echo "== raw single-core rate, openssl speed (for reference)" >&2
openssl speed -seconds 2 ecdsap256 rsa2048 2>/dev/null | grep -E "^ *(256 bits ecdsa|rsa 2048)" || true
