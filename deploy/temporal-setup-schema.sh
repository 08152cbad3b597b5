#!/bin/sh
# One-shot job (temporalio/admin-tools image): creates Temporal's two PostgreSQL
# databases if they are missing and brings their schemas to the version this
# admin-tools release ships. Safe on every `docker compose up`:
#   - `create` ignores a database that already exists,
#   - `setup-schema -v 0.0` never lowers a recorded schema version,
#   - `update-schema` applies only the versions not yet applied (this is also how
#     a Temporal upgrade migrates: bump the server and admin-tools tags together).
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS must be set}"
: "${POSTGRES_USER:?POSTGRES_USER must be set}"
: "${POSTGRES_PWD:?POSTGRES_PWD must be set}"
DB_PORT="${DB_PORT:-5432}"
DBNAME="${DBNAME:-temporal}"
VISIBILITY_DBNAME="${VISIBILITY_DBNAME:-temporal_visibility}"
SCHEMA_DIR="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
WAIT_SECONDS="${WAIT_SECONDS:-120}"

# temporal-sql-tool reads the password from SQL_PASSWORD; keeps it off the command line.
SQL_PASSWORD="$POSTGRES_PWD"
export SQL_PASSWORD

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

echo "temporal-setup-schema: waiting for ${POSTGRES_SEEDS}:${DB_PORT}"
waited=0
until nc -z -w 2 "$POSTGRES_SEEDS" "$DB_PORT"; do
  waited=$((waited + 2))
  if [ "$waited" -ge "$WAIT_SECONDS" ]; then
    echo "temporal-setup-schema: postgres not reachable after ${WAIT_SECONDS}s" >&2
    exit 1
  fi
  sleep 2
done

setup_database() {
  db="$1"
  versioned_dir="$2"
  echo "temporal-setup-schema: database ${db}"
  sql_tool --db "$db" create
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$versioned_dir"
}

setup_database "$DBNAME" "${SCHEMA_DIR}/temporal/versioned"
setup_database "$VISIBILITY_DBNAME" "${SCHEMA_DIR}/visibility/versioned"

echo "temporal-setup-schema: done"
