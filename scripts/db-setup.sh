#!/usr/bin/env bash
# Prepares the service's own PostgreSQL role and database (with a password, as production has),
# starting the machine's PostgreSQL cluster first if it is down. Idempotent.
#
#   DB_NAME (default cloudconnect)  DB_USER (default cloudconnect)
#   DB_PASSWORD (default: a random password generated once per checkout, kept in .run/db-password;
#   whatever password is set is written there, for scripts/test.sh and scripts/run-local.sh)
#   PGHOST/PGPORT for the admin connection (default 127.0.0.1:5432, trust auth as user postgres)
set -euo pipefail

DB_NAME="${DB_NAME:-cloudconnect}"
DB_USER="${DB_USER:-cloudconnect}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PASSWORD_FILE="$ROOT/.run/db-password"
mkdir -p "$ROOT/.run"
if [ -z "${DB_PASSWORD:-}" ]; then
  [ -s "$PASSWORD_FILE" ] || head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$PASSWORD_FILE"
  DB_PASSWORD="$(cat "$PASSWORD_FILE")"
else
  printf '%s' "$DB_PASSWORD" > "$PASSWORD_FILE"
fi
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}"

admin() { psql -v ON_ERROR_STOP=1 -qtA -U "${PGADMIN:-postgres}" -d postgres "$@"; }

if ! pg_isready -q; then
  echo "postgres: not answering on $PGHOST:$PGPORT, starting the local cluster" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 60); do pg_isready -q && break; sleep 0.5; done
fi

admin -v user="$DB_USER" -v pass="$DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'user', :'pass')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'user', :'pass') \gexec
SQL
admin -v db="$DB_NAME" -v user="$DB_USER" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
echo "postgres: database $DB_NAME ready for role $DB_USER on $PGHOST:$PGPORT" >&2
