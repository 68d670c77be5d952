# One image for every Lucy process; the command picks the service (docker-compose.yml gives each its own):
#   docker run lucy:local dist/apps/gateway/src/main.js
#   docker run lucy:local dist/apps/sandbox/src/main.js      # the stand-ins, for a demo
# Node 24 comes from the image here (the `node` devDependency is for machines without it).

# Build: every dependency, the TypeScript compiled once into dist/ (npm run build).
FROM node:24-bookworm-slim AS build
WORKDIR /lucy
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json .swcrc ./
COPY tools ./tools
COPY libs ./libs
COPY apps ./apps
RUN npm run build

# Production dependencies only: no compiler, test runner or browser driver in the image.
FROM node:24-bookworm-slim AS deps
WORKDIR /lucy
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
WORKDIR /lucy
# The compiled modules V8 keeps between restarts of a container (tools/stack.ts: PRODUCTION_NODE_FLAGS).
ENV NODE_ENV=production HOST=0.0.0.0 NODE_COMPILE_CACHE=/tmp/lucy-node-cache
# Code and dependencies stay root's, read-only to the process; only var/ is the runtime user's to write:
# the sandbox's CA and signing key (a volume in compose, which starts as a copy of these folders).
COPY --from=deps /lucy/node_modules ./node_modules
COPY --from=build /lucy/dist ./dist
COPY package.json ./
RUN mkdir -p var/sandbox/tls var/sandbox/identity && chown -R node:node var
# The unprivileged user of the node images (uid 1000).
USER node
# docker stop sends SIGTERM: every service drains within SHUTDOWN_TIMEOUT_MS (10 s) and exits.
STOPSIGNAL SIGTERM
# 2 MB semi-spaces: about 60 MB less resident per idle service (tools/stack.ts: PRODUCTION_NODE_FLAGS).
ENTRYPOINT ["node", "--max-semi-space-size=2"]
CMD ["dist/apps/gateway/src/main.js"]
