#!/usr/bin/env bash
# Installs the npm packages the interop tests use (an SM2 implementation that
# shares no code with OpenSSL) into build/npm.  A no-op when present.
set -euo pipefail
dir=build/npm
want=sm-crypto@0.3.13
if [ -f "$dir/node_modules/sm-crypto/package.json" ]; then
	exit 0
fi
if ! command -v npm >/dev/null; then
	echo "npm-deps: npm missing (make deps installs nodejs and npm)" >&2
	exit 1
fi
mkdir -p "$dir"
echo "npm-deps: installing $want into $dir"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$want" \
	>/dev/null
