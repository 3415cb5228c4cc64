#!/usr/bin/env bash
# Browser tests (ctest label e2e): a real `eseal serve` on a free loopback port with a fresh home
# (SQLite, the payment / face / SMS sandboxes, dev endpoints on) serving the built web app, driven
# by playwright-core through Debian's /usr/bin/chromium. Screenshots go to ARTIFACTS.
# Usage: run_e2e.sh PATH/TO/eseal ARTIFACTS_DIR [SCRIPT.mjs]
set -uo pipefail
ESEAL=$(realpath "${1:?usage: run_e2e.sh PATH/TO/eseal ARTIFACTS_DIR}")
ARTIFACTS=${2:?usage: run_e2e.sh PATH/TO/eseal ARTIFACTS_DIR}
SCRIPT=${3:-hall.e2e.mjs}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

for need in /usr/bin/chromium "$here/node_modules/playwright-core/package.json" "$root/web/node_modules/.bin/vite"; do
  if [ ! -e "$need" ]; then echo "FAIL: $need is missing (run scripts/install-deps.sh)"; exit 1; fi
done
# The app as the sources are now (offline: Vite and TypeScript are in web/node_modules).
if [ ! -f "$root/web/dist/index.html" ] || [ -n "$(find "$root/web/src" "$root/web/index.html" -newer "$root/web/dist/index.html" -print -quit)" ]; then
  echo "e2e: building the web app"
  (cd "$root/web" && npm run --silent build) || { echo "FAIL: web build"; exit 1; }
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$ARTIFACTS" "$work/home"
export ESEAL_HOME="$work/home"
cat >"$ESEAL_HOME/eseal.toml" <<'TOML'
[hall]
dev_endpoints = true
TOML

# A CA and a blank Ukey in the inventory (SoftHSM2 standing in for a PKCS#11 Ukey) for issuance.
export SOFTHSM2_CONF="$work/softhsm2.conf"
mkdir -p "$work/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$work" >"$SOFTHSM2_CONF"
"$ESEAL" -q ca init --algo ecdsa-p256 --name e2e-ecdsa >"$work/ca.out" 2>&1 || { echo "FAIL: ca init"; cat "$work/ca.out"; exit 1; }
# The platform's seal maker (GB/T 38540: the maker's unit certificate and key), found by `eseal serve`
# in the home: an org certificate of the platform operator from the same CA (seal::make_seal signs
# with ECDSA as well as SM2, so no second CA is needed).
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$ESEAL_HOME/seal-maker.key" 2>/dev/null &&
  openssl req -new -utf8 -key "$ESEAL_HOME/seal-maker.key" -out "$work/maker.csr" \
    -subj "/C=CN/ST=广东省/L=深圳市/O=深圳市电子商务安全证书管理有限公司/organizationIdentifier=91440300726138600W" &&
  "$ESEAL" -q ca issue --csr "$work/maker.csr" --ca e2e-ecdsa --profile org --years 5 --out "$ESEAL_HOME/seal-maker.pem" \
    >"$work/maker.out" 2>&1 || { echo "FAIL: the seal maker"; cat "$work/maker.out"; exit 1; }
"$ESEAL" token init --label "Ukey E2E" >"$work/token.out" 2>&1 || { echo "FAIL: token init"; cat "$work/token.out"; exit 1; }
export ESEAL_E2E_TOKEN=$(sed -n 's/^token \([0-9a-f]*\) initialized.*/\1/p' "$work/token.out")
[ -n "$ESEAL_E2E_TOKEN" ] || { echo "FAIL: no token serial in: $(cat "$work/token.out")"; exit 1; }

# Staff for the console (the same command `make run` uses for its demo accounts).
export ESEAL_E2E_STAFF_PASSWORD="e2e-staff-password-1"
for entry in reviewer:审核员:reviewer issuer:制证员:issuer shipper:寄送员:shipper; do
  IFS=: read -r login name role <<<"$entry"
  ESEAL_STAFF_PASSWORD=$ESEAL_E2E_STAFF_PASSWORD "$ESEAL" -q staff add "$login" --name "$name" --role "$role" >/dev/null ||
    { echo "FAIL: eseal staff add $login"; exit 1; }
done

"$ESEAL" serve --listen 127.0.0.1:0 --web "$root/web/dist" --threads 2 >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/serve.out" | head -1)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then echo "FAIL: eseal serve did not start"; cat "$work/serve.err"; exit 1; fi
echo "e2e: eseal serve on port $port (home $ESEAL_HOME)"

export ESEAL_E2E_URL="http://127.0.0.1:$port" ESEAL_E2E_ARTIFACTS="$ARTIFACTS" ESEAL_E2E_WORK="$work" ESEAL ESEAL_HOME
node "$here/$SCRIPT"
rc=$?
if [ $rc -ne 0 ]; then echo "--- server log (last 40 lines)"; tail -40 "$work/serve.err"; fi
exit $rc
