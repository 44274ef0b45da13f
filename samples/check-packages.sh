#!/usr/bin/env bash
# Checks what `dotnet pack PosBus.sln` produced: exactly the library packages, one version (VersionPrefix of
# Directory.Build.props), each with its README, its own assembly only (no test, demo or tool code), and symbols.
# Usage: samples/check-packages.sh [packages-dir]   (default artifacts/packages)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/artifacts/packages}"
version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")"
expected=(PosBus.Contracts PosBus.Ledger PosBus.Outbox PosBus.PeerSync PosBus.CloudSync PosBus.Operations PosBus.Testing)
problems=()

for id in "${expected[@]}"; do
  nupkg="$dir/$id.$version.nupkg"
  if [ ! -f "$nupkg" ]; then problems+=("$id: $nupkg missing"); continue; fi
  [ -f "$dir/$id.$version.snupkg" ] || problems+=("$id: no symbol package")
  listing="$(unzip -Z1 "$nupkg")"
  grep -qx 'README.md' <<<"$listing" || problems+=("$id: no README.md")
  grep -qx "lib/net10.0/$id.dll" <<<"$listing" || problems+=("$id: no lib/net10.0/$id.dll")
  others="$(grep -E '\.(dll|exe)$' <<<"$listing" | grep -vx "lib/net10.0/$id.dll" || true)"
  [ -z "$others" ] || problems+=("$id: carries other code: $(tr '\n' ' ' <<<"$others")")
  nuspec="$(unzip -p "$nupkg" "$id.nuspec")"
  grep -q "<version>$version</version>" <<<"$nuspec" || problems+=("$id: nuspec version is not $version")
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || problems+=("$id: nuspec names no readme")
  # Sibling dependencies carry the same version: the packages are released together.
  while read -r dep; do
    [ -z "$dep" ] || problems+=("$id: depends on $dep")
  done < <(grep -o '<dependency id="PosBus\.[^"]*" version="[^"]*"' <<<"$nuspec" | grep -v "version=\"$version\"" || true)
done

for nupkg in "$dir"/*.nupkg; do
  id="$(basename "$nupkg" ".$version.nupkg")"
  [[ " ${expected[*]} " == *" $id "* ]] || problems+=("unexpected package: $(basename "$nupkg")")
done

if [ ${#problems[@]} -gt 0 ]; then
  printf 'package check failed:\n'; printf '  %s\n' "${problems[@]}"
  exit 1
fi
echo "packages ok: ${#expected[@]} packages, version $version, in $dir"
