#!/usr/bin/env bash
# Runs the whole test suite against a real Kafka broker and a real PostgreSQL database.
# Starts the broker (scripts/kafka.sh), installs the console test's browser (scripts/browser.sh) and
# prepares the test database (scripts/db-setup.sh) first.
# Extra arguments go to Maven, e.g.  scripts/test.sh -Dtest=ProvisioningFlowTest
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/kafka.sh" start
"$ROOT/scripts/browser.sh"
"$ROOT/scripts/node-checks.sh"
[ -n "${QUARKUS_DATASOURCE_PASSWORD:-}" ] && export DB_PASSWORD="$QUARKUS_DATASOURCE_PASSWORD"
DB_NAME=cloudconnect_test "$ROOT/scripts/db-setup.sh"
DB_NAME=cloudconnect_reliability "$ROOT/scripts/db-setup.sh"

export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
export QUARKUS_DATASOURCE_USERNAME="${QUARKUS_DATASOURCE_USERNAME:-cloudconnect}"
# the password scripts/db-setup.sh set for the role (generated once per checkout)
export QUARKUS_DATASOURCE_PASSWORD="$(cat "$ROOT/.run/db-password")"
export QUARKUS_DATASOURCE_REACTIVE_URL="${QUARKUS_DATASOURCE_REACTIVE_URL:-postgresql://127.0.0.1:5432/cloudconnect_test}"
export QUARKUS_DATASOURCE_JDBC_URL="${QUARKUS_DATASOURCE_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/cloudconnect_test}"

exec mvn -B -ntp verify "$@"
