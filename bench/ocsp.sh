#!/usr/bin/env bash
# OCSP and CRL benchmarks (bench/README.md, "OCSP responder and CRL generation"). Not a test.
#
#   ESEAL=build/release/src/app/eseal bash bench/ocsp.sh
#
# 1. OCSP requests per second over HTTP on loopback, measured with wrk, one run each, in this order:
#    eseal GET  (pre-signed answer, the RFC 5019 fast path)
#    eseal POST (pre-signed answer: no nonce, one CertID)
#    eseal POST with a fresh nonce per request (signed on the spot)
#    openssl ocsp -index ... -port ... (the same certificate; it signs every answer)
#    nginx serving a static file of the same size as eseal's answer (the ceiling for a
#    pre-signed answer over HTTP on this machine)
# 2. CRL generation time and size with 100 000 and 1 000 000 revoked entries: `eseal ca crl`
#    (end to end: process start, key, store read, build, sign, store write) against
#    `openssl ca -gencrl` on an index.txt with the same entries. The store is filled with direct
#    SQL inserts (a recursive CTE in sqlite3) into a temporary home: rows that look like revoked
#    certificates of the benchmark CA (serial, times, reason; a placeholder DER).
#
# Knobs: DURATION (seconds per wrk run, default 10), CONNECTIONS (default 64; OPENSSL_CONNECTIONS,
# default 8, for the runs against openssl's responder, which stalls with 64), WRK_THREADS
# (default 1), SERVER_THREADS (eseal, openssl -multi and nginx workers; default 2),
# CRL_SIZES (default "100000 1000000"). Bounded: each wrk run stops after DURATION; all traffic
# goes to 127.0.0.1 (eseal and nginx listen there only; `openssl ocsp -port` cannot be given an
# address and binds every interface); every server started here is stopped by its PID.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ESEAL=${ESEAL:-$root/build/release/src/app/eseal}
ESEAL=$(realpath "$ESEAL")
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-1}
SERVER_THREADS=${SERVER_THREADS:-2}
OPENSSL_CONNECTIONS=${OPENSSL_CONNECTIONS:-8}
CRL_SIZES=${CRL_SIZES-"100000 1000000"}

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx)
command -v sqlite3 >/dev/null || need+=(sqlite3)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -x "$ESEAL" ] || { echo "no eseal binary at $ESEAL (make build PRESET=release)"; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export ESEAL_HOME="$work/home"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
rate() { sed -n 's/^Requests\/sec: *//p' "$1"; }
latency() { awk '/Latency/ {print $2; exit}' "$1"; }
errors() { grep -E 'Non-2xx|Socket errors' "$1" | tr '\n' ' ' || true; }

echo "== setup: an ECDSA P-256 hierarchy, one certificate"
"$ESEAL" -q ca init --algo ecdsa-p256 --name bench >/dev/null
"$ESEAL" ca export bench --out ca.pem
"$ESEAL" ca export bench-root --out root.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ee.key 2>/dev/null
openssl req -new -utf8 -key ee.key -subj "/C=CN/ST=广东省/L=深圳市/O=深圳市示例科技有限公司/organizationIdentifier=91350100M000100Y43" -out ee.csr
"$ESEAL" -q ca issue --csr ee.csr --ca bench --out ee.pem

# --- 1. OCSP -------------------------------------------------------------------------------------
port=$(free_port)
"$ESEAL" -q serve --listen "127.0.0.1:$port" --threads "$SERVER_THREADS" --no-access-log >serve.out 2>serve.err &
pids+=($!)
wait_port "$port"
openssl ocsp -issuer ca.pem -cert ee.pem -no_nonce -reqout plain.req >/dev/null 2>&1
openssl ocsp -issuer ca.pem -cert ee.pem -nonce -reqout nonce.req >/dev/null 2>&1
b64=$(base64 -w0 plain.req | sed -e 's|+|%2B|g' -e 's|/|%2F|g' -e 's|=|%3D|g')
curl -s -o answer.der "http://127.0.0.1:$port/ocsp/$b64"
openssl ocsp -respin answer.der -issuer ca.pem -cert ee.pem -CAfile root.pem -verify_other ca.pem >check.txt 2>&1
grep -q "ee.pem: good" check.txt || { echo "eseal's answer does not check out:"; cat check.txt; exit 1; }
size=$(stat -c %s answer.der)
echo "   eseal's pre-signed answer: $size bytes"

# wrk scripts: POST a file; POST with the nonce's 16 bytes (the request's last 16) made anew each time.
cat >post.lua <<EOF
local f = io.open("$work/plain.req", "rb"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body; wrk.headers["Content-Type"] = "application/ocsp-request"
EOF
cat >nonce.lua <<EOF
local f = io.open("$work/nonce.req", "rb"); local body = f:read("*a"); f:close()
local prefix = body:sub(1, #body - 16)
wrk.method = "POST"; wrk.headers["Content-Type"] = "application/ocsp-request"
math.randomseed(os.time())
request = function()
  local t = {}
  for i = 1, 16 do t[i] = string.char(math.random(0, 255)) end
  return wrk.format(nil, nil, nil, prefix .. table.concat(t))
end
EOF
run_wrk() {  # name url [script [extra wrk arguments...]]
  local out="wrk-$1.txt" name=$1 url=$2
  shift 2
  local script=()
  if [ -n "${1:-}" ]; then script=(-s "$1"); fi
  shift || true
  timeout $((DURATION + 30)) wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${script[@]}" "$@" "$url" >"$out" 2>&1 || true
  printf '   %-48s %10s req/s   p50 %-8s %s\n' "$name" "$(rate "$out")" "$(latency "$out")" "$(errors "$out")"
}
echo "== OCSP over HTTP: wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s, servers with $SERVER_THREADS threads/processes, 2 cores shared with wrk"
run_wrk "eseal GET, pre-signed" "http://127.0.0.1:$port/ocsp/$b64"
run_wrk "eseal POST, pre-signed" "http://127.0.0.1:$port/ocsp" post.lua
run_wrk "eseal POST, nonce (signed per request)" "http://127.0.0.1:$port/ocsp" nonce.lua
eseal_pid=${pids[-1]}

# openssl's responder on the same certificate, signing with the CA key itself. OpenSSL 3.0's
# responder answers wrk only with -multi (forked children) and one request per connection
# (Connection: close): a single process, or keep-alive, stalls at 0 requests. After one wrk run
# its children spin at 100% CPU, serve nothing more and ignore SIGTERM: so each run gets a fresh
# responder, stopped afterwards with SIGKILL by PID.
expiry=$(date -u -d "$(openssl x509 -in ee.pem -noout -enddate | cut -d= -f2)" +%y%m%d%H%M%SZ)
serial=$(openssl x509 -in ee.pem -noout -serial | cut -d= -f2)
printf 'V\t%s\t\t%s\tunknown\t/CN=bench\n' "$expiry" "$serial" >index.txt
openssl pkey -in "$ESEAL_HOME/keys/bench.key.pem" -passin "file:$ESEAL_HOME/secrets/ca-passphrase" -out ca.key
start_openssl() {  # [multi]: a fresh responder on a new port; sets oport and opid
  oport=$(free_port)
  local multi=()
  if [ -n "${1:-}" ]; then multi=(-multi "$1"); fi
  : >"openssl-ocsp-$oport.log"
  openssl ocsp -index index.txt -port "$oport" -rsigner ca.pem -rkey ca.key -CA ca.pem -nmin 60 \
    "${multi[@]}" >"openssl-ocsp-$oport.log" 2>&1 &
  opid=$!
  pids+=($opid)
  # Not probed with a connection: one that closes without a request wedges a -multi child.
  for _ in $(seq 1 100); do grep -q ACCEPT "openssl-ocsp-$oport.log" && break; sleep 0.1; done
  sleep 0.5
}
stop_openssl() {
  for child in $(ps -o pid= --ppid "$opid"); do kill -9 "$child" 2>/dev/null || true; done
  kill -9 "$opid" 2>/dev/null || true
  wait "$opid" 2>/dev/null || true
}
start_openssl  # single process, for the check
openssl ocsp -issuer ca.pem -cert ee.pem -url "http://127.0.0.1:$oport" -CAfile root.pem -verify_other ca.pem >ocheck.txt 2>&1 || true
grep -q "ee.pem: good" ocheck.txt || { echo "openssl ocsp responder does not answer:"; cat ocheck.txt openssl-ocsp-*.log; exit 1; }
stop_openssl
saved_connections=$CONNECTIONS
CONNECTIONS=$OPENSSL_CONNECTIONS
start_openssl "$SERVER_THREADS"
run_wrk "openssl ocsp -multi $SERVER_THREADS, POST, close, c$CONNECTIONS" "http://127.0.0.1:$oport/" post.lua -H "Connection: close"
stop_openssl
start_openssl "$SERVER_THREADS"
run_wrk "openssl ocsp -multi $SERVER_THREADS, POST+nonce, close, c$CONNECTIONS" "http://127.0.0.1:$oport/" nonce.lua -H "Connection: close"
stop_openssl
run_wrk "eseal POST, pre-signed, close, c$CONNECTIONS" "http://127.0.0.1:$port/ocsp" post.lua -H "Connection: close"
run_wrk "eseal POST+nonce, close, c$CONNECTIONS" "http://127.0.0.1:$port/ocsp" nonce.lua -H "Connection: close"
CONNECTIONS=$saved_connections
kill "$eseal_pid"; wait "$eseal_pid" 2>/dev/null || true

# nginx: a static file of the same size, same GET path length.
mkdir -p www/ocsp nginx/logs nginx/tmp
b64url=$(base64 -w0 plain.req | tr '+/' '-_')  # the same length; a name nginx can serve as a file
head -c "$size" /dev/urandom >"www/ocsp/$b64url"
chmod -R o+rX "$work"
nport=$(free_port)
cat >nginx/nginx.conf <<EOF
worker_processes $SERVER_THREADS;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nport;
    location /ocsp/ { root $work/www; default_type application/ocsp-response; }
  }
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
wait_port "$nport"
[ "$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$nport/ocsp/$b64url")" = "$size" ] || { echo "nginx does not serve the file"; exit 1; }
run_wrk "nginx static file ($size bytes)" "http://127.0.0.1:$nport/ocsp/$b64url"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

eseal_get=$(rate "wrk-eseal GET, pre-signed.txt")
nginx_rate=$(rate "wrk-nginx static file ($size bytes).txt")
python3 -c "print('   eseal GET pre-signed / nginx static: %.0f%% (target: at least 70%%)' % (100*$eseal_get/$nginx_rate))"

# --- 2. CRL generation ---------------------------------------------------------------------------
echo "== CRL generation (ECDSA P-256 CA)"
db="$ESEAL_HOME/eseal.db"
cat >ca.cnf <<EOF
[ ca ]
default_ca = bench
[ bench ]
database = $work/crl-index.txt
crlnumber = $work/crlnumber
certificate = $work/ca.pem
private_key = $work/ca.key
default_md = sha256
default_crl_days = 1
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF
filled=0
for n in $CRL_SIZES; do
  add=$((n - filled))
  # Revoked rows of the benchmark CA: serial 7 followed by 31 hex digits, revoked in 2026.
  sqlite3 "$db" "PRAGMA synchronous=OFF;
    WITH RECURSIVE i(x) AS (SELECT $filled + 1 UNION ALL SELECT x + 1 FROM i WHERE x < $n)
    INSERT INTO certificates(serial, ca, profile, subject, organization, credit_code, person_name, person_id,
      key_sha256, not_before, not_after, issued_at, status, revoked_at, revocation_reason, der)
    SELECT printf('7%031x', x), 'bench', 'org', 'CN=bench ' || x, 'bench', '', '', '', printf('%064x', x),
      '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'revoked',
      '2026-06-01T00:00:00Z', 'keyCompromise', x'00' FROM i;
    DELETE FROM crls WHERE ca = 'bench';"
  filled=$n
  start=$(date +%s.%N)
  "$ESEAL" -q ca crl bench --out "eseal-$n.crl"
  end=$(date +%s.%N)
  eseal_s=$(python3 -c "print('%.2f' % ($end - $start))")
  entries=$(openssl crl -inform DER -in "eseal-$n.crl" -noout -text | grep -c 'Serial Number:' || true)
  # openssl ca: the same entries in its index.txt (R, expiry, revocation date and reason, serial).
  awk -v n="$n" 'BEGIN { for (x = 1; x <= n; x++) printf "R\t270101000000Z\t260601000000Z,keyCompromise\t7%031X\tunknown\t/CN=bench %d\n", x, x }' >crl-index.txt
  echo 01 >crlnumber
  start=$(date +%s.%N)
  openssl ca -config ca.cnf -gencrl -out "openssl-$n.crl" 2>/dev/null
  end=$(date +%s.%N)
  openssl_s=$(python3 -c "print('%.2f' % ($end - $start))")
  openssl crl -in "openssl-$n.crl" -outform DER -out "openssl-$n.der"
  printf '   %8d entries: eseal ca crl %6ss  %9d bytes (%d entries, DER)   openssl ca -gencrl %6ss  %9d bytes (DER)\n' \
    "$n" "$eseal_s" "$(stat -c %s "eseal-$n.crl")" "$entries" "$openssl_s" "$(stat -c %s "openssl-$n.der")"
  openssl crl -inform DER -in "eseal-$n.crl" -CAfile ca.pem -noout 2>&1 | grep -q "verify OK" || echo "   (eseal's CRL did not verify!)"
done
