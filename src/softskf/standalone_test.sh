#!/bin/sh
# Runs standalone_test (pure C, skf.h + libeseal_softskf.so only) against a fresh device that
# eseal-softskf-admin makes in a temporary ESEAL_SOFTSKF_DIR.
# Usage: standalone_test.sh PATH/TO/eseal-softskf-admin PATH/TO/standalone_test
set -eu
admin=$1
program=$2
root=$(mktemp -d "${TMPDIR:-/tmp}/softskf-standalone.XXXXXX")
trap 'rm -rf "$root"' EXIT INT TERM
"$admin" create "$root/ukey-1" --serial SOFTSKF0001 --label "standalone test"
ESEAL_SOFTSKF_DIR=$root "$program"
"$admin" info "$root/ukey-1"
