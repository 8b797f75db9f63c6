#!/usr/bin/env bash
# Runs cloudconnect-provisioner locally against a real Kafka broker and a real PostgreSQL, with the
# emnify simulator (its own process, scripts/emnify-simulator.sh) as its upstream; publishes a
# static (type 2) and a BGP (type 3) sample request and prints the two resulting result events.
# Then keeps the service and the simulator running (Ctrl-C stops them), unless --once is given.
#
#   scripts/run-local.sh [--once]
#   HTTP_PORT (default 8080)   KAFKA_PORT (default 9092)   SIMULATOR_PORT (default 8089)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
ONCE=false
[ "${1:-}" = "--once" ] && ONCE=true
HTTP_PORT="${HTTP_PORT:-8080}"
SIMULATOR_PORT="${SIMULATOR_PORT:-8089}"
MANAGEMENT_PORT="${MANAGEMENT_PORT:-9000}"
mkdir -p "$RUN"

step() { printf '\n==> %s\n' "$*" >&2; }

step "Kafka broker"
scripts/kafka.sh start
step "PostgreSQL role and database"
scripts/db-setup.sh

step "Building the service (./mvnw package)"
"$ROOT/mvnw" -q -B -ntp package -DskipTests

# a key that seals pre-shared keys at rest; kept across local runs
[ -f "$RUN/psk.key" ] || (umask 077; head -c 32 /dev/urandom | base64 > "$RUN/psk.key")
chmod 600 "$RUN/psk.key"
require_free_port "$HTTP_PORT" HTTP_PORT
require_free_port "$MANAGEMENT_PORT" MANAGEMENT_PORT
require_free_port "$SIMULATOR_PORT" SIMULATOR_PORT

step "Starting the emnify simulator on :$SIMULATOR_PORT (log: .run/simulator.log)"
SIMULATOR="$(scripts/start-simulator.sh "$SIMULATOR_PORT" "$RUN/simulator.log")"
trap 'kill $SIMULATOR 2>/dev/null || true' EXIT
# Ctrl-C or a TERM ends the script through its EXIT trap, which stops what it started
trap 'exit 130' INT TERM

step "Starting the service on :$HTTP_PORT (log: .run/service.log)"
export QUARKUS_HTTP_PORT="$HTTP_PORT" QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT"
use_local_platform cloudconnect
# the packaged service runs with production settings: plain http only because this is the simulator
export EMNIFY_API_URL="http://127.0.0.1:$SIMULATOR_PORT" EMNIFY_ALLOW_PLAIN_HTTP=true
export EMNIFY_APPLICATION_TOKEN=simulator-application-token
export CLOUDCONNECT_POLL_INTERVAL=2s
# the simulator runs at a 3 s status step (Active after about 9 s): first look scaled to match
export CLOUDCONNECT_POLLING_FIRST_LOOK_AFTER=6s
export CLOUDCONNECT_SECRETS_PSK_KEY="$(cat "$RUN/psk.key")"
# the local broker has no TLS listener: plaintext only because it is this machine's own
export CLOUDCONNECT_KAFKA_ALLOW_PLAINTEXT=true
# the operator API, status lookup and console on, with API tokens signed by the local key (kept
# across local runs)
use_operator_tokens "$RUN/operator"
STATUS_TOKEN="$(scripts/operator-token.sh token "$RUN/operator" local-portal status-reader 1)"
# the JVM options the service ships with (src/main/jib/deployments/jvm.options)
MALLOC_ARENA_MAX=2 java @src/main/jib/deployments/jvm.options -jar target/quarkus-app/quarkus-run.jar \
  > "$RUN/service.log" 2>&1 &
SERVICE=$!
echo "$SERVICE" > "$RUN/service.pid"
trap 'kill $SERVICE $SIMULATOR 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVICE" 2>/dev/null || { echo "the service exited; see .run/service.log" >&2; tail -30 "$RUN/service.log" >&2; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null || { echo "service not ready" >&2; exit 1; }

step "Publishing two sample requests (scripts/samples) to cloudconnect.attachment.requests"
mapfile -t IDS < <(scripts/publish-sample.sh static-vpn.json bgp-vpn.json -- \
  scripts/kafka.sh tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")
STATIC="${IDS[0]}"
BGP="${IDS[1]}"

step "Waiting for both to become Active at the (simulated) emnify (a few seconds)"
for id in "$STATIC" "$BGP"; do
  for _ in $(seq 1 120); do
    state="$(curl -fs -H "Authorization: Bearer $STATUS_TOKEN" "http://127.0.0.1:$HTTP_PORT/attachments/$id" | sed -n 's/.*"state":"\([A-Z_]*\)".*/\1/p' || true)"
    [ "$state" = READY ] || [ "$state" = FAILED ] && break
    sleep 1
  done
  echo "GET /attachments/$id -> $(curl -fs -H "Authorization: Bearer $STATUS_TOKEN" "http://127.0.0.1:$HTTP_PORT/attachments/$id")" >&2
done

step "Result events on cloudconnect.attachment.events (headers, key, CloudEvent data)"
scripts/kafka.sh tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" \
  --topic cloudconnect.attachment.events --from-beginning --timeout-ms 8000 \
  --property print.headers=true --property print.key=true 2>/dev/null | grep -E "$STATIC|$BGP" || {
    echo "no result events found; see .run/service.log" >&2; exit 1; }

if $ONCE; then
  step "Done (--once): stopping the service"
  exit 0
fi
TOKEN="$(scripts/operator-token.sh token "$RUN/operator" local-operator operator,psk-reader 1)"
step "The service keeps running on http://127.0.0.1:$HTTP_PORT (status: /attachments/{request_id} with a status-reader token), health and metrics on http://127.0.0.1:$MANAGEMENT_PORT (/q/health, /q/metrics), the simulator on http://127.0.0.1:$SIMULATOR_PORT. Ctrl-C stops both.
    Operator console: http://127.0.0.1:$HTTP_PORT/console/  (token for a day, roles operator and psk-reader:)
$TOKEN"
wait "$SERVICE"
