#!/usr/bin/env bash
# Issuance throughput: eseal (1 thread and one per core) against `openssl ca` and the raw
# single-core signature rate of `openssl speed`, for SM2 and ECDSA P-256. See bench/README.md.
#
#   bash bench/issue.sh [COUNT]      # COUNT CSRs per algorithm, default 2000
#
# Environment: ESEAL=path/to/eseal (default build/release/src/app/eseal, built if missing),
# TMPDIR (where the CSRs, eseal homes and the openssl CA live; it is removed at the end).
# Progress goes to stderr, the results to stdout.
set -euo pipefail

COUNT=${1:-2000}
if ! [[ $COUNT =~ ^[0-9]+$ ]] || ((COUNT < 1)); then
    echo "usage: bash bench/issue.sh [COUNT]   (COUNT: CSRs per algorithm, default 2000)" >&2
    exit 2
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NPROC=$(nproc)
# Workers for the many-thread run: more than cores, so that while some wait for a commit's disk
# sync (group commit) others compute. Per-core figures still divide by NPROC.
THREADS=${THREADS:-$((4 * NPROC))}
DISTID=1234567812345678                       # the default SM2 ID (GB/T 32918, GM/T 0009)
SUBJECT_TAIL="organizationIdentifier=91350100M000100Y43"
SPEED_SECONDS=3

log() { printf '%s\n' "$*" >&2; }
die() { log "issue.sh: $*"; exit 1; }

command -v openssl >/dev/null || die "openssl not found"
OPENSSL_VERSION=$(openssl version)
[[ $OPENSSL_VERSION =~ ^OpenSSL\ 3\. ]] || die "needs OpenSSL 3.x (for -sigopt/-vfyopt distid), found: $OPENSSL_VERSION"

# --- the eseal binary -------------------------------------------------------------------------
if [[ -n ${ESEAL:-} ]]; then
    [[ -x $ESEAL ]] || die "ESEAL=$ESEAL is not an executable"
else
    ESEAL=$REPO/build/release/src/app/eseal
    if [[ ! -x $ESEAL ]]; then
        log "== $ESEAL missing: building it (release preset)"
        (cd "$REPO" && cmake --preset release >&2 && cmake --build build/release --target eseal >&2)
    fi
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/eseal-bench.XXXXXX")
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
FSTYPE=$(stat -f -c %T "$WORK")

# The CA key passphrase for the throw-away eseal homes (keeps it out of DIR/secrets).
ESEAL_CA_PASSPHRASE=$(openssl rand -hex 16)
export ESEAL_CA_PASSPHRASE

now() { printf '%s\n' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
div() { # A B -> A / B, or n/a unless both are numbers (a failed run's cell is "failed")
    if [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ && $2 =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
        awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'
    else
        printf 'n/a'
    fi
}
# row W1 W2 ... -- CELL1 CELL2 ...: one Markdown table row, first cell left-aligned, the rest right.
row() {
    local w=() c
    while [[ $1 != -- ]]; do w+=("$1"); shift; done
    shift
    local i=0 line="|"
    for c; do
        if ((i == 0)); then line+=$(printf ' %-*s |' "${w[i]}" "$c"); else line+=$(printf ' %*s |' "${w[i]}" "$c"); fi
        i=$((i + 1))
    done
    printf '%s\n' "$line"
}
rule() { # W1 W2 ...: the Markdown header rule
    local line="|" w
    for w; do line+=$(printf -- '-%.0s' $(seq 1 $((w + 2))))"|"; done
    printf '%s\n' "$line"
}
fmt_rate() { # RATE [UNIT]: rounded, with UNIT; anything else (failed, n/a) as it is
    if [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]]; then printf '%.0f%s' "$1" "${2:-}"; else printf '%s' "${1:-n/a}"; fi
}

# --- 1. CSRs: COUNT per algorithm, each with its own key, generated in parallel (not timed) ----
cat >"$WORK/gen.sh" <<'EOF'
#!/usr/bin/env bash
# gen.sh DIR ALGO INDEX...: one key and one CSR per index; the key itself is not kept.
set -euo pipefail
dir=$1 algo=$2; shift 2
for i; do
    if [[ $algo == sm2 ]]; then
        key=(-newkey sm2 -sigopt "distid:$DISTID")
    else
        key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
    fi
    out=$(printf '%s/%06d.csr' "$dir" "$i")
    openssl req -new "${key[@]}" -noenc -keyout /dev/null \
        -subj "/C=CN/ST=Guangdong/L=Shenzhen/O=Org $i/$SUBJECT_TAIL" -out "$out.tmp" 2>/dev/null \
        || { echo "openssl req failed for $algo CSR $i" >&2; exit 255; }
    mv "$out.tmp" "$out"
done
n=$(find "$dir" -name '*.csr' | wc -l)
echo "   $algo CSRs: $n/$TOTAL" >&2
EOF
export DISTID SUBJECT_TAIL
export TOTAL=$COUNT

gen_csrs() { # ALGO DIR
    local algo=$1 dir=$2 batch
    mkdir -p "$dir"
    batch=$(( COUNT / (NPROC * 8) ))
    ((batch < 1)) && batch=1
    ((batch > 100)) && batch=100
    seq 1 "$COUNT" | xargs -P "$NPROC" -n "$batch" bash "$WORK/gen.sh" "$dir" "$algo"
    local n
    n=$(find "$dir" -name '*.csr' | wc -l)
    ((n == COUNT)) || die "generated $n of $COUNT $algo CSRs"
}

# --- 2a. eseal: fresh home, ca init, bench issue ---------------------------------------------
# Sets ESEAL_RATE (eseal's own figure: the issuance loop only) and ESEAL_WALL (the whole
# `bench issue` process: start-up, opening the store and CA key, reading the CSRs, issuing).
eseal_run() { # ALGO CSR_DIR THREADS
    local algo=$1 dir=$2 threads=$3 home out t0 t1
    home=$WORK/eseal-$algo-t$threads
    ESEAL_RATE=failed ESEAL_WALL=n/a
    if ! "$ESEAL" -q --home "$home" ca init --algo "$algo" --name bench >"$WORK/init.out" 2>"$WORK/init.err"; then
        log "!! eseal ca init --algo $algo failed:"; cat "$WORK/init.err" >&2
        FAILURES+=("eseal ca init --algo $algo: $(tr '\n' ' ' <"$WORK/init.err")")
        return 0
    fi
    t0=$(now)
    if ! out=$("$ESEAL" -q --home "$home" bench issue --ca bench --csr-dir "$dir" --threads "$threads" 2>"$WORK/bench.err"); then
        log "!! eseal bench issue ($algo, $threads thread(s)) failed:"
        [[ -z $out ]] || printf '%s\n' "$out" >&2
        cat "$WORK/bench.err" >&2
        FAILURES+=("eseal bench issue $algo --threads $threads: $(tr '\n' ' ' <"$WORK/bench.err")")
        return 0
    fi
    t1=$(now)
    log "   $out"
    [[ -s $WORK/bench.err ]] && { log "   (stderr:)"; cat "$WORK/bench.err" >&2; }
    ESEAL_RATE=$(sed -n 's/.*: \([0-9.e+]*\) per second.*/\1/p' <<<"$out")
    [[ -n $ESEAL_RATE ]] || { ESEAL_RATE=failed; FAILURES+=("cannot parse eseal output: $out"); return 0; }
    ESEAL_RATE=$(awk -v r="$ESEAL_RATE" 'BEGIN { printf "%.1f", r }')
    ESEAL_WALL=$(awk -v n="$COUNT" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }')
    rm -rf "$home"
}

# --- 2b. openssl ca: its own root of the same algorithm, every CSR in one process -------------
# Sets OSSL_RATE (whole-process wall clock) and OSSL_ISSUED.
openssl_ca_run() { # ALGO CSR_DIR
    local algo=$1 dir=$2 ca=$WORK/openssl-ca-$1 md newkey=() opts=() t0 t1 rc=0
    mkdir -p "$ca/newcerts"
    : >"$ca/index.txt"
    echo 01 >"$ca/serial"
    if [[ $algo == sm2 ]]; then
        md=sm3 newkey=(-newkey sm2) opts=(-sigopt "distid:$DISTID" -vfyopt "distid:$DISTID")
    else
        md=sha256 newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
    fi
    openssl req -x509 -new "${newkey[@]}" -noenc -keyout "$ca/ca.key" \
        ${opts[0]:+"${opts[@]:0:2}"} -"$md" -days 3650 \
        -subj "/C=CN/O=openssl-bench/CN=openssl bench $algo CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$ca/ca.pem" 2>"$ca/req.log" || { cat "$ca/req.log" >&2; die "cannot make the openssl $algo root"; }
    cat >"$ca/openssl.cnf" <<EOF
[ ca ]
default_ca = bench_ca

[ bench_ca ]
dir              = $ca
database         = \$dir/index.txt
new_certs_dir    = \$dir/newcerts
certificate      = \$dir/ca.pem
private_key      = \$dir/ca.key
serial           = \$dir/serial
default_md       = $md
default_days     = 365
policy           = policy_anything
unique_subject   = no
copy_extensions  = none
email_in_dn      = no
x509_extensions  = leaf_ext

[ policy_anything ]
countryName            = optional
stateOrProvinceName    = optional
localityName           = optional
organizationName       = optional
organizationalUnitName = optional
organizationIdentifier = optional
commonName             = optional

# What eseal's org profile puts in (less certificatePolicies and the like).
[ leaf_ext ]
basicConstraints       = critical,CA:FALSE
keyUsage               = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
crlDistributionPoints  = URI:http://localhost:8080/crl/bench.crl
authorityInfoAccess    = OCSP;URI:http://localhost:8080/ocsp
EOF
    local files=()
    mapfile -t files < <(cd "$dir" && ls -- *.csr)
    t0=$(now)
    (cd "$dir" && openssl ca -batch -config "$ca/openssl.cnf" -notext "${opts[@]}" \
        -out "$ca/issued.pem" -infiles "${files[@]}") >"$ca/ca.log" 2>&1 || rc=$?
    t1=$(now)
    OSSL_ISSUED=$(grep -c '' "$ca/index.txt" || true)
    log "   openssl ca exit status $rc, issued $OSSL_ISSUED of $COUNT in $(elapsed "$t0" "$t1") s"
    OSSL_RATE=failed
    if ((OSSL_ISSUED > 0)); then
        OSSL_RATE=$(awk -v n="$OSSL_ISSUED" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }')
    fi
    if ((rc != 0 || OSSL_ISSUED != COUNT)); then
        local first
        first=$(grep -m1 -iE 'error|did not match|failed' "$ca/ca.log" || true)
        log "!! openssl ca ($algo) issued $OSSL_ISSUED of $COUNT (exit $rc); first problem: ${first:-?}"
        FAILURES+=("openssl ca $algo: issued $OSSL_ISSUED of $COUNT (exit $rc): ${first:-?}")
        OSSL_RATE="${OSSL_RATE}*"
    fi
    rm -rf "$ca/newcerts" "$ca/issued.pem"
}

# --- 2c. openssl speed: raw single-core sign/s and verify/s ----------------------------------
speed_run() { # SPEED_ALGO -> sets RAW_SIGN, RAW_VERIFY
    local line
    line=$(openssl speed -mr -seconds "$SPEED_SECONDS" -elapsed "$1" 2>/dev/null | grep '^+F' | tail -1)
    [[ -n $line ]] || die "openssl speed $1 produced no result"
    # +F4:k:bits:sign/s:verify/s (ecdsa), +F7:k:bits:curve:sign/s:verify/s (sm2)
    RAW_SIGN=$(awk -F: '{ printf "%.1f", $(NF-1) }' <<<"$line")
    RAW_VERIFY=$(awk -F: '{ printf "%.1f", $NF }' <<<"$line")
}

# --- run -------------------------------------------------------------------------------------
FAILURES=()
declare -A R
log "== eseal issuance benchmark: $COUNT CSRs per algorithm, nproc $NPROC, $OPENSSL_VERSION"
log "== eseal: $ESEAL"
log "== work dir $WORK ($FSTYPE)"

for algo in sm2 ecdsa-p256; do
    log "== generating $COUNT $algo CSRs (distinct keys, $NPROC parallel jobs; not timed)"
    t0=$(now)
    gen_csrs "$algo" "$WORK/csr-$algo"
    log "   done in $(elapsed "$t0" "$(now)") s"
done

# How busy the machine is without us (anything else running skews the figures).
cpu_sample() { # SECONDS -> "idle I%, steal S%" over that many seconds
    local a b
    a=$(head -1 /proc/stat); sleep "$1"; b=$(head -1 /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {
        n = split(a, x, " "); split(b, y, " "); t = 0
        for (i = 2; i <= 9; i++) t += y[i] - x[i]   # user..steal (guest is inside user)
        if (t <= 0) { print "idle ?"; exit }
        printf "idle %.0f%%, steal %.0f%%", 100 * (y[5] - x[5]) / t, 100 * (y[9] - x[9]) / t }'
}
busy_seconds() { # CPU seconds all processes have used since boot (user..softirq)
    awk -v hz="$(getconf CLK_TCK)" '/^cpu / { print ($2 + $3 + $4 + $7 + $8) / hz }' /proc/stat
}
our_seconds() { # VAR: CPU seconds used by this script's finished children (and theirs)
    # `times` must run in this shell: in a $(...) subshell it would report the subshell's.
    times >"$WORK/times"
    printf -v "$1" '%s' "$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, p, "m"); s += p[1] * 60 + p[2] } print s }' "$WORK/times")"
}
IDLE_BEFORE=$(cpu_sample 3)
log "== CPU before measuring (3 s, nothing of ours running): $IDLE_BEFORE"
our_seconds OURS0; BUSY0=$(busy_seconds) WALL0=$(now)
for algo in sm2 ecdsa-p256; do
    dir=$WORK/csr-$algo
    log "== $algo: eseal, 1 thread"
    eseal_run "$algo" "$dir" 1
    R[$algo,e1]=$ESEAL_RATE R[$algo,e1wall]=$ESEAL_WALL
    log "== $algo: eseal, $THREADS threads on $NPROC cores"
    eseal_run "$algo" "$dir" "$THREADS"
    R[$algo,eN]=$ESEAL_RATE R[$algo,eNwall]=$ESEAL_WALL
    log "== $algo: openssl ca -batch -infiles ($COUNT CSRs, one process)"
    openssl_ca_run "$algo" "$dir"
    R[$algo,ossl]=$OSSL_RATE
    speed_name=$([[ $algo == sm2 ]] && echo sm2 || echo ecdsap256)
    log "== $algo: openssl speed -seconds $SPEED_SECONDS -elapsed $speed_name"
    speed_run "$speed_name"
    R[$algo,sign]=$RAW_SIGN R[$algo,verify]=$RAW_VERIFY
    log "   sign/s $RAW_SIGN, verify/s $RAW_VERIFY"
done

our_seconds OURS1; BUSY1=$(busy_seconds) WALL1=$(now)
OTHERS=$(awk -v b0="$BUSY0" -v b1="$BUSY1" -v o0="$OURS0" -v o1="$OURS1" -v w0="$WALL0" -v w1="$WALL1" -v n="$NPROC" \
    'BEGIN { o = (b1 - b0) - (o1 - o0); if (o < 0) o = 0
             printf "%.1f CPU s of %.0f s x %d cores (%.0f%%)", o, w1 - w0, n, 100 * o / ((w1 - w0) * n) }')

# --- report ----------------------------------------------------------------------------------
echo
echo "eseal issuance benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "$COUNT CSRs per algorithm; nproc $NPROC; $OPENSSL_VERSION; $(uname -sm); work dir on $FSTYPE"
echo "CPU in the 3 s before measuring: $IDLE_BEFORE; used by other processes while measuring: $OTHERS"
echo "(both should be near 0, else the figures are skewed by whatever else runs on this machine)"
echo
W1=(10 14 15 14 10 19 20 21)
row "${W1[@]}" -- algorithm "eseal 1 thread" "eseal $THREADS threads" "eseal per core" "openssl ca" \
    "raw sign/s (1 core)" "eseal-per-core / raw" "eseal 1t / openssl-ca"
rule "${W1[@]}"
declare -A PERCORE
for algo in sm2 ecdsa-p256; do
    per_core=$(div "${R[$algo,eN]}" "$NPROC")
    PERCORE[$algo]=$per_core
    row "${W1[@]}" -- "$algo" \
        "$(fmt_rate "${R[$algo,e1]}")" "$(fmt_rate "${R[$algo,eN]}")" "$(fmt_rate "$per_core")" \
        "$(fmt_rate "${R[$algo,ossl]}")" "$(fmt_rate "${R[$algo,sign]}")" \
        "$(div "$per_core" "${R[$algo,sign]}")" "$(div "${R[$algo,e1]}" "${R[$algo,ossl]%\*}")"
done
echo
echo "Certificates per second. eseal figures are eseal's own (the issuance loop: CSR parsed and"
echo "its signature verified, policy checks, certificate built and signed, SQLite commit with"
echo "synchronous=FULL shared by group commit, audit row). 'openssl ca' is the wall clock of one"
echo "'openssl ca -batch -notext -infiles ...' process (start-up and CA key load included), which"
echo "also verifies each CSR's signature and signs, but writes index.txt, the serial file and the"
echo "certificates WITHOUT fsync and keeps no audit log: it is not durable, eseal is."
for algo in sm2 ecdsa-p256; do
    if [[ ${R[$algo,ossl]} == *\* ]]; then
        echo "* $algo: openssl ca did not issue all $COUNT certificates; the rate counts those it issued."
    fi
done
echo
echo "Process wall clock of 'eseal bench issue' (start-up, store and CA key opened, CSR files read):"
for algo in sm2 ecdsa-p256; do
    echo "  $algo: 1 thread $(fmt_rate "${R[$algo,e1wall]}" /s), $THREADS threads $(fmt_rate "${R[$algo,eNwall]}" /s)"
done
echo
echo "Issuance verifies the CSR's signature and makes one signature, so one core can at best do"
echo "1 / (1/sign + 1/verify) per second (the raw ceiling):"
W2=(10 12 16 24 34)
row "${W2[@]}" -- algorithm "raw verify/s" "raw ceiling/core" "eseal per core / ceiling" \
    "target: per core >= 0.5 x raw sign"
rule "${W2[@]}"
for algo in sm2 ecdsa-p256; do
    ceiling=$(awk -v s="${R[$algo,sign]}" -v v="${R[$algo,verify]}" 'BEGIN { printf "%.1f", 1 / (1 / s + 1 / v) }')
    per_core=${PERCORE[$algo]}
    if [[ $per_core == n/a ]]; then
        verdict="n/a (eseal failed)"
    else
        verdict=$(awk -v p="$per_core" -v s="${R[$algo,sign]}" \
            'BEGIN { printf "%s (%.0f vs %.0f)", (p >= 0.5 * s ? "met" : "NOT met"), p, 0.5 * s }')
    fi
    row "${W2[@]}" -- "$algo" "$(fmt_rate "${R[$algo,verify]}")" \
        "$(fmt_rate "$ceiling")" "$(div "$per_core" "$ceiling")" "$verdict"
done

if ((${#FAILURES[@]})); then
    echo
    echo "Problems:"
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    exit 1
fi
