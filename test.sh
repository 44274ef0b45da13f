#!/usr/bin/env bash
# The test command of the README: installs what the tests need (PostgreSQL 15, Deno via npm),
# starts the local cloud, builds, runs every test project, and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MASSTRANSIT_USAGE_TELEMETRY=false

bash infra/local-cloud/up.sh
trap 'bash infra/local-cloud/down.sh >/dev/null 2>&1 || true' EXIT

echo "== build"
dotnet build PosBus.sln -c Release -warnaserror 2>&1 | tail -n 3

echo "== test"
mkdir -p artifacts
log=artifacts/test-output.log
set +e
dotnet test PosBus.sln -c Release --no-build --logger "console;verbosity=normal" --results-directory artifacts/test-results 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# dotnet test prints one summary per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12 ...".
summary=$(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' \
  | awk '{f+=$1; p+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped", p, f, s}')
assemblies=$(grep -cE '^(Passed|Failed)!' "$log" || true)
echo "$summary"
if [ "$status" -ne 0 ] || [ "${assemblies:-0}" -eq 0 ]; then
  exit 1
fi
