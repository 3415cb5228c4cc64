#!/usr/bin/env bash
# `make run`: brings up the platform's home with demo data on the embedded default (SQLite), so
# there is something to look at: an SM2 and an ECDSA hierarchy and a few issued certificates.
# Idempotent: an existing home is shown, not rebuilt.
set -euo pipefail
ESEAL=${1:?usage: demo.sh PATH/TO/eseal}
export ESEAL_HOME=${ESEAL_HOME:-$PWD/var}
echo "eseal home: $ESEAL_HOME"

if ! "$ESEAL" -q ca list --cas 2>/dev/null | grep -q .; then
  echo "== creating demo CAs (SM2 and ECDSA P-256)"
  "$ESEAL" ca init --algo sm2 --name demo-sm2
  "$ESEAL" ca init --algo ecdsa-p256 --name demo-ecdsa
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  subj="/C=CN/ST=广东省/L=深圳市/O=深圳市示例科技有限公司/organizationIdentifier=91350100M000100Y43"
  echo "== issuing demo certificates"
  openssl genpkey -algorithm SM2 -out "$tmp/org.key" 2>/dev/null
  openssl req -new -utf8 -key "$tmp/org.key" -sigopt distid:1234567812345678 -subj "$subj" -out "$tmp/org.csr"
  "$ESEAL" ca issue --csr "$tmp/org.csr" --ca demo-sm2 --profile org --years 1 --out "$ESEAL_HOME/demo-org-sm2.pem"
  openssl genpkey -algorithm SM2 -out "$tmp/person.key" 2>/dev/null
  openssl req -new -utf8 -key "$tmp/person.key" -sigopt distid:1234567812345678 -subj "$subj/CN=张三" -out "$tmp/person.csr"
  "$ESEAL" ca issue --csr "$tmp/person.csr" --ca demo-sm2 --profile org-individual --name 张三 \
    --id-number 11010519491231002X --out "$ESEAL_HOME/demo-person-sm2.pem"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ec.key" 2>/dev/null
  openssl req -new -utf8 -key "$tmp/ec.key" -subj "$subj" -out "$tmp/ec.csr"
  "$ESEAL" ca issue --csr "$tmp/ec.csr" --ca demo-ecdsa --profile org --years 3 --out "$ESEAL_HOME/demo-org-ecdsa.pem"
fi

# The platform's seal maker (GB/T 38540: the maker's unit certificate): an SM2 org certificate of the
# platform operator; `eseal serve` finds seal-maker.key and seal-maker.pem in the home.
if [ ! -f "$ESEAL_HOME/seal-maker.pem" ]; then
  echo "== making the seal maker's key and certificate"
  tmp_maker=$(mktemp -d)
  (umask 077 && openssl genpkey -algorithm SM2 -out "$ESEAL_HOME/seal-maker.key" 2>/dev/null)
  openssl req -new -utf8 -key "$ESEAL_HOME/seal-maker.key" -sigopt distid:1234567812345678 \
    -subj "/C=CN/ST=广东省/L=深圳市/O=深圳市电子商务安全证书管理有限公司/organizationIdentifier=91440300726138600W" \
    -out "$tmp_maker/maker.csr"
  "$ESEAL" -q ca issue --csr "$tmp_maker/maker.csr" --ca demo-sm2 --profile org --years 5 \
    --out "$ESEAL_HOME/seal-maker.pem"
  rm -rf "$tmp_maker"
fi

# Blank Ukeys in the inventory for the issuer: a SoftHSM2 token (ECDSA/RSA certificates) and one of
# eseal's soft SKF tokens (SM2), kept in the home.
export ESEAL_SOFTSKF_DIR=${ESEAL_SOFTSKF_DIR:-$ESEAL_HOME/softskf}
skf_admin=$(dirname "$ESEAL")/../softskf/eseal-softskf-admin
if ! "$ESEAL" -q token list 2>/dev/null | grep -q in_stock; then
  echo "== putting blank Ukeys into the inventory"
  "$ESEAL" -q token init --label "Demo Ukey P11" || echo "(no SoftHSM2 token: $?)"
  if [ -x "$skf_admin" ]; then
    mkdir -p "$ESEAL_SOFTSKF_DIR"
    [ -e "$ESEAL_SOFTSKF_DIR/demo1" ] || "$skf_admin" create "$ESEAL_SOFTSKF_DIR/demo1" --serial SKF-DEMO-1 --label "Demo Ukey SKF" >/dev/null
    "$ESEAL" -q token init --driver skf --label "Demo Ukey SKF" || echo "(no SKF token: $?)"
  fi
fi

# Demo staff accounts for the web app's staff console, one per role, all with one demo password.
DEMO_STAFF_PASSWORD=${DEMO_STAFF_PASSWORD:-eseal-demo-2026}
demo_staff=(reviewer:审核员:reviewer issuer:制证员:issuer shipper:寄送员:shipper counter:柜台受理员:counter_clerk
            operator:CA操作员:ca_operator auditor:审计员:auditor admin:管理员:admin)
staff_now=$("$ESEAL" -q staff list 2>/dev/null || true)
for entry in "${demo_staff[@]}"; do
  IFS=: read -r login name role <<<"$entry"
  if ! grep -qw -- "$login" <<<"$staff_now"; then
    ESEAL_STAFF_PASSWORD=$DEMO_STAFF_PASSWORD "$ESEAL" -q staff add "$login" --name "$name" --role "$role" >/dev/null
  fi
done

echo
echo "== CAs"
"$ESEAL" -q ca list --cas
echo
echo "== certificates"
"$ESEAL" -q ca list
echo
echo "== audit log"
"$ESEAL" -q audit verify
echo
listen=${ESEAL_LISTEN:-127.0.0.1:8080}
cat <<TXT
Starting the platform's server on http://$listen (online hall API, CRL, OCSP, time-stamps); Ctrl-C stops it.
  Web app:            http://$listen/   (online business hall; staff console at http://$listen/staff)
    Applicants log in with any mainland mobile number (e.g. 13800138000): press 获取验证码 and the
    code appears under the form (sandbox SMS, also at the dev messages address below).
    Staff logins (password $DEMO_STAFF_PASSWORD): reviewer, issuer, shipper, counter, operator, auditor, admin
  Online hall API:    http://$listen/api/v1/openapi.json   (walk-through: docs/online-hall.md)
  Sandbox SMS/e-mail: http://$listen/api/v1/dev/messages?to=13800138000  (login codes land here)
  curl -s http://$listen/crl/demo-sm2.crl | openssl crl -inform DER -noout -text
  openssl ocsp -issuer <($ESEAL --home $ESEAL_HOME ca export demo-ecdsa) -cert $ESEAL_HOME/demo-org-ecdsa.pem -url http://$listen/ocsp -noverify
In another terminal: $ESEAL --home $ESEAL_HOME ca show SERIAL --pem | token list | audit verify …
TXT
exec "$ESEAL" serve --listen "$listen"
