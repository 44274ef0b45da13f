#!/usr/bin/env bash
# Accelerated retention soak: a week of "keep 7 days" squeezed into minutes. One lane with the local cloud rings up
# sales the whole time; uploads run every second and retention every 5 s, keeping cloud_ack rows and inbox entries for
# 30 s. Every 20 s it prints the rows per table and the database size: after the first 30 s they must level off.
# Usage: bash bench/scripts/retention-soak.sh [seconds=180] [sales-per-second=20]
# (export POSBUS_CLOUD_DB_PORT / POSBUS_CLOUD_API_PORT first to use a cloud other than the default one.)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-180}
rate=${2:-20}
dll=src/PosBus.Terminal/bin/Release/net10.0/PosBus.Terminal.dll
[ -f "$dll" ] || dotnet build src/PosBus.Terminal -c Release -v q >/dev/null
bash infra/local-cloud/up.sh >/dev/null
set -a && . infra/local-cloud/.run/env && set +a

dir=$(mktemp -d /tmp/posbus-soak.XXXXXX)
cat >"$dir/settings.local.json" <<'JSON'
{ "CloudSync": { "Interval": "00:00:01" },
  "Retention": { "Interval": "00:00:05", "CloudAckedAge": "00:00:30", "InboxAge": "00:00:30" } }
JSON
export TERMINAL_ID="S$RANDOM" TERMINAL_PORT=$((20000 + RANDOM % 20000)) POSBUS_DATA_DIR="$dir" POSBUS_CONFIG_DIR="$dir" \
  STORE_SECRET=soak-secret-0123456789 PEER_TERMINALS=
dotnet "$dll" run >"$dir/run.log" 2>&1 &
lane=$!
dotnet "$dll" simulate --events $((duration * rate)) --rate "$rate" >"$dir/simulate.log" 2>&1 &
sim=$!
trap 'kill "$sim" "$lane" 2>/dev/null || true' EXIT

printf '%6s %8s %8s %8s %8s %10s %10s\n' seconds outbox replica inbox sales db_bytes wal_bytes
for ((t = 20; t <= duration; t += 20)); do
  sleep 20
  rows=$(sqlite3 "$dir/posbus.db" "select (select count(*) from outbox),(select count(*) from replica),(select count(*) from inbox),(select count(*) from sales)" | tr '|' ' ')
  printf '%6d %8s %8s %8s %8s %10d %10d\n' "$t" $rows "$(stat -c %s "$dir/posbus.db")" "$(stat -c %s "$dir/posbus.db-wal" 2>/dev/null || echo 0)"
done
grep -c "Retention removed" "$dir/run.log" | xargs echo "retention runs that removed rows:"
