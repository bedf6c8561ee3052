#!/usr/bin/env bash
# Makes this machine able to run the stack without an image registry: Debian's docker.io (dockerd),
# debootstrap (stand-in base images) and Compose v2 (Debian trixie's docker-compose package, which
# runs on bookworm; bookworm's own is the old v1), then starts dockerd with --bridge=none
# --iptables=false if no engine answers, so containers use the host network and stay on loopback.
# Prints "started <pid>" when it started dockerd (the caller stops it), "running" otherwise.
source "$(dirname "$0")/lib.sh"
export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -q -o DPkg::Lock::Timeout=600 "$@"; }

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
  note "installing ${need[*]}"
  apt_get update -qq >/dev/null
  apt_get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! docker compose version >/dev/null 2>&1; then
  note 'installing Compose v2 from Debian trixie (docker-compose 2.x)'
  work="$CACHE_DIR/trixie"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  cat >"$work/trixie.sources" <<SOURCES
Types: deb
URIs: ${DEBIAN_MIRROR:-http://deb.debian.org/debian}
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  trixie=(-o "Dir::Etc::SourceList=$work/trixie.sources" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache")
  apt-get -qq "${trixie[@]}" update
  (cd "$work" && rm -f docker-compose_*.deb && apt-get -qq "${trixie[@]}" download docker-compose 2>/dev/null)
  # apt-get rather than dpkg -i: it waits for the dpkg lock other installs may hold.
  apt_get install -y -qq "$(ls "$work"/docker-compose_*.deb)" >/dev/null
  docker compose version >/dev/null
fi

if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo running
  exit 0
fi
log="$CACHE_DIR/dockerd.log"
note "starting dockerd --bridge=none --iptables=false (log: $log)"
setsid dockerd --bridge=none --iptables=false --ip-masq=false >"$log" 2>&1 </dev/null &
pid=$!
for _ in $(seq 1 150); do
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1 && { echo "started $pid"; exit 0; }
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
tail -n 20 "$log" >&2
echo 'dockerd did not come up' >&2
exit 1
