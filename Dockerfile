# syntax=docker/dockerfile:1
# One image for every ShelfWatch process. The first argument (or SHELFWATCH_SERVICE) chooses it:
#   docker run shelfwatch gateway | crawler | ranking | alerting | reporting | retention | health | sim | migrate | provision | wait-for-setup | setup
# Stages: deps (every dependency, to compile) -> build (tsc) -> prod-deps (production dependencies only) -> runtime.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
# The manifests npm needs to install: the root and every workspace library (each a package.json and an index.js).
COPY package.json package-lock.json ./
COPY libs/config/package.json libs/config/index.js libs/config/
COPY libs/contracts/package.json libs/contracts/index.js libs/contracts/
COPY libs/messaging/package.json libs/messaging/index.js libs/messaging/
COPY libs/observability/package.json libs/observability/index.js libs/observability/
COPY libs/persistence/package.json libs/persistence/index.js libs/persistence/
COPY libs/platform/package.json libs/platform/index.js libs/platform/
COPY libs/resilience/package.json libs/resilience/index.js libs/resilience/
COPY libs/testing/package.json libs/testing/index.js libs/testing/
COPY tools/patches tools/patches

# `npm install` following the lock, not `npm ci`: the lock lists only this platform's optional native binaries
# (SWC, resolvers), so `npm ci` refuses it as out of sync (see .ci/run). Switch to `npm ci` once the lock is complete.
FROM base AS deps
# Optional dependencies included here: esbuild (the dashboard build) ships its binary as one. They stay in this stage.
RUN --mount=type=cache,target=/root/.npm npm install --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY libs libs
COPY services services
COPY tools tools
COPY web web
RUN npx tsc -p tsconfig.build.json && node web/dashboard/build.mjs

FROM base AS prod-deps
# Production dependencies only: no TypeScript, Jest, ESLint, SWC, and not the optional embedded Postgres.
# Scripts are skipped; the one install-time patch ShelfWatch needs (kysely, see docs/decisions.md) runs explicitly.
RUN --mount=type=cache,target=/root/.npm npm install --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
  && node tools/patches/kysely-release-on-failed-begin.js

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="shelfwatch" \
      org.opencontainers.image.description="ShelfWatch services, simulator and CLIs (one image, the service chosen at run time)"
WORKDIR /app
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps
COPY --from=prod-deps --chown=root:root /app/node_modules node_modules
COPY --from=prod-deps --chown=root:root /app/package.json package.json
COPY --from=prod-deps --chown=root:root /app/libs libs
COPY --from=build --chown=root:root /app/dist dist
COPY --chown=root:root --chmod=0755 deploy/docker-entrypoint.sh /usr/local/bin/shelfwatch
# Files belong to root and are read-only for the process, which runs as the unprivileged `node` user (uid 1000).
USER 1000:1000
EXPOSE 3000 3001 3002 3003 3004 3005 3006 3100
HEALTHCHECK --interval=10s --timeout=4s --start-period=30s --retries=3 CMD ["node", "dist/tools/cli/healthcheck.js"]
# Exec form: the entrypoint `exec`s node, so node receives SIGTERM itself and shuts down gracefully.
ENTRYPOINT ["/usr/local/bin/shelfwatch"]
CMD ["gateway"]
