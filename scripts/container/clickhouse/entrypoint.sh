#!/bin/bash
# The stand-in's entrypoint, following the official image's: the admin user from CLICKHOUSE_USER and
# CLICKHOUSE_PASSWORD (else `default`, reachable from loopback only), CLICKHOUSE_DB created and
# /docker-entrypoint-initdb.d/*.sql run once against a temporary server, then the server runs in the
# foreground as user clickhouse.
set -euo pipefail
user="${CLICKHOUSE_USER:-default}"
password="${CLICKHOUSE_PASSWORD:-}"
users_d=/etc/clickhouse-server/users.d
if [ -n "${CLICKHOUSE_SKIP_USER_SETUP:-}" ]; then
  :
elif [ "$user" != default ] || [ -n "$password" ]; then
  cat >"$users_d/default-user.xml" <<XML
<clickhouse>
  <users>
    <default remove="remove"></default>
    <${user}>
      <profile>default</profile>
      <networks><ip>::/0</ip></networks>
      <password>${password}</password>
      <quota>default</quota>
    </${user}>
  </users>
</clickhouse>
XML
else
  cat >"$users_d/default-user.xml" <<XML
<clickhouse>
  <users>
    <default>
      <networks replace="replace"><ip>::1</ip><ip>127.0.0.1</ip></networks>
    </default>
  </users>
</clickhouse>
XML
fi
chown -R clickhouse:clickhouse /var/lib/clickhouse /var/log/clickhouse-server

as_clickhouse=(setpriv --reuid=clickhouse --regid=clickhouse --init-groups)
server=(/usr/sbin/clickhouse-server --config-file=/etc/clickhouse-server/config.xml)
client() { clickhouse-client --user "$user" --password "$password" "$@"; }

marker=/var/lib/clickhouse/.sentiflow-initialised
if [ ! -f "$marker" ] && { [ -n "${CLICKHOUSE_DB:-}" ] || compgen -G '/docker-entrypoint-initdb.d/*.sql' >/dev/null; }; then
  "${as_clickhouse[@]}" "${server[@]}" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    client -q 'SELECT 1' >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo 'clickhouse-server failed to start' >&2; exit 1; }
    sleep 0.1
  done
  if [ -n "${CLICKHOUSE_DB:-}" ]; then
    echo "$0: create database '$CLICKHOUSE_DB'"
    client -q "CREATE DATABASE IF NOT EXISTS ${CLICKHOUSE_DB}"
  fi
  for f in /docker-entrypoint-initdb.d/*.sql; do
    [ -f "$f" ] || continue
    echo "$0: running $f"
    client --multiquery <"$f"
  done
  kill "$pid"
  wait "$pid" || true
  touch "$marker"
fi
exec "${as_clickhouse[@]}" "${server[@]}" "$@"
