# syntax=docker/dockerfile:1
#
# Hookline: one image for the API (default CMD), the worker and the migration job.
#
#   docker build -t hookline:local .
#   docker run ... hookline:local                              # API on :3000
#   docker run ... hookline:local node dist/worker/main.js     # Temporal worker
#   docker run ... hookline:local node dist/db/migrate.main.js # migrations, then exit
#
# The base is Debian (glibc) on purpose: the Temporal SDK's native bridge
# (@temporalio/core-bridge) ships no musl build, so an Alpine base cannot run the worker.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------
# base: shared settings for every stage.
FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# `npm ci` is the install of record. If it rejects package-lock.json as out of sync
# with package.json (e.g. a lockfile written against a registry mirror that lacks some
# platforms' optional packages), fall back loudly to `npm install --no-save`, which
# keeps every version the lockfile pins and resolves only what the lockfile lacks.

# ---------------------------------------------------------------------------
# build: all dependencies (dev included) and the TypeScript compile to dist/.
FROM base AS build
COPY package.json package-lock.json ./
# The npm workspaces' manifests, so `npm ci` finds every package the lockfile names.
COPY packages/verify/package.json packages/verify/
COPY packages/client/package.json packages/client/
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci \
    || { echo "WARNING: npm ci rejected package-lock.json; falling back to npm install --no-save" >&2; \
         npm install --no-save; }
COPY tsconfig.json tsconfig.build.json ./
# src/dev's receiver verifies with @hookline/verify, so the compile needs that package's types built first.
COPY packages/verify ./packages/verify
RUN npm run build -w @hookline/verify
COPY src ./src
RUN npm run build

# ---------------------------------------------------------------------------
# prod-deps: production dependencies only, installed fresh from the lockfile.
# @temporalio/worker keeps webpack, swc and its native bridge as regular
# dependencies, so --omit=dev still lets the worker bundle workflows at start.
# The Temporal native bridge ships prebuilt binaries for every OS; keep only this
# platform's (chosen by the SDK's own resolver, and checked to exist), ~100 MB less.
FROM base AS prod-deps
COPY package.json package-lock.json ./
COPY packages/verify/package.json packages/verify/
COPY packages/client/package.json packages/client/
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev \
    || { echo "WARNING: npm ci rejected package-lock.json; falling back to npm install --no-save" >&2; \
         npm install --no-save --omit=dev; }
RUN set -eu; \
    releases=node_modules/@temporalio/core-bridge/releases; \
    keep="$(node -p "require('@temporalio/core-bridge/common').getPrebuiltTargetName()")"; \
    test -f "$releases/$keep/index.node"; \
    find "$releases" -mindepth 1 -maxdepth 1 ! -name "$keep" -exec rm -rf {} +

# ---------------------------------------------------------------------------
# runtime: dist/ + production node_modules, no sources, no dev tooling.
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

# Application files stay owned by root and are read-only for the runtime user.
# package.json is read at run time (src/version.ts); the lockfile is for image scanners.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The console is bundled by the API itself on first request, from these sources (esbuild is a dependency).
COPY --from=build /app/src/console/app ./src/console/app

# The base image's unprivileged `node` user (uid/gid 1000), given numerically so that
# Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 1000:1000
EXPOSE 3000

# API liveness. curl is not in the slim image, so Node's own fetch does the probe.
# Services that are not the API (worker, migrations) override or disable it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

CMD ["node", "dist/api/main.js"]
