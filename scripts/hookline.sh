#!/usr/bin/env bash
# The project's entry point behind `npm run dev|test|receiver|bench|screenshots`: bootstrap, then run the command on Node 24.
set -euo pipefail
HOOKLINE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/bootstrap.sh
source "$HOOKLINE_ROOT/scripts/bootstrap.sh"
cd "$HOOKLINE_ROOT"

# The packages first: the suite uses them as a receiver or a client would, through their built dist/.
build_packages() {
  node node_modules/typescript/bin/tsc -p packages/verify/tsconfig.json
  node node_modules/typescript/bin/tsc -p packages/client/tsconfig.json
  chmod +x packages/client/dist/cli.js # what npm does to a bin on install, so `npx hookline` runs it
}

lint() {
  node node_modules/eslint/bin/eslint.js --max-warnings 0 .
  node node_modules/prettier/bin/prettier.cjs --check --log-level warn .
}

# Runs a command against the cluster: brings it up first, and afterwards (also on failure or Ctrl-C) stops the
# processes this run started; what was already running before it stays up.
CLUSTER_STARTED=""
stop_started_cluster() { [ -z "$CLUSTER_STARTED" ] || bash scripts/cluster.sh down $CLUSTER_STARTED; }
with_cluster() {
  CLUSTER_STARTED="$(bash scripts/cluster.sh status | awk '$2 == "stopped" {print $1}' | tr '\n' ' ')"
  trap stop_started_cluster EXIT
  bash scripts/cluster.sh up
  "$@"
}

command="${1:-}"
shift || true
case "$command" in
  dev)
    ensure_node; ensure_deps; ensure_temporal
    exec node --import tsx src/dev/dev.main.ts "$@"
    ;;
  test)
    ensure_node; ensure_deps; ensure_temporal; ensure_postgres; ensure_chromium; ensure_python_crypto
    build_packages
    node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit
    node node_modules/typescript/bin/tsc -p src/console/app/tsconfig.json
    lint
    node node_modules/jest/bin/jest.js "$@"
    # The whole suite (no arguments, as .ci/run runs it) ends with the cluster's smoke: the cluster built and started
    # through scripts/cluster.sh, one delivery, and what it started stopped. The full cluster suite is `npm run test:cluster`.
    if [ $# -eq 0 ]; then
      HOOKLINE_CLUSTER_UI=0 with_cluster node node_modules/jest/bin/jest.js -c jest.cluster.config.js test/cluster/smoke
    fi
    ;;
  test:unit)
    # Pure code only: no server is started, so it runs in seconds.
    ensure_node; ensure_deps; build_packages
    exec node node_modules/jest/bin/jest.js --selectProjects unit "$@"
    ;;
  test:workflows|test:integration|test:browser)
    ensure_node; ensure_deps; ensure_temporal; ensure_postgres
    [ "$command" = test:browser ] && ensure_chromium
    [ "$command" = test:integration ] && ensure_python_crypto
    build_packages
    exec node node_modules/jest/bin/jest.js --selectProjects "${command#test:}" "$@"
    ;;
  lint)
    ensure_node; ensure_deps
    lint
    ;;
  test:cluster)
    ensure_node; ensure_deps
    # The whole cluster suite (faults included) against the cluster, brought up (or completed) first.
    with_cluster node node_modules/jest/bin/jest.js -c jest.cluster.config.js "$@"
    ;;
  screenshots)
    ensure_node; ensure_deps; ensure_temporal; ensure_postgres; ensure_chromium
    exec node --import tsx test/screenshots/take-screenshots.ts "$@"
    ;;
  receiver)
    # It verifies with @hookline/verify, as a user's receiver would, so that package's dist/ must exist.
    ensure_node; ensure_deps; build_packages
    exec node --import tsx src/dev/receiver.main.ts "$@"
    ;;
  bench)
    ensure_node; ensure_deps; ensure_temporal; ensure_postgres
    exec node --import tsx bench/bench.main.ts "$@"
    ;;
  *)
    echo "usage: scripts/hookline.sh dev|test|test:unit|test:workflows|test:integration|test:browser|test:cluster|lint|receiver|bench|screenshots [args]" >&2
    exit 64
    ;;
esac
