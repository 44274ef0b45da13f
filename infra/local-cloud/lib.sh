# Shared by up.sh and down.sh (sourced, not run). Paths, ports and process checks.
# shellcheck shell=bash

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SUPABASE_DIR="$REPO/infra/supabase"
FUNCTION_DIR="$SUPABASE_DIR/functions/sync-pos-message"
RUN="$HERE/.run"
PG_BIN="${POSBUS_PG_BIN:-/usr/lib/postgresql/15/bin}"
DB_PORT="${POSBUS_CLOUD_DB_PORT:-54322}"
API_PORT="${POSBUS_CLOUD_API_PORT:-54321}"
DENO="$HERE/node_modules/.bin/deno"
export DENO_DIR="${DENO_DIR:-$RUN/deno}"

say() { printf '[local-cloud] %s\n' "$*"; }
die() { printf '[local-cloud] ERROR: %s\n' "$*" >&2; exit 1; }

# --only db|function selects one piece; default is both.
parse_only() {
  ONLY=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --only) ONLY="${2:-}"; shift 2 || true ;;
      --only=*) ONLY="${1#--only=}"; shift ;;
      -h|--help) echo "usage: $0 [--only db|function]"; exit 0 ;;
      *) die "unknown argument: $1 (usage: $0 [--only db|function])" ;;
    esac
  done
  case "$ONLY" in ""|db|function) ;; *) die "--only takes db or function, not '$ONLY'" ;; esac
}
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

# One up/down at a time, across processes (several test assemblies may start the cloud at once).
take_lock() {
  mkdir -p "$RUN"
  exec 9>"$RUN/lock"
  flock -w 120 9 || die "another up/down still holds $RUN/lock after 120 s (fuser $RUN/lock shows who)"
}

# True if PID is alive (not a zombie) and its command line contains PATTERN. This machine's PID 1
# reaps slowly, so `kill -0` alone would also succeed for a dead process, or for a reused PID.
pid_is() {
  local pid="$1" pattern="$2" state
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [ "$state" != "Z" ] && [ -n "$state" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$pattern"
}

# Wait until PID is gone or a zombie; SIGKILL after the grace period.
stop_pid() {
  local pid="$1" pattern="$2" i
  pid_is "$pid" "$pattern" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do pid_is "$pid" "$pattern" || return 0; sleep 0.1; done
  say "pid $pid ignored SIGTERM for 5 s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# Postgres refuses to run as root; a non-root developer simply runs it as themself.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

read_file() { [ -f "$1" ] && cat "$1" || true; }

# Value of KEY in a KEY=VALUE file, empty if absent.
env_value() { [ -f "$2" ] && sed -n "s/^$1=//p" "$2" | tail -n 1 || true; }

function_url() { echo "http://127.0.0.1:$API_PORT/functions/v1/sync-pos-message"; }

# Any HTTP answer from the function route (401 without a key) means the server is serving.
# curl when present; otherwise bash's /dev/tcp, so a bare CI image needs nothing more.
function_answers() {
  local code
  if command -v curl >/dev/null 2>&1; then
    code="$(curl -s -o /dev/null -m 2 -w '%{http_code}' -X POST "$(function_url)" 2>/dev/null || true)"
    [ -n "$code" ] && [ "$code" != "000" ]
  else
    code="$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$API_PORT && printf 'POST /functions/v1/sync-pos-message HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -c 8 <&3" 2>/dev/null || true)"
    [ "$code" = "HTTP/1.1" ]
  fi
}
