# Shared helpers for the stand-in image builders (sourced, not run).
# Images are tagged with a content hash of everything that goes into them, so a rebuild happens only
# when an input changes and the images are reused between runs on the same machine.
set -euo pipefail

CONTAINER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$CONTAINER_DIR/../.." && pwd)"
CACHE_DIR="${SENTIFLOW_CONTAINER_CACHE:-$REPO_DIR/.cache/container}"
mkdir -p "$CACHE_DIR"

note() { printf '[container] %s\n' "$*" >&2; }

# content_hash <strings and files...>: 12 hex digits over the given strings and file contents.
content_hash() {
  local item
  for item in "$@"; do
    if [ -f "$item" ]; then
      printf 'file:%s\n' "$(basename "$item")"
      cat "$item"
    else
      printf 'value:%s\n' "$item"
    fi
  done | sha256sum | cut -c1-12
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# prune_other_tags <image:tag>: untags older builds of the same repository (their inputs changed), so
# the cache does not grow with every change; images still in use stay.
prune_other_tags() {
  local keep="$1" repo="${1%:*}" old
  for old in $(docker images --format '{{.Repository}}:{{.Tag}}' "$repo"); do
    [ "$old" = "$keep" ] || docker rmi "$old" >/dev/null 2>&1 || true
  done
}
