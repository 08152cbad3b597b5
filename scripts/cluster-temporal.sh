#!/usr/bin/env bash
# The native Temporal server of the cluster (sourced by scripts/cluster.sh): built from go.temporal.io/server into
# .tools once, its PostgreSQL schemas made and upgraded with the server's own temporal-sql-tool, its four services
# started as separate processes from deploy/temporal-cluster/cluster.yaml.

TEMPORAL_SERVER_VERSION="1.32.0" # the server the pinned CLI's dev server embeds; 1.32.2 wants a newer Go than here
TEMPORAL_SERVER_DIR="$TOOLS_DIR/temporal-server/$TEMPORAL_SERVER_VERSION"
TEMPORAL_SERVICES=(history matching frontend worker) # start order: history owns the shards the others reach

# server and sql (temporal-sql-tool) from the Go module proxy, plus the schema files of the same module version.
ensure_temporal_server() {
  if [ -x "$TEMPORAL_SERVER_DIR/bin/server" ] && [ -x "$TEMPORAL_SERVER_DIR/bin/sql" ] && [ -d "$TEMPORAL_SERVER_DIR/schema" ]; then
    return 0
  fi
  command -v go >/dev/null || fail "building the Temporal server needs Go (go.dev/dl); install it and run the command again."
  say "building the Temporal server $TEMPORAL_SERVER_VERSION with go install (first time only: about 5 minutes)"
  mkdir -p "$TEMPORAL_SERVER_DIR/bin"
  GOBIN="$TEMPORAL_SERVER_DIR/bin" GOFLAGS=-mod=mod go install \
    "go.temporal.io/server/cmd/server@v$TEMPORAL_SERVER_VERSION" "go.temporal.io/server/cmd/tools/sql@v$TEMPORAL_SERVER_VERSION" >&2 \
    || fail "go install of go.temporal.io/server@v$TEMPORAL_SERVER_VERSION failed; see the output above."
  local module
  module="$(go mod download -json "go.temporal.io/server@v$TEMPORAL_SERVER_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
  rm -rf "$TEMPORAL_SERVER_DIR/schema.tmp"
  cp -r "$module/schema/postgresql/v12" "$TEMPORAL_SERVER_DIR/schema.tmp" && chmod -R u+w "$TEMPORAL_SERVER_DIR/schema.tmp"
  mv "$TEMPORAL_SERVER_DIR/schema.tmp" "$TEMPORAL_SERVER_DIR/schema"
}

# The environment cluster.yaml is rendered from (ports from the cluster's base port, databases, shard count).
export_temporal_cluster_env() {
  export NUM_HISTORY_SHARDS=8
  export POSTGRES_PORT="$HOOKLINE_PG_PORT"
  export TEMPORAL_DB=temporal_cluster TEMPORAL_VISIBILITY_DB=temporal_cluster_visibility
  export FRONTEND_PORT=$((CLUSTER_BASE_PORT + 33)) HISTORY_PORT=$((CLUSTER_BASE_PORT + 34))
  export MATCHING_PORT=$((CLUSTER_BASE_PORT + 35)) TEMPORAL_WORKER_PORT=$((CLUSTER_BASE_PORT + 39))
  export DYNAMIC_CONFIG_FILE="$HOOKLINE_ROOT/deploy/temporal-dynamicconfig.yaml"
  export TEMPORAL_CLUSTER_ADDRESS="127.0.0.1:$FRONTEND_PORT"
  TEMPORAL_UI_PORT=$((CLUSTER_BASE_PORT + 8))
}

# Idempotent: create ignores an existing database, setup-schema -v 0.0 never lowers a version, update applies the rest.
ensure_temporal_schema() {
  local db dir
  for pair in "$TEMPORAL_DB:temporal" "$TEMPORAL_VISIBILITY_DB:visibility"; do
    db="${pair%%:*}" dir="$TEMPORAL_SERVER_DIR/schema/${pair#*:}/versioned"
    local sql=("$TEMPORAL_SERVER_DIR/bin/sql" --plugin postgres12 --ep 127.0.0.1 -p "$POSTGRES_PORT" -u postgres --db "$db")
    "${sql[@]}" create-database >>"$CLUSTER_LOGS/schema.log" 2>&1 || true
    "${sql[@]}" setup-schema -v 0.0 >>"$CLUSTER_LOGS/schema.log" 2>&1 || fail "temporal-sql-tool setup-schema failed for $db; see $CLUSTER_LOGS/schema.log."
    "${sql[@]}" update-schema -d "$dir" >>"$CLUSTER_LOGS/schema.log" 2>&1 || fail "temporal-sql-tool update-schema failed for $db; see $CLUSTER_LOGS/schema.log."
  done
}

start_temporal_service() {
  start_process "temporal-$1" "$TEMPORAL_SERVER_DIR/bin/server" --config-file "$HOOKLINE_ROOT/deploy/temporal-cluster/cluster.yaml" \
    --allow-no-auth start --service "$1"
}

temporal_cli() { "$TEMPORAL_CLI_PATH" --address "$TEMPORAL_CLUSTER_ADDRESS" "$@" </dev/null; }

# On a fresh database every service writes the cluster's metadata record at start, and the ones that lose that race
# exit ("failed to initialize current cluster metadata", seen in CI). So the first service starts alone and the
# others follow once the record is there.
wait_for_cluster_metadata() {
  local deadline=$(($(date +%s) + 60))
  until [ "$(psql -h 127.0.0.1 -p "$HOOKLINE_PG_PORT" -U postgres -d "$TEMPORAL_DB" -tAc 'SELECT count(*) FROM cluster_metadata_info' 2>/dev/null)" -ge 1 ] 2>/dev/null; do
    running "temporal-${TEMPORAL_SERVICES[0]}" || fail "the Temporal ${TEMPORAL_SERVICES[0]} service exited; see $CLUSTER_LOGS/temporal-${TEMPORAL_SERVICES[0]}.log."
    [ "$(date +%s)" -lt "$deadline" ] || fail "the cluster's metadata was not written within 60 s; see $CLUSTER_LOGS/temporal-${TEMPORAL_SERVICES[0]}.log."
    sleep 0.5
  done
}

wait_for_temporal_frontend() {
  local deadline=$(($(date +%s) + 120))
  until temporal_cli operator cluster health >/dev/null 2>&1; do
    local service
    for service in "${TEMPORAL_SERVICES[@]}"; do
      running "temporal-$service" || fail "the Temporal $service service exited; see $CLUSTER_LOGS/temporal-$service.log."
    done
    [ "$(date +%s)" -lt "$deadline" ] || fail "the cluster's Temporal frontend did not answer within 120 s; see $CLUSTER_LOGS/temporal-*.log."
    sleep 0.5
  done
}

# A frontend that answers health checks may still refuse starts while history acquires its shards and the namespace
# cache fills (a fresh cluster's first POST /v1/events answered 503). Up means a workflow start is accepted: one probe
# workflow (no worker polls its queue), terminated at once.
wait_for_workflow_starts() {
  local deadline=$(($(date +%s) + 120)) id
  for (( ; ; )); do
    id="cluster-readiness-$(date +%s%N)"
    if temporal_cli workflow start --namespace default --type readiness-probe --task-queue cluster-readiness --workflow-id "$id" >/dev/null 2>&1; then
      temporal_cli workflow terminate --namespace default --workflow-id "$id" --reason "readiness probe" >/dev/null 2>&1 || true
      return 0
    fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "the cluster's Temporal did not accept a workflow start within 120 s; see $CLUSTER_LOGS/temporal-*.log."
    sleep 1
  done
}

# Namespace and search attributes through the same script the compose stack runs (one rule, one home).
register_namespace() {
  local cli_dir
  cli_dir="$(dirname "$TEMPORAL_CLI_PATH")"
  PATH="$cli_dir:$PATH" TEMPORAL_ADDRESS="$TEMPORAL_CLUSTER_ADDRESS" TEMPORAL_NAMESPACE=default \
    sh "$HOOKLINE_ROOT/deploy/register-search-attributes.sh" >>"$CLUSTER_LOGS/register.log" 2>&1 \
    || fail "registering the namespace and search attributes failed; see $CLUSTER_LOGS/register.log."
}

# The Temporal UI: github.com/temporalio/ui-server from the Go module proxy (its module carries the built UI), the
# version docker-compose.yml's temporalio/ui image runs, configured by the same variables as that image (its
# config/docker.yaml). Optional: when it cannot be built the cluster runs without it and says so.
TEMPORAL_UI_VERSION="2.49.1"
TEMPORAL_UI_DIR="$TOOLS_DIR/temporal-ui/$TEMPORAL_UI_VERSION"

ensure_temporal_ui() {
  [ -x "$TEMPORAL_UI_DIR/bin/server" ] && [ -f "$TEMPORAL_UI_DIR/config/docker.yaml" ] && return 0
  say "building the Temporal UI $TEMPORAL_UI_VERSION with go install (first time only)"
  mkdir -p "$TEMPORAL_UI_DIR/bin"
  if ! GOBIN="$TEMPORAL_UI_DIR/bin" go install "github.com/temporalio/ui-server/v2/cmd/server@v$TEMPORAL_UI_VERSION" >>"$CLUSTER_LOGS/ui-build.log" 2>&1; then
    say "the Temporal UI could not be built (see $CLUSTER_LOGS/ui-build.log); the cluster runs without it"
    return 1
  fi
  local module
  module="$(go mod download -json "github.com/temporalio/ui-server/v2@v$TEMPORAL_UI_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
  rm -rf "$TEMPORAL_UI_DIR/config" && cp -r "$module/config" "$TEMPORAL_UI_DIR/config" && chmod -R u+w "$TEMPORAL_UI_DIR/config"
}

start_temporal_ui() {
  # The image's config (docker.yaml) binds every interface; this one, loopback only, as every cluster process.
  { cat "$TEMPORAL_UI_DIR/config/docker.yaml"; echo 'host: 127.0.0.1'; } >"$TEMPORAL_UI_DIR/config/cluster.yaml"
  TEMPORAL_ADDRESS="$TEMPORAL_CLUSTER_ADDRESS" TEMPORAL_UI_PORT="$TEMPORAL_UI_PORT" TEMPORAL_DEFAULT_NAMESPACE=default \
    TEMPORAL_CODEC_ENDPOINT="http://127.0.0.1:${API_PORTS[0]}/codec" \
    start_process temporal-ui "$TEMPORAL_UI_DIR/bin/server" --root "$TEMPORAL_UI_DIR" --config config --env cluster start
}
