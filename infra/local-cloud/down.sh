#!/usr/bin/env bash
# Stops what up.sh started, and only that (pids from .run, checked against /proc/PID/cmdline).
# Usage: down.sh [--only db|function]
#   full down: stops both, deletes the temp data dir and .run/env (keys are forgotten).
#   --only db: stops postgres but keeps its data dir, so `up.sh --only db` restarts the same data.
#   --only function: stops the deno server only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
parse_only "$@"
take_lock

down_function() {
  local pid; pid="$(read_file "$RUN/function.pid")"
  if pid_is "$pid" "$HERE/serve.ts"; then
    say "stopping function (pid $pid)"
    stop_pid "$pid" "$HERE/serve.ts"
  else
    say "function not running"
  fi
  rm -f "$RUN/function.pid"
}

down_db() {
  local data pid; data="$(read_file "$RUN/datadir")"
  pid="$(read_file "$RUN/db.pid")"
  if [ -n "$data" ] && [ -f "$data/pg/postmaster.pid" ]; then
    pid="$(head -n 1 "$data/pg/postmaster.pid")"
  fi
  if [ -n "$data" ] && pid_is "$pid" "$data/pg"; then
    say "stopping postgres (pid $pid)"
    # fast = roll back open transactions and disconnect clients, like a crash the lanes must survive.
    as_pg "$PG_BIN/pg_ctl" -D "$data/pg" -m fast -w -t 30 -s stop \
      || stop_pid "$pid" "$data/pg"
    stop_pid "$pid" "$data/pg"   # pg_ctl returns when the pid file is gone; make sure the process is too
  else
    say "postgres not running"
  fi
  rm -f "$RUN/db.pid"
  if [ -z "$ONLY" ] && [ -n "$data" ]; then
    # Only ever a dir that up.sh made with mktemp; never follow an edited path elsewhere.
    case "$data" in
      /tmp/posbus-cloud.*) cp -f "$data/postgres.log" "$RUN/postgres.last.log" 2>/dev/null || true
                           rm -rf "$data"; say "removed $data" ;;
      *) say "not removing unexpected data dir '$data'" ;;
    esac
    rm -f "$RUN/datadir" "$RUN/db_password" "$RUN/env"
  fi
}

want function && down_function
want db && down_db
say "down${ONLY:+ (--only $ONLY)}"
