# One image for every Lucy process; the command picks the service:
#   docker run lucy apps/gateway/src/main.ts
# Node 24 comes from the image here (the `node` devDependency is for machines without it).
FROM node:24-bookworm-slim AS deps
WORKDIR /lucy
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM node:24-bookworm-slim
WORKDIR /lucy
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=deps /lucy/node_modules ./node_modules
COPY package.json tsconfig.json tsconfig.base.json .swcrc ./
COPY libs ./libs
COPY apps ./apps
USER node
# SWC compiles the TypeScript as it loads (decorator metadata included), as `npm start` does.
ENTRYPOINT ["node", "--import", "@swc-node/register/esm-register"]
CMD ["apps/gateway/src/main.ts"]
