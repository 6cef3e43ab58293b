#!/usr/bin/env bash
# 20-validate.sh: path validation throughput.  Chains/s through
# val_chain_check() (what xbrg validate and the gateway use) beside bare
# X509_verify_cert() on the same parsed chains with the same flags, and
# beside `openssl speed` verify rates measured in the same run.
#
# Ratios printed:
#   overhead   bare chains/s / xbrg chains/s - 1 (target: at most 25%)
#   of-speed   xbrg chains/s / (openssl speed verify/s / signatures per
#              chain): how close to the signature-bound ceiling we are.
#              Signatures per chain: 2 (leaf, intermediate; the anchor is
#              not verified), 4 with CRLs (+ root and ICA CRLs; for SM2
#              these are OpenSSL's own, failing, ID-less checks: xbrg
#              verified the SM2 CRLs once beforehand with
#              val_crls_sm2_prepare()); 6 for sm2+crl-noprep, where xbrg
#              verifies both SM2 CRLs on every call.
# Env: BENCHBIN (bench programs), FIXTURES.  BENCH_SECONDS per case
# (default 2).  Single-threaded; bench_chain counts chains per CPU-second
# of its thread (openssl speed counts user CPU time too).
set -euo pipefail

secs=${BENCH_SECONDS:-2}
pki="$FIXTURES/pki"

speed=$(openssl speed -seconds 1 ecdsap256 rsa2048 sm2 2>/dev/null)
v_rsa=$(awk '/^rsa 2048 bits/ { print $NF }' <<<"$speed")
v_p256=$(awk '/ecdsa \(nistp256\)/ { print $NF }' <<<"$speed")
v_sm2=$(awk '/SM2 \(CurveSM2\)/ { print $NF }' <<<"$speed")
echo "openssl speed verify/s (1 core): rsa2048 $v_rsa, ecdsap256 $v_p256," \
    "sm2 $v_sm2"

"$BENCHBIN/bench_chain" "$pki" "$secs" | while read -r _ name _ bare _ xbrg _ ovh; do
	case $name in
	sm2)		v=$v_sm2 sigs=2 ;;
	sm2+crl)	v=$v_sm2 sigs=4 ;;
	sm2+crl-noprep)	v=$v_sm2 sigs=6 ;;
	p256)		v=$v_p256 sigs=2 ;;
	p256+crl)	v=$v_p256 sigs=4 ;;
	rsa)		v=$v_rsa sigs=2 ;;
	rsa+crl)	v=$v_rsa sigs=4 ;;
	esac
	of=$(awk -v x="$xbrg" -v v="$v" -v s="$sigs" \
	    'BEGIN { printf "%.0f%%", 100 * x / (v / s) }')
	printf 'validate %-14s xbrg %6s chains/s  bare %6s  overhead %7s  ' \
	    "$name" "$xbrg" "$bare" "$ovh"
	printf 'of-speed %s (ceiling %.0f/s)\n' "$of" \
	    "$(awk -v v="$v" -v s="$sigs" 'BEGIN { print v / s }')"
done
