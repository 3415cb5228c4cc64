#!/usr/bin/env bash
# Applications carried end to end per second on SQLite (issue 7): through the staff and applicant
# API, each application is created, given its materials and identity check, submitted, paid
# (WeChat Pay sandbox, signed callback), invoiced (PDF), reviewed (claim, four verdicts, approve)
# and issued onto a blank soft SKF Ukey (SM2 key generated on it, certificate written, PIN SMS).
# In the same run and process, for comparison: enrollment alone onto the same kind of token, and
# the raw issuance rate of the same CA and store (what `eseal bench issue` measures, one thread).
#
#   bash bench/flow.sh [COUNT]      # applications, default 20
#
# Environment: BUILD (default build/debug; a release build gives the meaningful figures).
set -euo pipefail
COUNT=${1:-20}
[[ $COUNT =~ ^[0-9]+$ ]] && ((COUNT >= 1)) || { echo "usage: bash bench/flow.sh [COUNT]" >&2; exit 2; }
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$REPO/build/debug}
BIN=$BUILD/src/server/eseal_server_token_tests
if [[ ! -x $BIN ]]; then
    echo "flow.sh: building $BIN" >&2
    cmake --build "$BUILD" --target eseal_server_token_tests >&2
fi
echo "machine: $(nproc) cores, $(uname -m); build: $BUILD" >&2
ESEAL_FLOW_COUNT=$COUNT "$BIN" --gtest_also_run_disabled_tests --gtest_filter='Ukeys.DISABLED_FlowThroughput' 2>/dev/null |
    sed -n '/^flow:/,/raw issuance/p'
