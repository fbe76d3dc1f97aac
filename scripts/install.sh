#!/usr/bin/env bash
# Installs a built leadhygiene binary with its man page and shell completions under a prefix.
# Usage: scripts/install.sh BINARY PREFIX
set -euo pipefail
binary=$1
prefix=$2
install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
  "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d" "$prefix/share/doc/leadhygiene"
install -m 755 "$binary" "$prefix/bin/leadhygiene"
# The completions and the man page come from the installed binary itself (swift-argument-parser), so they
# always describe the commands it has.
"$prefix/bin/leadhygiene" --generate-completion-script bash > "$prefix/share/bash-completion/completions/leadhygiene"
"$prefix/bin/leadhygiene" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_leadhygiene"
"$prefix/bin/leadhygiene" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/leadhygiene.fish"
python3 "$(dirname "$0")/make-man-page.py" "$prefix/bin/leadhygiene" > "$prefix/share/man/man1/leadhygiene.1"
root="$(cd "$(dirname "$0")/.." && pwd)"
install -m 644 "$root/README.md" "$root/CHANGELOG.md" "$prefix/share/doc/leadhygiene/"
for notice in "$root"/Sources/*/Resources/NOTICE.md; do
  module=$(basename "$(dirname "$(dirname "$notice")")")
  install -m 644 "$notice" "$prefix/share/doc/leadhygiene/NOTICE-$module.md"
done
echo "installed leadhygiene $("$prefix/bin/leadhygiene" --version) under $prefix"
