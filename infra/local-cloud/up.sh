#!/usr/bin/env bash
# Starts a local Supabase-compatible cloud on 127.0.0.1 without Docker: PostgreSQL 15 (as the
# postgres user, in a temp data dir) with the migrations applied, and the sync-pos-message Edge
# Function served by Deno under /functions/v1/<name>. Idempotent: pieces already running are kept.
# Usage: up.sh [--only db|function]   Writes .run/env (SUPABASE_URL, SUPABASE_SERVICE_KEY, ...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_only "$@"
take_lock

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# ---------------------------------------------------------------- database
ensure_postgres_installed() {
  [ -x "$PG_BIN/pg_ctl" ] && return 0
  say "PostgreSQL 15 not found at $PG_BIN; installing postgresql-15 with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
  [ -x "$PG_BIN/pg_ctl" ] || die "postgresql-15 installed but $PG_BIN/pg_ctl is missing"
}

init_cluster() {
  DATA="$(mktemp -d /tmp/posbus-cloud.XXXXXX)"
  chmod 755 "$DATA"; [ "$(id -u)" != 0 ] || chown postgres: "$DATA"
  DB_PASSWORD="$(random_hex 16)"
  local pwfile="$DATA/.pw"
  printf '%s\n' "$DB_PASSWORD" >"$pwfile"; chmod 600 "$pwfile"; [ "$(id -u)" != 0 ] || chown postgres: "$pwfile"
  say "initdb in $DATA"
  # Trust only on the unix socket inside the data dir; TCP needs the password, like a real project.
  as_pg "$PG_BIN/initdb" -D "$DATA/pg" -E UTF8 --locale=C.UTF-8 --no-sync -U postgres \
    --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 >"$RUN/initdb.log" 2>&1 \
    || { cat "$RUN/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"
  echo "$DATA" >"$RUN/datadir"
  (umask 077; echo "$DB_PASSWORD" >"$RUN/db_password")
  FRESH=1
}

# The caller's PGOPTIONS pass through (e.g. -c posbus.default_store_id=… for a migration that needs it).
psql_db() { PGOPTIONS="-c client_min_messages=warning ${PGOPTIONS:-}" PGPASSWORD="$DB_PASSWORD" psql -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"; }

# Applies migrations not yet recorded, in file-name order, each in one transaction. Uses the same
# bookkeeping table as the Supabase CLI, so a reused data dir only gets the new files.
apply_migrations() {
  psql_db -c "create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[], name text);"
  local f base version applied=0
  for f in "$SUPABASE_DIR"/migrations/*.sql; do
    base="$(basename "$f" .sql)"; version="${base%%_*}"
    if [ -n "$(psql_db -tA -c "select 1 from supabase_migrations.schema_migrations where version = '$version'")" ]; then
      continue
    fi
    say "migration $base"
    psql_db --single-transaction -f "$f" \
      -c "insert into supabase_migrations.schema_migrations (version, name) values ('$version', '${base#*_}')" >/dev/null
    applied=$((applied + 1))
  done
  say "migrations up to date ($applied applied now)"
}

up_db() {
  ensure_postgres_installed
  DATA="$(read_file "$RUN/datadir")"; DB_PASSWORD="$(read_file "$RUN/db_password")"; FRESH=0
  if [ -z "$DATA" ] || [ ! -f "$DATA/pg/PG_VERSION" ] || [ -z "$DB_PASSWORD" ]; then
    init_cluster
  fi
  local pid; pid="$(head -n 1 "$DATA/pg/postmaster.pid" 2>/dev/null || true)"
  if pid_is "$pid" "$DATA/pg" && as_pg "$PG_BIN/pg_ctl" -D "$DATA/pg" status >/dev/null 2>&1; then
    say "postgres already running (pid $pid, port $DB_PORT)"
  else
    say "starting postgres on 127.0.0.1:$DB_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$DATA/pg" -l "$DATA/postgres.log" -w -t 60 -s start \
      -o "-c listen_addresses=127.0.0.1 -p $DB_PORT -c unix_socket_directories=$DATA" 9>&- \
      || { tail -n 30 "$DATA/postgres.log" >&2 || true; die "postgres did not start (port $DB_PORT busy?)"; }
    pid="$(head -n 1 "$DATA/pg/postmaster.pid")"
  fi
  echo "$pid" >"$RUN/db.pid"
  [ "$FRESH" = 1 ] && say "applying Supabase-compat roles"
  psql_db -f "$HERE/supabase-roles.sql" >/dev/null   # idempotent; cheap enough to run every time
  apply_migrations
}

# ---------------------------------------------------------------- function
ensure_deno() {
  if [ ! -x "$DENO" ]; then
    say "installing pinned deno from npm into $HERE/node_modules"
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  [ -x "$DENO" ] || die "deno missing after npm ci"
  local frozen=()
  [ "${CI:-}" = "true" ] && frozen=(--frozen)
  # Warm DENO_DIR with the function's npm deps from the committed lockfile: serving then needs no registry.
  (cd "$FUNCTION_DIR" && "$DENO" install "${frozen[@]}" --quiet --config deno.json --entrypoint "$HERE/serve.ts") \
    || die "deno could not cache the function's dependencies (lockfile out of date? run without CI=true once)"
}

up_function() {
  local pid; pid="$(read_file "$RUN/function.pid")"
  if pid_is "$pid" "$HERE/serve.ts" && function_answers; then
    say "function already serving (pid $pid) at $(function_url)"
    return 0
  fi
  function_answers && die "port $API_PORT already answers but not from our deno; set POSBUS_CLOUD_API_PORT"
  ensure_deno
  DB_PASSWORD="$(read_file "$RUN/db_password")"
  [ -n "$DB_PASSWORD" ] || die "no database initialised yet: run up.sh (or up.sh --only db) first"
  say "starting deno on 127.0.0.1:$API_PORT"
  # stdin/stdout/stderr detached from the caller: a test runner reading our output must see EOF.
  (
    cd "$FUNCTION_DIR"
    export SUPABASE_URL="http://127.0.0.1:$API_PORT" SUPABASE_SERVICE_ROLE_KEY="$SERVICE_KEY" \
      SUPABASE_ANON_KEY="$ANON_KEY" POSBUS_LISTEN_PORT="$API_PORT" \
      SUPABASE_DB_URL="postgres://postgres:$DB_PASSWORD@127.0.0.1:$DB_PORT/postgres"
    nohup "$DENO" run --config deno.json --cached-only --allow-net --allow-env --allow-read --allow-sys \
      "$HERE/serve.ts" </dev/null >>"$RUN/function.log" 2>&1 9>&- &
    echo $! >"$RUN/function.pid"
  )
  pid="$(cat "$RUN/function.pid")"
  local i
  for i in $(seq 1 300); do
    function_answers && { say "function serving (pid $pid) at $(function_url)"; return 0; }
    pid_is "$pid" "$HERE/serve.ts" || break
    sleep 0.1
  done
  tail -n 30 "$RUN/function.log" >&2 || true
  die "function did not answer within 30 s (log: $RUN/function.log)"
}

# ---------------------------------------------------------------- main
# Keys survive restarts of single pieces (lanes keep their config); a full down.sh forgets them.
SERVICE_KEY="$(env_value SUPABASE_SERVICE_KEY "$RUN/env")"
ANON_KEY="$(env_value SUPABASE_ANON_KEY "$RUN/env")"
[ -n "$SERVICE_KEY" ] || SERVICE_KEY="sb_secret_$(random_hex 24)"
[ -n "$ANON_KEY" ] || ANON_KEY="sb_publishable_$(random_hex 16)"

want db && up_db
want function && up_function

DB_PASSWORD="$(read_file "$RUN/db_password")"
(umask 077; cat >"$RUN/env.tmp" <<EOF
SUPABASE_URL=http://127.0.0.1:$API_PORT
SUPABASE_SERVICE_KEY=$SERVICE_KEY
SUPABASE_SERVICE_ROLE_KEY=$SERVICE_KEY
SUPABASE_ANON_KEY=$ANON_KEY
SUPABASE_DB_URL=postgres://postgres:$DB_PASSWORD@127.0.0.1:$DB_PORT/postgres
EOF
)
mv "$RUN/env.tmp" "$RUN/env"
say "ready: $RUN/env"
