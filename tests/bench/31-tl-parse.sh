#!/usr/bin/env bash
# Trust-list parsing speed: every real list of $XBRG_SHARED/trustlists-real
# (best of 5 each), hostile inputs refused, one tl_status() over all lists.
set -euo pipefail
real="${XBRG_SHARED:-$PWD/../shared}/trustlists-real"
if [ ! -d "$real" ]; then
	echo "tl-parse: $real absent, skipped"
	exit 0
fi
mapfile -t files < <(find "$real/lotl" "$real/tl-2019" "$real/tl-2023" \
	"$real/tl-2026" "$real/non-eu" "$real/v6-test-fixtures" -name '*.xml' | sort)
"$BENCHBIN/tl_parse_bench" "${files[@]}" | grep -v '^parse /'
