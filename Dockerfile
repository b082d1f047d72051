# One image for every app and its worker: the apps run from TypeScript sources through @swc-node
# (the same loader `npm start` and the tests use), so the image is the workspace plus its lockfile.
#   docker build --build-arg APP=event-registration -t remedy/event-registration .
FROM node:20-bookworm-slim AS deps
WORKDIR /repo
COPY package.json package-lock.json ./
COPY libs ./libs
COPY apps ./apps
# npm ci needs every workspace's package.json; the sources come along because they are small.
RUN npm ci --omit=optional --no-audit --no-fund

FROM node:20-bookworm-slim
ARG APP
ENV NODE_ENV=production APP=${APP}
WORKDIR /repo
# live-streaming's worker transcodes archives with ffmpeg (Debian's build: libx264, AAC).
RUN if [ "$APP" = live-streaming ]; then \
      apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*; \
    fi
COPY --from=deps /repo ./
COPY scripts/register.js ./scripts/register.js
COPY tsconfig.base.json tsconfig.json swc.config.json ./
USER node
WORKDIR /repo/apps/${APP}
# `node` itself is PID 1's child of nothing else, so SIGTERM reaches the app and it shuts down gracefully.
# The command picks the process: src/main.ts (HTTP/WebSocket API) or src/worker.ts (jobs).
ENTRYPOINT ["node", "--import", "../../scripts/register.js"]
CMD ["src/main.ts"]
