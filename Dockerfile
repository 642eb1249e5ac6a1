# syntax=docker/dockerfile:1
# Node 24 LTS, the release CI runs the suite on (.ci/run). In your own registry, pin it by digest.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# Build: compile TypeScript with dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY config ./config
COPY src ./src
RUN npm run build

# Production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="snap-receiver" \
      org.opencontainers.image.description="Merchant-side receiver for Faspay SNAP virtual-account callbacks" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="UNLICENSED"
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=8080 ADMIN_PORT=9090 ADMIN_HOST=0.0.0.0 VAR_DIR=/tmp/snap-receiver
# Under a memory limit Node sizes V8's young generation from it (a 256 MiB pod: a semi-space of about 1 MB),
# and the scavenges then cost a third of the CPU per request; 16 MB is what Node gives it on a large
# machine (README "Hot-path benchmark" -> "In a pod"). A NODE_OPTIONS of your own replaces this line.
ENV NODE_OPTIONS=--max-semi-space-size=16
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
# the only place the service writes (development keys, never used in production); the root
# filesystem can be mounted read-only
VOLUME ["/tmp"]
EXPOSE 8080 9090
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "require('http').get('http://127.0.0.1:'+(process.env.ADMIN_PORT||9090)+'/readyz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
