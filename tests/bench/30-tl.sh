#!/usr/bin/env bash
# 30-tl.sh: trust-list verification speed and memory.  One process
# (bench_tl) verifies LOTL 390 against the EU pointer of pivot 378 and every
# 2026 national list against LOTL 390's pointer for its territory; the
# xmlsec1 command line verifies the same files with the same pinned key
# (--pubkey-cert-pem, one process per file), in the same run.  Reports both
# times (best of several rounds), their ratio and bench_tl's peak RSS.
# Target: ratio <= 0.5, peak < 256 MB.
set -euo pipefail
SH="${XBRG_SHARED:-$(cd .. && pwd)/shared}/trustlists-real"
if [ ! -d "$SH" ]; then
	echo "30-tl: $SH absent: skipped"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BENCHBIN/bench_tl" -w "$tmp" -r 1 "$SH" >/dev/null
ours=$("$BENCHBIN/bench_tl" -r 5 "$SH")
echo "30-tl: xbrg in-process: $ours"
ours_s=$(sed -n 's/.*best_seconds \([0-9.]*\).*/\1/p' <<<"$ours")
rss_kb=$(sed -n 's/.*peak_rss_kb \([0-9]*\).*/\1/p' <<<"$ours")
ours_cpu=$(sed -n 's/.*cpu_seconds_per_round \([0-9.]*\).*/\1/p' <<<"$ours")
cli() {
	while read -r f pem; do
		xmlsec1 --verify --enabled-key-data rsa,ecdsa \
		    --id-attr:Id "http://uri.etsi.org/02231/v2#:TrustServiceStatusList" \
		    --id-attr:Id "http://uri.etsi.org/01903/v1.3.2#:SignedProperties" \
		    --pubkey-cert-pem "$pem" "$f" >/dev/null 2>&1 || true
	done < "$tmp/manifest"
}
best="" best_cpu=""
TIMEFORMAT='%R %U %S'
for r in 1 2 3; do
	{ time cli; } 2> "$tmp/time"
	read -r t u s < "$tmp/time"
	c=$(awk -v a="$u" -v b="$s" 'BEGIN{printf "%.4f", a+b}')
	if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then
		best=$t
	fi
	if [ -z "$best_cpu" ] || awk -v a="$c" -v b="$best_cpu" 'BEGIN{exit !(a<b)}'; then
		best_cpu=$c
	fi
done
n=$(wc -l < "$tmp/manifest")
ratio=$(awk -v a="$ours_s" -v b="$best" 'BEGIN{printf "%.2f", a/b}')
cratio=$(awk -v a="$ours_cpu" -v b="$best_cpu" 'BEGIN{printf "%.2f", a/b}')
echo "30-tl: xmlsec1 CLI, $n files, best of 3: ${best}s wall, ${best_cpu}s CPU"
echo "30-tl: xbrg: ${ours_s}s wall, ${ours_cpu}s CPU (one round)"
echo "30-tl: ratio xbrg/xmlsec1 = $ratio wall, $cratio CPU (target <= 0.50); peak RSS $((rss_kb / 1024)) MB (target < 256 MB)"
