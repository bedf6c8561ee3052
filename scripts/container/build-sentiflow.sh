#!/usr/bin/env bash
# Builds the sentiflow image from docker/Dockerfile, unchanged, on the given Node base:
#   build-sentiflow.sh <node image> <tag>
# The context is a tar of the committed tree (HEAD), what a fresh clone has: the classic builder has no
# Dockerfile-specific ignore file and would otherwise send node_modules and .cache, and a shared work
# tree holds other people's unfinished edits. SENTIFLOW_BUILD_CONTEXT=worktree sends the work tree's
# files instead (tracked and untracked-but-not-ignored), to try uncommitted changes.
# --network host: npm reaches the registry without a bridge.
source "$(dirname "$0")/lib.sh"
node_image="$1"
tag="$2"
log="$CACHE_DIR/build-sentiflow.log"
cd "$REPO_DIR"
note "building $tag on $node_image (log: $log)"
context() {
  if [ "${SENTIFLOW_BUILD_CONTEXT:-head}" = worktree ]; then
    git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
      tar --null -T - -c
  else
    git archive --format=tar HEAD
  fi
}
note "context: ${SENTIFLOW_BUILD_CONTEXT:-head} ($(git rev-parse --short HEAD))"
if ! context |
  docker build --force-rm --network host --build-arg "NODE_IMAGE=$node_image" -f docker/Dockerfile -t "$tag" - >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  exit 1
fi
docker image inspect -f '{{.Size}}' "$tag"
