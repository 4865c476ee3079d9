# One image for every deedstream service: the argument names the service.
#
#   docker build -t deedstream .                        (base: the public Node 24 image)
#   npm run image -- build                              (podman, base assembled from Debian: tools/image.ts)
#   docker run --network host deedstream search         (docs/deploy.md#container-image)
#
# The base must have Node 24 and npm on PATH and a POSIX shell, as the official node images do.
ARG BASE_IMAGE=docker.io/library/node:24-bookworm-slim

# What the services run with: the lockfile's dependencies, no dev dependencies. patches/ is
# here because patch-package (postinstall) applies the Kafka client's patch.
# A machine whose npm trusts an extra CA (a TLS-intercepting proxy) passes it as the secret
# npm-ca: mounted for the install only, never stored in a layer.
FROM ${BASE_IMAGE} AS runtime-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches/ patches/
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=npm-ca \
    if [ -f /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    npm ci --omit=dev --no-audit --no-fund

# `npm run build`: the services, the stack manager and the migrations compiled to dist/, the
# console's front end bundled. Sources are copied after the install, so a change to them
# reuses the installed node_modules layer.
FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY patches/ patches/
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=npm-ca \
    if [ -f /run/secrets/npm-ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca; fi; \
    npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY tools/ tools/
COPY migrations/ migrations/
COPY stack/ stack/
COPY services/ services/
RUN npm run build

# What docs/deploy.md ships: dist/, connectors/ (provisioning's topics and connectors),
# patches/, package*.json (the services find their root by package.json) and the install.
# Everything belongs to root: the service's user can read it, not change it.
FROM ${BASE_IMAGE}
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches/ patches/
COPY connectors/ connectors/
COPY --from=runtime-dependencies /app/node_modules/ node_modules/
COPY --from=build /src/dist/ dist/
# A numeric user with no account in the image: nothing runs as root, and Kubernetes'
# runAsNonRoot can verify it without resolving a name.
USER 10001:10001
ENTRYPOINT ["node", "dist/services/serve.js"]
# Without a service name: the usage. The main job (provisioning, then every service) is
# `-e DEEDSTREAM_EXTERNAL_STACK=true --entrypoint node <image> dist/services/main.js`.
CMD ["--help"]
