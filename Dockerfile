# syntax=docker/dockerfile:1
#
# One image for both processes of Routekaart: the worker (default command) and the API
# (docker-compose.yml overrides the command with `node dist/api/main.js`).
#
# Debian (glibc), not Alpine: the native core-bridge of @temporalio/worker ships prebuilt binaries
# for linux x64 and arm64 with glibc only.

ARG NODE_IMAGE=node:24-bookworm-slim

# --- Production dependencies only; cached until package-lock.json changes. ----------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# swagger-ui-dist pulls in @scarf/scarf, whose install script reports the install home.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund

# --- Compile TypeScript to dist/ with the full toolchain. ---------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY domain ./domain
COPY platform ./platform
COPY workflows ./workflows
COPY activities ./activities
COPY api ./api
COPY worker ./worker
COPY scripts ./scripts
# tsc emits domain/organisations.json into dist/ as well (resolveJsonModule).
RUN npm run build

# --- Runtime: compiled code, production node_modules, dashboard files; runs as `node`. ----------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    ROUTEKAART_DATA_DIR=/data
WORKDIR /app
# Owned by root and read-only for the `node` user: the process cannot change its own code.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# tsc does not copy the pages' stylesheet; dist/api/pages looks for it at
# ../../../api/pages/static, i.e. /app/api/pages/static.
COPY api/pages/static ./api/pages/static
# The examples only, as a template for the real files (mounted at run time, never baked in).
COPY config/directory.example.json config/access.example.json ./config/
# The data dir (sent-log, digest queue, audit log) belongs to `node`; an empty named volume
# mounted here takes over this ownership on first use.
RUN mkdir -p /data && chown node:node /data
USER node
CMD ["node", "dist/worker/main.js"]
