#!/usr/bin/env bash
# Signed decisions (sign/verify, SM2 and ECDSA P-256) and revocation checks
# with supplied CRLs, one thread; beside `openssl speed` for the same
# algorithms measured in the same run.
set -euo pipefail
"$BENCHBIN/bench_decision" "$FIXTURES" "${BENCH_SECONDS:-2}"
openssl speed -seconds "${BENCH_SECONDS:-2}" ecdsap256 sm2 2>/dev/null | \
	grep -E '^ +[0-9]+ bits (ecdsa|SM2)|sign/s' | sed 's/^/openssl speed: /'
