#!/bin/sh
# One-shot job (temporalio/admin-tools image), run after the Temporal server is up:
#   1. waits until the frontend answers a health check,
#   2. creates the namespace if it does not exist,
#   3. registers Hookline's custom search attributes (Keyword or KeywordList) in it,
#   4. after registering anything new, outlasts one namespace-cache refresh, so the
#      API and worker (which start only once this job succeeds) never see them missing.
# Idempotent: an attribute that already exists with its type counts as done; one that
# exists with another type is an error (Temporal cannot change an attribute's type).
set -eu

ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
# Closed workflow histories (they carry encrypted event data) go after this; keep in step with
# src/orchestration/namespace-retention.ts.
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-72h}"
TIMEOUT_SECONDS="${SETUP_TIMEOUT_SECONDS:-180}"
# Keep in step with src/workflows/search-attributes.ts.
ATTRIBUTES="${HOOKLINE_SEARCH_ATTRIBUTES:-HooklineWorkspaceId=Keyword HooklineDestinationId=KeywordList HooklineEventType=Keyword HooklineDeliveryStatus=KeywordList HooklineSubjectHash=Keyword}"

log() { echo "register-search-attributes: $*"; }
fail() { echo "register-search-attributes: ERROR: $*" >&2; exit 1; }

# Dial the frontend by IPv4 address when the name resolves to one; the CLI has been
# seen to stall on the container-name lookup in some Docker network setups.
host="${ADDRESS%:*}"
port="${ADDRESS##*:}"
ip="$(getent ahosts "$host" 2>/dev/null | awk '$1 ~ /^[0-9.]+$/ { print $1; exit }' || true)"
if [ -n "$ip" ]; then
  ADDRESS="${ip}:${port}"
fi
log "using Temporal frontend ${ADDRESS} (${host}), namespace ${NAMESPACE}"

tctl() { temporal --address "$ADDRESS" "$@" </dev/null; }

deadline=$(( $(date +%s) + TIMEOUT_SECONDS ))
before_deadline() { [ "$(date +%s)" -lt "$deadline" ]; }

# 1. frontend health
until tctl operator cluster health >/dev/null 2>&1; do
  before_deadline || fail "Temporal at ${ADDRESS} not healthy after ${TIMEOUT_SECONDS}s"
  log "waiting for the Temporal frontend..."
  sleep 2
done
log "Temporal frontend is serving"

# 2. namespace (describe first; create; tolerate a concurrent creator)
if tctl operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; then
  log "namespace ${NAMESPACE} exists; setting its retention to ${RETENTION}"
  tctl operator namespace update --namespace "$NAMESPACE" --retention "$RETENTION" >/dev/null \
    || fail "could not set the retention of namespace ${NAMESPACE} to ${RETENTION}"
else
  log "creating namespace ${NAMESPACE} (retention ${RETENTION})"
  tctl operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" \
    || log "namespace create failed; checking whether it exists anyway"
  until tctl operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; do
    before_deadline || fail "namespace ${NAMESPACE} not available after ${TIMEOUT_SECONDS}s"
    sleep 2
  done
  log "namespace ${NAMESPACE} is available"
fi

# 3. search attributes
list_attributes() { tctl operator search-attribute list --namespace "$NAMESPACE" 2>/dev/null || true; }

# 0 = present with type $2, 1 = absent, 2 = present with another type
attribute_state() {
  line="$(list_attributes | grep -w -- "$1" || true)"
  if [ -z "$line" ]; then
    return 1
  fi
  if printf '%s\n' "$line" | awk '{ print $2 }' | grep -qix -- "$2"; then
    return 0
  fi
  return 2
}

created=0
for pair in $ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  while :; do
    state=0
    attribute_state "$name" "$type" || state=$?
    case "$state" in
      0) log "${name} (${type}) registered"; break ;;
      2) fail "${name} exists in namespace ${NAMESPACE} with a type other than ${type}" ;;
    esac
    before_deadline || fail "could not register ${name} within ${TIMEOUT_SECONDS}s"
    # "already exists" (e.g. a concurrent run) is fine: the next check sees it.
    if tctl operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type"; then
      created=1
    else
      log "create ${name} did not succeed yet; retrying"
    fi
    sleep 2
  done
done

# 4. The list above reads the namespace record directly, but workflow starts validate
# against each service's namespace cache, refreshed every ~10s. Outlast one refresh
# after a change so the first delivery workflow cannot hit "search attribute not defined".
if [ "$created" -eq 1 ]; then
  settle="${SETTLE_SECONDS:-15}"
  log "waiting ${settle}s for the server's namespace cache to pick up the new attributes"
  sleep "$settle"
fi

log "all search attributes registered in namespace ${NAMESPACE}"
