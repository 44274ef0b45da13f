#!/usr/bin/env bash
# Follows docs/adopting.md as a new POS team would: a brand-new app from `dotnet new` that takes PosBus only as packages
# from artifacts/packages (no project reference, no copied PosBus code). Its files are the doc's `file:` blocks, its
# commands the doc's. Then two lanes of it run with the local cloud: a count posted at L1 must be applied by L2's
# consumer, peer-acked and cloud-acked at L1, and be in Postgres exactly once; and the doc's tests must pass.
# Needs the packages (samples/test-against-packages.sh) and the local cloud (infra/local-cloud/up.sh).
# Usage: samples/new-app-check.sh [--results DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
results="$root/artifacts/test-results"
[ "${1:-}" = "--results" ] && results="$2"
# Absolute before the script changes into the new app's folder (a relative DIR would land the TRX there, where the
# caller's count never finds it).
mkdir -p "$results" && results="$(cd "$results" && pwd)"
doc="$root/docs/adopting.md"
version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")"
work="$(mktemp -d /tmp/posbus-new-app.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
say() { echo "[new-app] $*"; }
fail() { echo "[new-app] FAILED: $*" >&2; for log in "$work"/lane-*.log; do [ -f "$log" ] && { echo "--- $log"; tail -n 30 "$log"; }; done; exit 1; }

# Writes every `<!-- file: path -->` block of the doc under $work.
extract_files() {
  awk -v dir="$work" '
    /^<!-- file: .* -->$/ { path = $3; want = 1; next }
    want && /^```/ { want = 0; inside = 1; out = dir "/" path; system("mkdir -p \"$(dirname \"" out "\")\""); printf "" > out; next }
    inside && /^```$/ { inside = 0; close(out); next }
    inside { print >> out }
  ' "$doc"
}

cd "$work"
export NUGET_PACKAGES="$root/artifacts/new-app-packages" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rm -rf "$NUGET_PACKAGES"/posbus.*   # only this checkout's packages may pass

say "dotnet new (in $work)"
dotnet new web -n MyTill -o MyTill >/dev/null
dotnet new classlib -n MyTill.Tests -o MyTill.Tests >/dev/null
extract_files
sed -i "s#../posbus/artifacts/packages#$root/artifacts/packages#" nuget.config
[ -f MyTill/Program.cs ] && [ -f MyTill.Tests/StockConsumerTests.cs ] || fail "the doc's file blocks were not found"

say "adding packages as the doc says"
# Every `dotnet add` line of the doc, run as written.
grep -E '^dotnet add |^rm MyTill' "$doc" | sed "s/--version 1\.0\.0/--version $version/" >commands.sh
bash -e commands.sh >add.log 2>&1 || { cat add.log; fail "a dotnet add command of the doc failed"; }
grep -q 'ProjectReference' MyTill/MyTill.csproj && fail "the app references a project"

say "build"
dotnet build MyTill -c Release >build.log 2>&1 || { grep -E 'error' build.log | sort -u; fail "the app does not build"; }

cloud_env="$root/infra/local-cloud/.run/env"
[ -f "$cloud_env" ] || fail "no local cloud ($cloud_env); run infra/local-cloud/up.sh"
# shellcheck disable=SC1090
source "$cloud_env"
store="newapp-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo $((20000 + RANDOM % 10000)); }
p1=$(port); p2=$(port)
export PeerSync__StoreSecret="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
export CloudSync__SupabaseUrl="$SUPABASE_URL" CloudSync__ServiceKey="$SUPABASE_SERVICE_KEY" Lane__StoreId="$store"
start_lane() { # id port peer-port
  (cd MyTill && Lane__TerminalId=$1 PeerSync__Port=$2 PeerSync__Peers=ws://127.0.0.1:$3 \
    exec dotnet bin/Release/net10.0/MyTill.dll >"$work/lane-$1.log" 2>&1) &
  pids+=($!)
}
start_lane L1 "$p1" "$p2"
start_lane L2 "$p2" "$p1"
wait_for() { # seconds description command...
  local until=$((SECONDS + $1)) what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $until ] || fail "$what"; sleep 0.5; done
}
wait_for 60 "lane L1 not ready" curl -fsS "http://127.0.0.1:$p1/health/ready"
wait_for 60 "lane L2 not ready" curl -fsS "http://127.0.0.1:$p2/health/ready"

say "a count at L1"
id="$(curl -fsS -X POST "http://127.0.0.1:$p1/counts/SKU-1/-2" | sed -E 's/.*"messageId":"([^"]+)".*/\1/')"
[[ "$id" =~ ^[0-9a-f-]{36}$ ]] || fail "POST /counts answered no message id: $id"
wait_for 60 "L2's consumer did not apply $id" bash -c "curl -fsS http://127.0.0.1:$p2/store-stock | grep -q '$id'"
wait_for 60 "L1's own consumer did not apply $id" bash -c "curl -fsS http://127.0.0.1:$p1/store-stock | grep -q '$id'"
wait_for 90 "L1 never saw cloud_ack" bash -c "curl -fsS http://127.0.0.1:$p1/status | grep -Eq '\"cloud_ack\": ?1'"
rows="$(PGPASSWORD= psql "$SUPABASE_DB_URL" -tA -c "select count(*) from pos_messages where message_id = '$id' and store_id = '$store'")"
[ "$rows" = "1" ] || fail "pos_messages holds $rows rows for $id (want 1)"
say "L2 applied L1's count, L1 peer- and cloud-acked it, Postgres holds it once"
cleanup; pids=()

say "the doc's tests"
mkdir -p "$results"
dotnet test MyTill.Tests -c Release --logger "trx;LogFileName=MyTill.Tests.trx" --results-directory "$results" >test.log 2>&1 \
  || { tail -n 40 test.log; fail "the doc's tests failed"; }
grep -E 'Passed!|Failed!' test.log || true
say "ok"
