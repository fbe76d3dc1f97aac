#!/usr/bin/env bash
# Unpacks a dist tarball into a fresh folder, moves that folder elsewhere, hides the build folders, and
# runs --version, `stages` and the sample pipeline from a third directory: the binary must need nothing
# from the machine that built it beyond the system libraries the README lists.
# Usage: scripts/test-install.sh TARBALL
set -euo pipefail
tarball="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$tarball"
unpacked=$(ls "$work")
mv "$work/$unpacked" "$work/moved"
prefix="$work/moved"
mkdir -p "$work/elsewhere"
cp -R "$prefix/share/leadhygiene/SampleData" "$prefix/share/leadhygiene/Pipelines" "$work/elsewhere/"
check() {
  set -euo pipefail
  cd "$work/elsewhere"
  "$prefix/bin/leadhygiene" --version
  "$prefix/bin/leadhygiene" stages > stages.txt
  grep -q "^dedupe  —  " stages.txt
  # The weekly pipeline with DNS off: a test talks to no name server but a local one.
  cat > weekly.yml <<YAML
name: weekly-offline
input:  { path: SampleData/leads.csv }
output: { path: out/clean.csv, rejects: out/rejects.csv, report: out/report.json }
store: out/store.sqlite
columns: { record_id: "Lead ID" }
stages:
  - normalize: {}
  - email_check: { dns: { enabled: false } }
  - dedupe: { mode: annotate }
  - firmographic_merge: { sources: [ { name: sample, path: SampleData/firmographics.csv, as_of: 2026-10-01 } ] }
  - decay: {}
YAML
  "$prefix/bin/leadhygiene" run weekly.yml --quiet
  test -s out/clean.csv
  grep -q '"status": "ok"' out/report.json
  man -l "$prefix/share/man/man1/leadhygiene.1" > man.txt 2>/dev/null || true
  grep -q "leadhygiene run" man.txt || ! command -v man >/dev/null
  echo "test-install: passed"
}
export -f check
export prefix work
# Hide every build folder, so a fallback to the absolute build path (SwiftPM's resource bundles) would show.
empty="$work/empty"; mkdir -p "$empty"
if unshare -m true 2>/dev/null; then
  binds=""
  for folder in "$root"/.build "$root"/.build-*; do [ -d "$folder" ] && binds="$binds mount --bind $empty $folder;"; done
  unshare -m bash -c "$binds check"
else
  echo "test-install: unshare is not permitted here; running without hiding the build folders"
  check
fi
