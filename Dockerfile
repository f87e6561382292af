# Puls as a container, for those who host containers (App Service for Containers, Container Apps,
# Kubernetes). Build: docker build -t puls .   Run: docker run -p 3978:3978 --env-file .env puls
# Stage 1 compiles with the dev dependencies; stage 2 holds only dist/ and the production
# dependencies (no TypeScript, no ts-node, no Azurite), runs as the unprivileged "node" user, and
# has tini as PID 1 so that SIGTERM reaches Node (graceful stop) and zombies are reaped.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bot ./bot
COPY src ./src
COPY cards ./cards
COPY surveys ./surveys
COPY web ./web
COPY scripts/build-tab.ts ./scripts/build-tab.ts
RUN npm run build

FROM node:22-bookworm-slim AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  PORT=3978 \
  NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/bot/main.js"]
