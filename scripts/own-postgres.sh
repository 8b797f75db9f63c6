#!/usr/bin/env bash
# A PostgreSQL cluster of a test's own (its own data directory and port, the machine's binaries),
# for scenarios that stop and start the database: tests never stop the machine's own cluster.
#
#   scripts/own-postgres.sh create DIR PORT PASSWORD DB   initdb, start, role cloudconnect + database
#   scripts/own-postgres.sh start|stop DIR                start or stop it (waits)
#   scripts/own-postgres.sh destroy DIR                   stop it and delete DIR
#
# initdb refuses to run as root, so the cluster runs as the postgres OS user when started by root.
set -euo pipefail
BIN="$(pg_config --bindir)"
action="$1"; dir="$2"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  create)
    port="$3"; password="$4"; db="$5"
    rm -rf "$dir"; mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$BIN/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
    cat >> "$dir/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
CONF
    echo "host all all 127.0.0.1/32 scram-sha-256" > "$dir/data/pg_hba.conf"
    echo "local all postgres trust" >> "$dir/data/pg_hba.conf"
    as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w start >/dev/null
    as_owner "$BIN/psql" -h "$dir" -p "$port" -U postgres -qtA -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE cloudconnect LOGIN PASSWORD '$password'" \
      -c "CREATE DATABASE $db OWNER cloudconnect" >/dev/null
    echo "own-postgres: ready on 127.0.0.1:$port ($dir)" >&2 ;;
  start) as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w start >/dev/null ;;
  stop) as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
  destroy)
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" ;;
  *) echo "usage: $0 create DIR PORT PASSWORD DB | start DIR | stop DIR | destroy DIR" >&2; exit 2 ;;
esac
