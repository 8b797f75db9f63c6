#!/usr/bin/env bash
# Publishes sample requests (scripts/samples/*.json, each with a fresh request_id) to
# cloudconnect.attachment.requests, keyed by request_id, and prints each id. The producer is
# Kafka's console producer, given as the command to run:
#   scripts/publish-sample.sh [sample.json ...] -- <producer command and its options>
# scripts/run-local.sh runs it with the broker's jars, docker compose's publish-sample service with
# the Kafka image's kafka-console-producer.sh.
set -euo pipefail
SAMPLES_DIR="$(cd "$(dirname "$0")/samples" && pwd)"
samples=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do samples+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "usage: $0 [sample.json ...] -- <producer command>" >&2; exit 2; }
[ ${#samples[@]} -gt 0 ] || samples=(static-vpn.json)
stamp="$(date +%s)"
lines=""
for sample in "${samples[@]}"; do
  id="sample-${sample%.json}-$stamp"
  body="$(sed "s/REQUEST_ID/$id/" "$SAMPLES_DIR/$sample")"
  echo "$body" >&2
  lines+="$id|$body"$'\n'
  ids+=("$id")
done
printf '%s' "$lines" | "$@" --topic cloudconnect.attachment.requests \
  --property parse.key=true --property 'key.separator=|'
printf '%s\n' "${ids[@]}"
