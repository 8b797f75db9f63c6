# Shared by the scripts (sourced, not run): where things are, whether a port is taken, and the
# settings that point the service or the tests at this machine's broker and PostgreSQL.
#   . "$(dirname "$0")/lib.sh"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$ROOT/.run"

# true when something accepts connections on HOST:PORT (default host 127.0.0.1)
listening() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

# fails, naming the setting that picks another port, when PORT is taken
require_free_port() {
  if listening "$1"; then
    echo "port $1 is taken; set $2 to a free port" >&2
    return 1
  fi
}

# the local broker and database DB (created by scripts/db-setup.sh, role cloudconnect, password in
# .run/db-password); values already set in the environment win
use_local_platform() {
  local db="$1"
  export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:${KAFKA_PORT:-9092}}"
  export QUARKUS_DATASOURCE_USERNAME="${QUARKUS_DATASOURCE_USERNAME:-cloudconnect}"
  QUARKUS_DATASOURCE_PASSWORD="$(cat "$RUN/db-password")"
  export QUARKUS_DATASOURCE_PASSWORD
  export QUARKUS_DATASOURCE_REACTIVE_URL="${QUARKUS_DATASOURCE_REACTIVE_URL:-postgresql://127.0.0.1:5432/$db}"
  export QUARKUS_DATASOURCE_JDBC_URL="${QUARKUS_DATASOURCE_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/$db}"
}

# the status lookup, operator API and console on, with API tokens signed by the key in DIR (its
# public half, issuer and audience: QUARKUS_OIDC_PUBLIC_KEY, _TOKEN_ISSUER, _TOKEN_AUDIENCE)
use_operator_tokens() {
  local name value
  "$ROOT/scripts/operator-token.sh" keys "$1" local >/dev/null
  export QUARKUS_OIDC_TENANT_ENABLED=true
  while IFS='=' read -r name value; do export "$name=$value"; done \
    < <("$ROOT/scripts/operator-token.sh" settings "$1")
}
