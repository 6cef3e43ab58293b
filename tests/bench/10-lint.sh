#!/usr/bin/env bash
# Lint throughput: `xbrg lint` over the whole lint corpus on one core, its
# peak memory, the parse/check split (bench_lint), and `openssl speed`
# verify rates measured in the same run, as ratios.
# Targets: >= 2,500 certificates/s on one core; < 50 MB peak.
set -euo pipefail
SHARED="${XBRG_SHARED:-$(cd .. && pwd)/shared}"
corpus="$SHARED/conformance/lint-corpus/certs"
if [ ! -d "$corpus" ]; then
	echo "lint bench: skipped ($corpus absent)"
	exit 0
fi
mapfile -t files < <(find "$corpus" -name '*.pem' | sort)
n=${#files[@]}
rounds=10
# One invocation over the corpus repeated $rounds times: start-up (OpenSSL
# configuration, profile parsing) is paid once, as in a batch run.
args=()
for _ in $(seq "$rounds"); do args+=("${files[@]}"); done
total=$((n * rounds))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for prof in rfc5280 gmt0015 intl; do
	start=$(date +%s.%N)
	set +e
	taskset -c 0 /usr/bin/time -f '%M %e' -o "$tmp/time" \
		"$XBRG" lint --profile "$prof" --at 2024-01-01T00:00:00Z \
		"${args[@]}" >"$tmp/out.json"
	rc=$?
	set -e
	end=$(date +%s.%N)
	[ "$rc" -le 1 ] || { echo "xbrg lint failed ($rc)"; exit 1; }
	read -r kb _ < <(tail -1 "$tmp/time")
	rate=$(awk -v n="$total" -v s="$start" -v e="$end" \
		'BEGIN { printf "%.0f", n / (e - s) }')
	echo "xbrg lint --profile $prof: $total certificates, $rate certs/s" \
		"(one core), peak RSS $((kb / 1024)) MB"
	eval "rate_$prof=$rate"
done
taskset -c 0 /usr/bin/time -f '%M' -o "$tmp/time1" "$XBRG" lint \
	--at 2024-01-01T00:00:00Z "${files[@]}" >/dev/null || true
single_kb=$(tail -1 "$tmp/time1")
echo "peak RSS, whole corpus once ($n files): $((single_kb / 1024)) MB" \
	"(target < 50 MB)"
echo "target: >= 2500 certs/s: rfc5280 $([ "$rate_rfc5280" -ge 2500 ] && \
	echo met || echo MISSED)"
if [ -x "${BENCHBIN:-}/bench_lint" ]; then
	echo "-- split (bench_lint, one core):"
	taskset -c 0 "$BENCHBIN/bench_lint" "${files[@]}"
fi
echo "-- openssl speed (verify/s, one core, same run):"
speed=$(taskset -c 0 openssl speed -seconds 2 ecdsap256 rsa2048 sm2 \
	2>/dev/null)
v_ec=$(echo "$speed" | awk '/256 bits ecdsa \(nistp256\)/ {print $(NF)}' \
	| head -1)
v_rsa=$(echo "$speed" | awk '/^rsa 2048 bits/ {print $(NF)}' | head -1)
v_sm2=$(echo "$speed" | awk '/256 bits SM2/ {print $(NF)}' | head -1)
echo "ECDSA P-256 verify/s ${v_ec:-?}; RSA-2048 verify/s ${v_rsa:-?};" \
	"SM2 verify/s ${v_sm2:-?}"
for v in ec rsa sm2; do
	eval "val=\${v_$v:-}"
	[ -n "$val" ] && awk -v l="$rate_rfc5280" -v s="$val" -v n="$v" \
		'BEGIN { printf "lint rfc5280 / %s verify = %.2f\n", n, l / s }'
done
exit 0
