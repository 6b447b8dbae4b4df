#!/usr/bin/env bash
# npm run test:compose — the docker-compose deployment, for real, on this machine:
#   Debian packages if missing (docker.io, docker-compose, debootstrap) → dockerd if not running →
#   offline images if the official ones cannot be found → build → up --scale api=3 → health through the
#   balancer → api/test/compose/*.compose-spec.ts (SDK clients: cross-replica chat, stats, kill under
#   load, restart policy, scale to 5) → down -v, whatever happened. Needs root (apt, dockerd, debootstrap).
# Environment: BALANCER_PORT (default 8080, or a free port when 8080 is taken), KEEP_STACK=1 leaves the
# stack running, DOCKERD_ARGS (default: no iptables rules, as the development machines need).
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=chat-compose-test
started=$(date +%s)
phase_started=$started
phase() {
  local now
  now=$(date +%s)
  [ -n "${current_phase:-}" ] && echo "[test:compose] ${current_phase}: $((now - phase_started)) s"
  current_phase=$1
  phase_started=$now
  echo "[test:compose] == $1"
}

phase "system packages"
missing=()
command -v docker >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

phase "docker engine"
if ! docker info >/dev/null 2>&1; then
  # shellcheck disable=SC2086 # DOCKERD_ARGS is a list of flags
  nohup dockerd ${DOCKERD_ARGS:---iptables=false --ip-masq=false} >/var/log/chat-dockerd.log 2>&1 &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -20 /var/log/chat-dockerd.log; exit 1; }
fi

phase "images"
official=(node:24-bookworm-slim postgres:17-alpine redis:7-alpine haproxy:3.2-alpine)
for image in "${official[@]}"; do
  if ! docker image inspect "$image" >/dev/null 2>&1 && ! docker pull -q "$image" >/dev/null 2>&1; then
    echo "[test:compose] $image cannot be found or pulled: using images built from Debian"
    scripts/docker-offline-images.sh
    eval "$(scripts/docker-offline-images.sh --print-env)"
    break
  fi
done

port=${BALANCER_PORT:-8080}
if ! node -e "require('net').createServer().once('error',()=>process.exit(1)).listen($port,'127.0.0.1',function(){this.close()})"; then
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
fi
export BALANCER_PORT=$port COMPOSE_PROJECT_NAME=$PROJECT
# A throwaway stack: its own secret, whatever the environment holds.
export JWT_SECRET=$(node -e "console.log(require('crypto').randomBytes(32).toString('hex'))")
export CORS_ORIGINS=http://localhost:$port
dc() { docker-compose -p "$PROJECT" "$@"; }

cleanup() {
  status=$?
  if [ "${KEEP_STACK:-0}" = 1 ]; then
    echo "[test:compose] stack left running (KEEP_STACK=1): docker-compose -p $PROJECT down -v"
  else
    phase "down -v"
    dc down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  phase "done"
  echo "[test:compose] total: $(($(date +%s) - started)) s, exit $status"
  exit $status
}
trap cleanup EXIT

phase "build"
build_log=/tmp/$PROJECT-build.log
if ! dc build api >"$build_log" 2>&1; then
  tail -40 "$build_log"
  exit 1
fi
echo "[test:compose] $(grep -c '^Step' "$build_log") build steps, $(grep -c 'Using cache' "$build_log") from cache (log: $build_log)"

phase "up --scale api=3"
dc up --detach --no-build --scale api=3

phase "health through the balancer (:$port)"
url=http://127.0.0.1:$port
ready=0
for _ in $(seq 180); do
  if node -e "fetch('$url/api/stats').then(r=>r.json()).then(s=>process.exit(s.instances&&s.instances.length===3?0:1),()=>process.exit(1))"; then
    ready=1
    break
  fi
  sleep 1
done
if [ $ready != 1 ]; then
  echo "[test:compose] the stack did not become ready through $url within 180 s"
  dc ps
  dc logs --tail 30 api balancer
  exit 1
fi

phase "SDK clients (api/test/compose)"
COMPOSE_URL=$url npx jest -c api/test/compose/jest.config.js --verbose
