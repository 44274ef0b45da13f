#!/usr/bin/env bash
# The test command of the README: installs what the tests need (PostgreSQL 15, Deno via npm),
# starts the local cloud, builds, runs every test project and the sample till's tests against the packed packages,
# and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MASSTRANSIT_USAGE_TELEMETRY=false

bash infra/local-cloud/up.sh
trap 'bash infra/local-cloud/down.sh >/dev/null 2>&1 || true' EXIT

echo "== build"
# The whole log goes to a file; on failure every compiler error is shown in full (not just the summary's last lines).
mkdir -p artifacts
if ! dotnet build PosBus.sln -c Release -warnaserror >artifacts/build.log 2>&1; then
  grep -E ': (error|warning) ' artifacts/build.log | sort -u || tail -n 40 artifacts/build.log
  echo "build failed (full log: artifacts/build.log)"
  exit 1
fi
tail -n 3 artifacts/build.log

# One project at a time: several suites take the shared local cloud away on purpose (outage drills),
# which must not hit another suite's uploads mid-flight.
echo "== test"
results="$PWD/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
failed_projects=()
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  started=$SECONDS
  echo "-- $name"
  if ! dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" 2>&1 | tee "$results/$name.log"; then
    failed_projects+=("$name")
  fi
  echo "-- $name took $((SECONDS - started)) s"
done

# The sample till's tests, built against the packages just packed from this build (as a POS team consumes PosBus).
echo "-- samples (against artifacts/packages)"
started=$SECONDS
if ! bash samples/test-against-packages.sh --no-build --results "$results" 2>&1 | tee "$results/samples.log"; then
  failed_projects+=("samples")
fi
echo "-- samples took $((SECONDS - started)) s"

# docs/adopting.md followed by a brand-new app (dotnet new + the packages only): two lanes, a peer, the local cloud, its tests.
echo "-- new app from docs/adopting.md"
started=$SECONDS
if ! bash samples/new-app-check.sh --results "$results" 2>&1 | tee "$results/new-app.log"; then
  failed_projects+=("new-app")
fi
echo "-- new app took $((SECONDS - started)) s"

# The counts come from each project's TRX file; a project whose test host died writes none and counts as failed.
passed=0 failed=0
for name in $(basename -s .csproj tests/*/*.Tests.csproj samples/*/*.Tests.csproj) MyTill.Tests; do
  trx="$results/$name.trx"
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
  else
    failed=$((failed + 1))
  fi
done

if [ ${#failed_projects[@]} -gt 0 ]; then
  echo "failing projects: ${failed_projects[*]}"
fi
echo "$passed passed, $failed failed"
[ ${#failed_projects[@]} -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
