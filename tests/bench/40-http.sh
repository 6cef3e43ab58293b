#!/usr/bin/env bash
# make bench: POST /v1/validate throughput and latency with wrk (keep-alive,
# loopback, HTTP and HTTPS) beside `openssl speed ecdsap256` measured in the
# same run, and the server's resident memory over a 60-second HTTPS run.
#
# Workload: a warm ECDSA P-256 three-certificate chain (foreign-a: leaf,
# intermediate, root) with both CRLs supplied in the request, pinned "at",
# scenario e-invoicing, answered "recognized" (the dossier is submitted and
# approved by two reviewers first, over the API).
# Targets (issue 4): HTTPS throughput >= 0.6 x one core's ecdsap256 verify/s,
# p99 < 20 ms, RSS flat over 60 s.
# Env: XBRG, FIXTURES; BENCH_SECONDS (default 60), BENCH_CONNS (default 16).
set -euo pipefail
: "${XBRG:?}" "${FIXTURES:?}"
pki=$(cd "$FIXTURES/http" && pwd)
secs=${BENCH_SECONDS:-60}
conns=${BENCH_CONNS:-16}
cores=$(nproc)
tmp=$(mktemp -d /tmp/xbrg-bench-XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "40-http: wrk missing (make deps)"; exit 1; }

sha() { cat "$pki/$1.sha256"; }
# config NAME TLS(0/1)
config() {
	local tls
	if [ "$2" = 1 ]; then
		tls="\"tls\": {\"cert\": \"$pki/tls.pem\", \"key\": \"$pki/tls.key\", \"client_ca\": \"$pki/ca.pem\", \"crls\": [\"$pki/ca.crl.pem\"]},"
	else
		tls="\"plain_http\": true,"
	fi
	cat > "$tmp/$1.json" <<JSON
{"listen": {"address": "127.0.0.1", "port": 0}, $tls
 "users": [
  {"name": "submitter-a", "sha256": "$(sha submitter-a)", "role": "submitter", "tenant": "ca-a"},
  {"name": "reviewer-a", "sha256": "$(sha reviewer-a)", "role": "reviewer"},
  {"name": "reviewer-b", "sha256": "$(sha reviewer-b)", "role": "reviewer"}],
 "store": "$tmp/gw.db",
 "signer": {"key": "$pki/signer-sm2.key", "cert": "$pki/signer-sm2.pem"},
 "revocation_fetch": false,
 "limits": {"max_connections": 1024}}
JSON
}
# start NAME: runs the server, sets PORT and PID.
start() {
	"$XBRG" serve --config "$tmp/$1.json" > "$tmp/$1.out" 2> "$tmp/$1.log" &
	PID=$!
	pids+=("$PID")
	for _ in $(seq 100); do
		grep -q "listening on" "$tmp/$1.out" 2>/dev/null && break
		sleep 0.1
	done
	PORT=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$tmp/$1.out")
	[ -n "$PORT" ] || { cat "$tmp/$1.log"; exit 1; }
}

config tls 1
start tls
tls_port=$PORT tls_pid=$PID
base="https://127.0.0.1:$tls_port"
as() { curl -sS --cacert "$pki/ca.pem" --cert "$pki/$1.pem" --key "$pki/$1.key" "${@:2}"; }

# Submit and approve (four eyes) so that the chain is recognized.
id=$(as submitter-a -H 'Content-Type: application/json' \
	--data-binary @"$pki/dossier-a.json" "$base/v1/dossiers" |
	sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
[ -n "$id" ] || { echo "40-http: submission failed"; exit 1; }
for r in reviewer-a reviewer-b; do
	as $r -H 'Content-Type: application/json' --data \
		'{"action":"approve","comment":"bench","valid_until":"2029-12-01T00:00:00Z"}' \
		"$base/v1/dossiers/$id/reviews" > /dev/null
done

pem_json() {
	awk 'BEGIN { n = 0 } /-----BEGIN/ { if (n++) printf ","; printf "\"" }
	{ printf "%s\\n", $0 } /-----END/ { printf "\"" }' "$@"
}
b64() { base64 -w0 "$1"; }
fa="$pki/foreign-a"
printf '{"chain":[%s],"crls":["%s","%s"],"at":"2029-06-01T00:00:00Z","scenario":"e-invoicing"}' \
	"$(pem_json "$fa/leaf.pem" "$fa/int.pem" "$fa/root.pem")" \
	"$(b64 "$fa/int.crl.der")" "$(b64 "$fa/root.crl.der")" > "$tmp/body.json"
verdict=$(curl -sS --cacert "$pki/ca.pem" -H 'Content-Type: application/json' \
	--data-binary @"$tmp/body.json" "$base/v1/validate" |
	sed -n 's/^{"verdict":"\([^"]*\)".*/\1/p')
echo "40-http: warm-up verdict: $verdict (body $(wc -c < "$tmp/body.json") bytes)"
[ "$verdict" = recognized ] || { echo "40-http: expected recognized"; exit 1; }

cat > "$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$tmp/body.json", "rb")
wrk.body = f:read("*a")
f:close()
LUA

# Same-run reference: one core's ECDSA P-256 verifications per second.
speed=$(openssl speed -seconds 3 ecdsap256 2>/dev/null |
	awk '/256 bits ecdsa \(nistp256\)/ { print $NF }')
echo "40-http: openssl speed ecdsap256 (1 core): $speed verify/s"

# wrk_run URL SECONDS: prints "rps p50_ms p99_ms".
to_ms() {
	awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 }
	else if (v ~ /ms$/) { sub(/ms$/, "", v) }
	else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }'
}
wrk_run() {
	wrk -t2 -c"$conns" -d"$2"s --latency -s "$tmp/post.lua" "$1" > "$tmp/wrk.out"
	local rps p50 p99 errs
	rps=$(awk '/^Requests\/sec/ { print $2 }' "$tmp/wrk.out")
	p50=$(awk '$1 == "50%" { print $2 }' "$tmp/wrk.out" | to_ms)
	p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.out" | to_ms)
	errs=$(awk '/Non-2xx/ { print $NF }' "$tmp/wrk.out")
	[ -z "$errs" ] || echo "40-http: WARNING: $errs non-2xx replies" >&2
	echo "$rps $p50 $p99"
}

config plain 0
start plain
plain_port=$PORT
read -r h_rps h_p50 h_p99 < <(wrk_run "http://127.0.0.1:$plain_port/v1/validate" 15)
echo "40-http: HTTP  keep-alive, $conns conns, 15 s: $h_rps req/s, p50 $h_p50 ms, p99 $h_p99 ms"

# HTTPS for $secs seconds, sampling the server's VmRSS.
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$tls_pid/status"; }
rss0=$(rss)
cpu() { awk '{ print $14 + $15 }' "/proc/$tls_pid/stat"; }
cpu0=$(cpu)
(
	for _ in $(seq $((secs / 5))); do sleep 5; rss; done > "$tmp/rss.txt"
) &
pids+=($!)
read -r s_rps s_p50 s_p99 < <(wrk_run "$base/v1/validate" "$secs")
cpu1=$(cpu)
wait "${pids[-1]}" 2>/dev/null || true
nreq=$(awk '/requests in/ { print $1 }' "$tmp/wrk.out")
tck=$(getconf CLK_TCK)
us_req=$(awk -v c=$((cpu1 - cpu0)) -v t="$tck" -v n="$nreq" \
	'BEGIN { printf "%.0f", c / t * 1e6 / n }')
per_core=$(awk -v u="$us_req" 'BEGIN { printf "%.0f", 1e6 / u }')
samples=$(tr '\n' ' ' < "$tmp/rss.txt")
rss_first=$(sed -n 2p "$tmp/rss.txt")
rss_last=$(tail -n1 "$tmp/rss.txt")
echo "40-http: HTTPS keep-alive, $conns conns, $secs s: $s_rps req/s, p50 $s_p50 ms, p99 $s_p99 ms"
echo "40-http: HTTPS server VmRSS kB: before $rss0, every 5 s: $samples"

ratio=$(awk -v a="$s_rps" -v b="$speed" 'BEGIN { printf "%.2f", a / b }')
growth=$(awk -v a="$rss_first" -v b="$rss_last" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
ok() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo MISS; fi; }
echo
echo "40-http: /v1/validate, ECDSA P-256 3-cert chain + 2 CRLs, $cores cores shared with wrk"
printf '  %-46s %s\n' "HTTPS throughput / ecdsap256 verify (1 core):" \
	"$ratio (target >= 0.6) $(ok "$ratio >= 0.6")"
printf '  %-46s %s\n' "HTTPS p99 latency:" \
	"$s_p99 ms (target < 20) $(ok "$s_p99 < 20")"
printf '  %-46s %s\n' "RSS growth from 5 s to $secs s:" \
	"$growth % ($rss_first -> $rss_last kB; target flat, < 10 %) $(ok "$growth < 10")"
printf '  %-46s %s\n' "HTTPS server CPU per request:" \
	"$us_req us (= $per_core req/s per core; $(awk -v a="$per_core" -v b="$speed" 'BEGIN { printf "%.2f", a / b }') x ecdsap256)"
printf '  %-46s %s\n' "HTTP (plain) throughput:" "$h_rps req/s, p99 $h_p99 ms"
printf '  %-46s %s\n' "load average during the run:" "$(cut -d' ' -f1-3 /proc/loadavg)"
