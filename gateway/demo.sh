#!/usr/bin/env bash
# make demo: generates the demo PKI into build/demo/ (once; delete the
# folder to start afresh), writes the gateway's configuration and runs
# `xbrg serve` over HTTPS on 127.0.0.1:${PORT:-8443} until interrupted.
# Env: XBRG (the binary), FIXTURES (unused here), PORT.
set -euo pipefail
: "${XBRG:?XBRG must name the xbrg binary}"
out=build/demo
port=${PORT:-8443}

if [ ! -f "$out/ca.pem" ] || [ fixtures/gen-40-demo.sh -nt "$out/ca.pem" ]; then
	echo "demo: generating the demo PKI into $out/"
	rm -rf "$out"
	bash fixtures/gen-40-demo.sh "$out"
fi

sha() { cat "$out/$1.sha256"; }
cat > "$out/config.json" <<JSON
{"listen": {"address": "127.0.0.1", "port": $port},
 "tls": {"cert": "tls.pem", "key": "tls.key", "client_ca": "ca.pem",
         "crls": ["ca.crl.pem"]},
 "users": [
  {"name": "submitter-a", "sha256": "$(sha submitter-a)", "role": "submitter", "tenant": "ca-a"},
  {"name": "submitter-b", "sha256": "$(sha submitter-b)", "role": "submitter", "tenant": "ca-b"},
  {"name": "reviewer-a", "sha256": "$(sha reviewer-a)", "role": "reviewer"},
  {"name": "reviewer-b", "sha256": "$(sha reviewer-b)", "role": "reviewer"},
  {"name": "admin", "sha256": "$(sha admin)", "role": "admin"}],
 "store": "gw.db",
 "signer": {"key": "signer-sm2.key", "cert": "signer-sm2.pem", "alg": "sm2"},
 "revocation_fetch": true,
 "limits": {"connection_timeout": 30, "max_connections": 512}}
JSON

base="https://127.0.0.1:$port"
c="curl -s --cacert $out/ca.pem"
as() { echo "$c --cert $out/$1.pem --key $out/$1.key"; }
cat <<TXT

xbrg demo gateway: $base
  files: $out/ (CA ca.pem, client certificates <role>.pem/.key, gateway
  tls.pem, decision signer signer-sm2.pem, example dossiers dossier-a.json,
  dossier-b.json, foreign PKIs foreign-a/ foreign-b/)

One command per role (README "HTTP API" walks through a whole review):
  submitter-a  $(as submitter-a) -H 'Content-Type: application/json' --data-binary @$out/dossier-a.json $base/v1/dossiers
  submitter-b  $(as submitter-b) $base/v1/dossiers
  reviewer-a   $(as reviewer-a) '$base/v1/dossiers?status=submitted'
  reviewer-b   $(as reviewer-b) $base/v1/whoami
  admin        $(as admin) $base/v1/admin/config
  relying party (no certificate)
               $c $base/v1/recognitions
  health       $c $base/healthz ; $c $base/metrics

Ctrl-C stops the gateway.
TXT
exec "$XBRG" serve --config "$out/config.json"
