# syntax=docker/dockerfile:1
# Kelisim's image: built in one stage, run from a smaller one as the unprivileged `node` user.
#   docker build -t kelisim .
#   docker run --env-file deploy/kelisim.env kelisim api      (or: worker, migrate, start, doctor …)
# The same image runs every process; the command is `kelisim`'s (docs/operations.md, "Containers").
ARG NODE_IMAGE=node:24-bookworm-slim

# Compile the server (tsc) and the web interface (Vite): needs the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# The production dependencies alone.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/kelisim
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
# bin/kelisim.js reads tsconfig.json's path aliases; the template and the demo read fixtures/.
COPY --from=build /src/package.json /src/tsconfig.json /src/LICENSE ./
COPY --from=build /src/bin ./bin
COPY --from=build /src/fixtures ./fixtures
# DATA_DIR: the embedded PostgreSQL when DATABASE_URL is unset, and secrets.key when SECRETS_KEY is.
RUN mkdir -p /var/lib/kelisim && chown node:node /var/lib/kelisim
USER node
VOLUME ["/var/lib/kelisim"]
EXPOSE 3000
# Liveness; an orchestrator's readiness probe should ask /health/ready.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/kelisim.js"]
CMD ["start"]
