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
  Online hall API:    http://$listen/api/v1/openapi.json   (walk-through: docs/online-hall.md)
  Sandbox SMS/e-mail: http://$listen/api/v1/dev/messages?to=13800138000  (login codes land here)
  curl -s http://$listen/crl/demo-sm2.crl | openssl crl -inform DER -noout -text
  openssl ocsp -issuer <($ESEAL --home $ESEAL_HOME ca export demo-ecdsa) -cert $ESEAL_HOME/demo-org-ecdsa.pem -url http://$listen/ocsp -noverify
In another terminal: $ESEAL --home $ESEAL_HOME ca show SERIAL --pem | token list | audit verify …
TXT
exec "$ESEAL" serve --listen "$listen"
