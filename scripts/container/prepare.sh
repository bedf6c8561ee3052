#!/usr/bin/env bash
# Everything test/container needs before compose runs, cached between runs on the same machine:
# tools and dockerd (ensure-docker.sh), the stand-in base images (standin-images.sh), and the
# sentiflow image built from docker/Dockerfile on the Node stand-in (Docker's layer cache keeps it
# quick when only the source changed). Writes .cache/container/images.env:
#   DOCKERD=running|started <pid>, NODE_IMAGE, KAFKA_IMAGE, CLICKHOUSE_IMAGE, SENTIFLOW_IMAGE
source "$(dirname "$0")/lib.sh"
started=$(date +%s)
dockerd="$("$CONTAINER_DIR/ensure-docker.sh")"
# A failure after this point (an image that does not build) leaves no dockerd of ours behind: the test
# teardown that would stop it never learns its pid.
case "$dockerd" in
  started\ *) trap 'status=$?; [ "$status" -eq 0 ] || kill "${dockerd#started }" 2>/dev/null || true' EXIT ;;
esac
"$CONTAINER_DIR/standin-images.sh" >/dev/null
# shellcheck disable=SC1091
source "$CACHE_DIR/images.env"
sentiflow_image="${SENTIFLOW_TEST_IMAGE:-sentiflow-local/sentiflow:test}"
bytes="$("$CONTAINER_DIR/build-sentiflow.sh" "$NODE_IMAGE" "$sentiflow_image")"
# Earlier builds' untagged sentiflow images (not today's: the classic builder's layer cache lives there).
docker image prune -f --filter label=org.opencontainers.image.title=sentiflow --filter until=24h >/dev/null
note "sentiflow image $sentiflow_image: $((bytes / 1000000)) MB; prepared in $(($(date +%s) - started)) s"
{
  echo "DOCKERD=$dockerd"
  echo "SENTIFLOW_IMAGE=$sentiflow_image"
} >>"$CACHE_DIR/images.env"
cat "$CACHE_DIR/images.env"
