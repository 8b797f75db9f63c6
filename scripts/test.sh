#!/usr/bin/env bash
# Runs the whole test suite against a real Kafka broker and a real PostgreSQL database.
# Starts the broker (scripts/kafka.sh), installs the console test's browser (scripts/browser.sh) and
# the contract and manifest validators (scripts/node-checks.sh), prepares the test database
# (scripts/db-setup.sh), and starts a local container registry (scripts/registry.sh) that the
# package phase pushes the Jib image to, on a base image of this machine's Java runtime
# (scripts/jre-base-image.py: the production base cannot be pulled here); packaging/ContainerImageIT
# runs that image as the Deployment does.
# Extra arguments go to Maven, e.g.  scripts/test.sh -Dtest=ProvisioningFlowTest
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/kafka.sh" start --own
"$ROOT/scripts/browser.sh"
"$ROOT/scripts/node-checks.sh"
"$ROOT/scripts/registry.sh" start
[ -f "$ROOT/.run/jre-base.tar" ] || python3 "$ROOT/scripts/jre-base-image.py" "$ROOT/.run/jre-base.tar"
[ -n "${QUARKUS_DATASOURCE_PASSWORD:-}" ] && export DB_PASSWORD="$QUARKUS_DATASOURCE_PASSWORD"
DB_NAME=cloudconnect_test "$ROOT/scripts/db-setup.sh"
DB_NAME=cloudconnect_reliability "$ROOT/scripts/db-setup.sh"

# the password scripts/db-setup.sh set for the role (generated once per checkout)
use_local_platform cloudconnect_test

exec "$ROOT/mvnw" -B -ntp verify \
  -Dquarkus.container-image.push=true -Dquarkus.container-image.registry=127.0.0.1:5000 \
  -Dquarkus.container-image.insecure=true -Dquarkus.jib.base-jvm-image="tar://$ROOT/.run/jre-base.tar" \
  "$@"
