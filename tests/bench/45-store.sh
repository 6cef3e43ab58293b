#!/usr/bin/env bash
# The service layer and store (tests/bench/bench_store.c): dossier
# submission with its automated checks, four-eyes approval with an SM2
# decision, the relying-party recognition lookup, audit-chain verification.
set -euo pipefail
"$BENCHBIN/bench_store" "$FIXTURES" "${BENCH_SECONDS:-2}"
