#!/usr/bin/env bash
# Runs once, when the postgres container initialises an EMPTY data volume
# (the official image's /docker-entrypoint-initdb.d hook). It gives Hookline its
# own login role and database, so the application never connects as the superuser.
# Temporal's databases (temporal, temporal_visibility) are created separately by
# deploy/temporal-setup-schema.sh.
#
# Changing HOOKLINE_DB_PASSWORD later does not alter an existing volume: run
#   ALTER ROLE hookline PASSWORD '...';
# yourself, or recreate the volume (docker compose down -v: this deletes all data).
set -euo pipefail

: "${HOOKLINE_DB_USER:?HOOKLINE_DB_USER must be set}"
: "${HOOKLINE_DB_PASSWORD:?HOOKLINE_DB_PASSWORD must be set}"
: "${HOOKLINE_DB_NAME:?HOOKLINE_DB_NAME must be set}"

# psql variables (:"ident" / :'literal') quote the values, so a password with
# quotes or backslashes cannot break or inject into the SQL.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
  -v db_user="$HOOKLINE_DB_USER" \
  -v db_password="$HOOKLINE_DB_PASSWORD" \
  -v db_name="$HOOKLINE_DB_NAME" <<'SQL'
CREATE ROLE :"db_user" LOGIN PASSWORD :'db_password';
CREATE DATABASE :"db_name" OWNER :"db_user";
-- Only the owner (and superusers) may connect; nobody else gets CONNECT/TEMP by default.
REVOKE ALL ON DATABASE :"db_name" FROM PUBLIC;
SQL

echo "hookline: created role \"$HOOKLINE_DB_USER\" and database \"$HOOKLINE_DB_NAME\""
