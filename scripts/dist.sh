#!/usr/bin/env bash
# Builds out/leadhygiene-VERSION-linux-ARCH.tar.gz: the binary, its man page and completions, the sample
# pipelines and data, the README, CHANGELOG and data notices — a folder that runs wherever it is unpacked.
# Usage: scripts/dist.sh BINARY VERSION
set -euo pipefail
binary=$1
version=$2
root="$(cd "$(dirname "$0")/.." && pwd)"
name="leadhygiene-$version-linux-$(uname -m)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
bash "$root/scripts/install.sh" "$binary" "$stage/$name" >/dev/null
mkdir -p "$stage/$name/share/leadhygiene"
cp -R "$root/Pipelines" "$root/SampleData" "$stage/$name/share/leadhygiene/"
mkdir -p "$root/out"
tar -C "$stage" -czf "$root/out/$name.tar.gz" "$name"
echo "out/$name.tar.gz"
