#!/usr/bin/env bash
# `npm run cluster`: Hookline's production topology on this machine, natively: a multi-service Temporal server on
# PostgreSQL (scripts/cluster-temporal.sh), two Hookline workers and two API replicas, each its own process on a
# loopback port of this checkout. `up` starts whatever is not running (so it also restarts a killed service) and is
# quick when everything runs; `down` stops it all (`down NAME...` only those); `kill NAME` SIGKILLs one process (the fault specs);
# `restart-postgres`; `env` prints where everything listens. Data and logs live in .data/cluster.
set -euo pipefail
HOOKLINE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$HOOKLINE_ROOT/scripts/bootstrap.sh"
cd "$HOOKLINE_ROOT"

CLUSTER_DIR="$DATA_DIR/cluster"
CLUSTER_LOGS="$CLUSTER_DIR/logs"
CLUSTER_RUN="$CLUSTER_DIR/run"
# A block of 100 ports per checkout, derived from its path as the test PostgreSQL's port is; below 32668, because
# Temporal stores each service's membership port (+100) in a smallint column.
CLUSTER_BASE_PORT="${HOOKLINE_CLUSTER_BASE_PORT:-$((20000 + ($(printf '%s' "$DATA_DIR" | cksum | cut -d' ' -f1) % 100) * 100))}"
API_PORTS=($((CLUSTER_BASE_PORT + 80)) $((CLUSTER_BASE_PORT + 81)))
WORKER_METRICS_PORTS=($((CLUSTER_BASE_PORT + 64)) $((CLUSTER_BASE_PORT + 65)))
HOOKLINE_CLUSTER_DB=hookline_cluster
# shellcheck source=scripts/cluster-temporal.sh
source "$HOOKLINE_ROOT/scripts/cluster-temporal.sh"

pid_of() { cat "$CLUSTER_RUN/$1.pid" 2>/dev/null || true; }
running() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

# Starts NAME in its own session (so it outlives this script) unless it already runs; output to logs/NAME.log.
start_process() {
  local name="$1"
  shift
  running "$name" && return 0
  printf '\n--- started %s\n' "$(date -u +%FT%TZ)" >>"$CLUSTER_LOGS/$name.log"
  setsid "$@" >>"$CLUSTER_LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER_RUN/$name.pid"
}

stop_process() {
  local name="$1" signal="${2:-TERM}" pid
  pid="$(pid_of "$name")"
  [ -n "$pid" ] || return 0
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$CLUSTER_RUN/$name.pid"
}

# The secrets every Hookline process of the cluster shares, made once.
ensure_cluster_secrets() {
  local secrets="$CLUSTER_DIR/secrets.env"
  if [ ! -s "$secrets" ]; then
    printf 'HOOKLINE_ADMIN_TOKEN=%s\nHOOKLINE_ENCRYPTION_KEY=%s\n' "$(node -p 'crypto.randomBytes(24).toString("hex")')" \
      "$(node -p 'crypto.randomBytes(32).toString("base64")')" >"$secrets"
  fi
  set -a; source "$secrets"; set +a
}

hookline_env() {
  export DATABASE_URL="postgres://postgres@127.0.0.1:$HOOKLINE_PG_PORT/$HOOKLINE_CLUSTER_DB" DATABASE_POOL_MAX=10
  export TEMPORAL_ADDRESS="$TEMPORAL_CLUSTER_ADDRESS" TEMPORAL_NAMESPACE=default HOOKLINE_TASK_QUEUE=hookline
  export HOST=127.0.0.1 LOG_LEVEL="${LOG_LEVEL:-info}" NODE_ENV=production
  # Tests and the benchmark deliver to receivers on loopback over http.
  export HOOKLINE_ALLOW_HTTP=true HOOKLINE_ALLOW_PRIVATE_DESTINATIONS=true HOOKLINE_SDK_METRICS_PORT=0
  # A retry schedule of seconds, so the retry specs and fault runs settle quickly; production's is 5s … 10h.
  # The Temporal UI decodes Hookline's encrypted payloads through api-1's /codec.
  export HOOKLINE_CODEC_ORIGINS="http://127.0.0.1:$TEMPORAL_UI_PORT"
  export HOOKLINE_RETRY_SCHEDULE="${HOOKLINE_CLUSTER_RETRY_SCHEDULE:-1s,1s,2s}" HOOKLINE_RETRY_JITTER=0
}

ensure_hookline_database() {
  local admin="postgres://postgres@127.0.0.1:$HOOKLINE_PG_PORT/postgres"
  node -e 'const {Client}=require("pg");(async()=>{const c=new Client(process.argv[1]);await c.connect();
    const r=await c.query("select 1 from pg_database where datname=$1",[process.argv[2]]);
    if(!r.rowCount)await c.query(`create database ${process.argv[2]}`);await c.end()})().catch(e=>{console.error(e.message);process.exit(1)})' \
    "$admin" "$HOOKLINE_CLUSTER_DB" || fail "could not create the database $HOOKLINE_CLUSTER_DB."
  node --import tsx src/db/migrate.main.ts >>"$CLUSTER_LOGS/migrate.log" 2>&1 || fail "migrations failed; see $CLUSTER_LOGS/migrate.log."
}

start_hookline() {
  local i
  for i in 1 2; do
    PORT=0 HOOKLINE_METRICS_PORT="${WORKER_METRICS_PORTS[$((i - 1))]}" start_process "worker-$i" node --import tsx src/worker/main.ts
    PORT="${API_PORTS[$((i - 1))]}" HOOKLINE_PUBLIC_URL="http://127.0.0.1:${API_PORTS[$((i - 1))]}" \
      HOOKLINE_METRICS_PORT=0 start_process "api-$i" node --import tsx src/api/main.ts
  done
}

wait_until() {
  local what="$1" log="$2" deadline=$(($(date +%s) + 120))
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what not ready within 120 s; see $CLUSTER_LOGS/$log.log."
    sleep 0.3
  done
}

wait_for_hookline() {
  local i
  for i in 1 2; do
    wait_until "worker-$i" "worker-$i" grep -q '"msg":"worker polling"' "$CLUSTER_LOGS/worker-$i.log"
    wait_until "api-$i" "api-$i" node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' \
      "http://127.0.0.1:${API_PORTS[$((i - 1))]}/readyz"
  done
}

cluster_names() { printf '%s\n' "${TEMPORAL_SERVICES[@]/#/temporal-}" temporal-ui worker-1 worker-2 api-1 api-2; }

print_env() {
  printf 'HOOKLINE_CLUSTER_TEMPORAL_ADDRESS=%s\n' "$TEMPORAL_CLUSTER_ADDRESS"
  running temporal-ui && printf 'HOOKLINE_CLUSTER_UI_URL=http://127.0.0.1:%s\n' "$TEMPORAL_UI_PORT"
  printf 'HOOKLINE_CLUSTER_API_URLS=http://127.0.0.1:%s,http://127.0.0.1:%s\n' "${API_PORTS[@]}"
  printf 'HOOKLINE_CLUSTER_WORKER_METRICS_URLS=http://127.0.0.1:%s/metrics,http://127.0.0.1:%s/metrics\n' "${WORKER_METRICS_PORTS[@]}"
  printf 'HOOKLINE_CLUSTER_ADMIN_TOKEN=%s\n' "$HOOKLINE_ADMIN_TOKEN"
  printf 'HOOKLINE_CLUSTER_DATABASE_URL=%s\n' "$DATABASE_URL"
  printf 'HOOKLINE_CLUSTER_PIDS=%s\n' "$(for name in $(cluster_names); do printf '%s=%s ' "$name" "$(pid_of "$name")"; done)"
}

prepare() {
  ensure_node; ensure_deps; ensure_temporal; ensure_postgres
  mkdir -p "$CLUSTER_LOGS" "$CLUSTER_RUN"
  export_temporal_cluster_env
  ensure_cluster_secrets
  hookline_env
}

up() {
  ensure_temporal_server
  ensure_temporal_schema
  local service
  start_temporal_service "${TEMPORAL_SERVICES[0]}"
  wait_for_cluster_metadata
  for service in "${TEMPORAL_SERVICES[@]:1}"; do start_temporal_service "$service"; done
  wait_for_temporal_frontend
  # HOOKLINE_CLUSTER_UI=0 leaves the UI out (npm test's smoke, which needs no browser view of the cluster).
  if [ "${HOOKLINE_CLUSTER_UI:-1}" != 0 ] && ensure_temporal_ui; then start_temporal_ui; fi
  register_namespace
  wait_for_workflow_starts
  ensure_hookline_database
  start_hookline
  wait_for_hookline
  say "cluster up: Temporal at $TEMPORAL_CLUSTER_ADDRESS ($NUM_HISTORY_SHARDS shards), API at ${API_PORTS[*]}$(running temporal-ui && echo ", UI at http://127.0.0.1:$TEMPORAL_UI_PORT"), logs in ${CLUSTER_LOGS#$HOOKLINE_ROOT/}"
}

command="${1:-up}"
shift || true
prepare
case "$command" in
  up) up ;;
  down)
    # `down NAME...` stops only those (what a suite started), in the same order.
    for name in $(cluster_names | tac); do
      if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx "$name"; then stop_process "$name"; fi
    done
    if [ $# -eq 0 ]; then say "cluster stopped"; else say "stopped $*"; fi
    ;;
  kill) stop_process "${1:?kill NAME, one of: $(cluster_names | tr '\n' ' ')}" KILL ;;
  stop) stop_process "${1:?stop NAME}" TERM ;;
  restart-postgres) "${HOOKLINE_PG_CTL[@]}" -w -t 60 -m fast restart >/dev/null 2>&1 || fail "PostgreSQL did not restart." ;;
  status) for name in $(cluster_names); do printf '%-18s %s\n' "$name" "$(running "$name" && echo "running (pid $(pid_of "$name"))" || echo stopped)"; done ;;
  env) print_env ;;
  *) echo "usage: scripts/cluster.sh up|down [NAME...]|status|env|kill NAME|stop NAME|restart-postgres" >&2; exit 64 ;;
esac
