#!/usr/bin/env bash
# Installs the validators the test suite runs on docs/asyncapi.yaml and the Kubernetes manifests
# (the AsyncAPI Initiative's parser, the kubernetes-models JSON Schemas), from the npm registry,
# pinned by scripts/node/package-lock.json. Needs node and npm (the machine's).
set -euo pipefail
DIR="$(cd "$(dirname "$0")/node" && pwd)"
if [ ! -f "$DIR/node_modules/.package-lock.json" ] || [ "$DIR/package-lock.json" -nt "$DIR/node_modules/.package-lock.json" ]; then
  echo "installing the contract and manifest validators (npm ci in scripts/node)"
  (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
