#!/bin/bash
# Runs a Kafka main class with the jars in /opt/kafka/libs (KAFKA_HEAP_OPTS and KAFKA_OPTS honoured,
# like the distribution's script). Tools log only warnings, to stderr.
main="$1"
shift
log4j="-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.yaml"
if [ "$main" != kafka.Kafka ]; then
  heap="${KAFKA_TOOL_HEAP_OPTS:--Xmx256m}"
  level='-Dsentiflow.log.level=WARN'
  jit='-XX:TieredStopAtLevel=1'
else
  heap="${KAFKA_HEAP_OPTS:--Xmx1g -Xms1g}"
  level='-Dsentiflow.log.level=INFO'
  jit=''
fi
# shellcheck disable=SC2086
exec java $heap $jit -XX:+UseSerialGC -Djava.awt.headless=true $log4j $level ${KAFKA_OPTS:-} \
  -cp '/opt/kafka/libs/*' "$main" "$@"
