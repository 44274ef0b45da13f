#!/usr/bin/env bash
# Packs PosBus from this checkout into artifacts/packages and builds and tests the samples against those packages only
# (samples/nuget.config): the PosBus packages in the samples' package folder are removed first, so a package packed
# earlier cannot pass for this checkout's. The sample's cloud test needs the local cloud (infra/local-cloud/up.sh).
# Usage: samples/test-against-packages.sh [--no-build] [--results DIR]
#   --no-build  pack what `dotnet build PosBus.sln -c Release` already built (test.sh does that first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
pack_args=() results="$root/artifacts/test-results"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) pack_args+=(--no-build) ;;
    --results) results="$2"; shift ;;
    *) echo "usage: $0 [--no-build] [--results DIR]" >&2; exit 2 ;;
  esac
  shift
done

echo "== pack"
rm -rf artifacts/packages
dotnet pack PosBus.sln -c Release -o artifacts/packages "${pack_args[@]}" -nologo -v q -clp:ErrorsOnly
bash samples/check-packages.sh artifacts/packages

echo "== samples against the packages"
rm -rf artifacts/samples-packages/posbus.*
if ! dotnet build samples/PosBus.Samples.slnx -c Release -warnaserror --force >artifacts/samples-build.log 2>&1; then
  grep -E ': (error|warning) ' artifacts/samples-build.log | sort -u || tail -n 40 artifacts/samples-build.log
  echo "samples build failed (full log: artifacts/samples-build.log)"
  exit 1
fi
# The build must have used the packages just packed, not a project or another folder.
grep -q "artifacts/packages" samples/PosBus.Sample.Till.Tests/obj/project.assets.json \
  || { echo "the samples did not restore from artifacts/packages"; exit 1; }
mkdir -p "$results"
dotnet test samples/PosBus.Sample.Till.Tests -c Release --no-build --logger "console;verbosity=normal" \
  --logger "trx;LogFileName=PosBus.Sample.Till.Tests.trx" --results-directory "$results"
