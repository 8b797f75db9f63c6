#!/usr/bin/env bash
# Quarkus dev mode (live reload, the Dev UI at /q/dev-ui) against the stand-alone emnify simulator.
#
#   scripts/dev.sh                  a real Kafka broker (scripts/kafka.sh) and the machine's PostgreSQL
#                                   (scripts/db-setup.sh, database cloudconnect), as run-local.sh uses
#   scripts/dev.sh --dev-services   Quarkus Dev Services start Kafka and PostgreSQL in containers
#                                   (needs a Docker or Podman engine)
#
# The simulator runs as its own process (log: .run/simulator-dev.log) at a 3 s status step and
# stops with dev mode. Further arguments go to quarkus:dev, e.g. -Dquarkus.http.port=8081 or
# -Dquarkus.console.enabled=false when there is no terminal. SIMULATOR_PORT picks another port
# (default 8089, the dev profile's emnify.api-url). quarkus:dev needs Maven 3.9: the Maven wrapper
# (./mvnw) runs Maven 3.9.9.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
DEV_SERVICES=false
if [ "${1:-}" = "--dev-services" ]; then DEV_SERVICES=true; shift; fi
SIMULATOR_PORT="${SIMULATOR_PORT:-8089}"
mkdir -p "$RUN"

if [ "$DEV_SERVICES" = false ]; then
  scripts/kafka.sh start
  scripts/db-setup.sh
  use_local_platform cloudconnect
else
  # every URL left unset: Dev Services start what is missing (and fail, naming Docker, without one)
  unset KAFKA_BOOTSTRAP_SERVERS QUARKUS_DATASOURCE_REACTIVE_URL QUARKUS_DATASOURCE_JDBC_URL
fi

SIMULATOR="$(scripts/start-simulator.sh "$SIMULATOR_PORT" "$RUN/simulator-dev.log")"
trap 'kill $SIMULATOR 2>/dev/null || true' EXIT
# Ctrl-C or a TERM ends the script through its EXIT trap, which stops what it started
trap 'exit 130' INT TERM
export EMNIFY_API_URL="http://127.0.0.1:$SIMULATOR_PORT"

# the status lookup, operator API and console with API tokens signed by the local key
use_operator_tokens "$RUN/operator"
echo "tokens for a day: scripts/operator-token.sh token .run/operator NAME status-reader|viewer|operator,psk-reader" >&2

# not exec: the trap stops the simulator when dev mode ends
./mvnw -ntp quarkus:dev "$@"
