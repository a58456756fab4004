#!/usr/bin/env bash
# Installs mjarchive's shell completions (bash, zsh, fish) and its man page, both generated from the command
# definitions by swift-argument-parser's own generators (`--generate-completion-script`, the GenerateManual
# plugin), so they never drift from the commands. Usage: Scripts/install-shell-support.sh [PREFIX]
# (default ~/.local; /usr/local for every user). Then: `man mjarchive`; completions load in new shells.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-$HOME/.local}
swift build -c release --product mjarchive >&2
binary=.build/release/mjarchive
install -d "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" \
  "$prefix/share/fish/vendor_completions.d" "$prefix/share/man/man1"
"$binary" --generate-completion-script bash >"$prefix/share/bash-completion/completions/mjarchive"
"$binary" --generate-completion-script zsh >"$prefix/share/zsh/site-functions/_mjarchive"
"$binary" --generate-completion-script fish >"$prefix/share/fish/vendor_completions.d/mjarchive.fish"
swift package plugin --allow-writing-to-package-directory generate-manual --configuration release >&2
install -m 0644 .build/plugins/GenerateManual/outputs/mjarchive/mjarchive.1 "$prefix/share/man/man1/mjarchive.1"
echo "installed under $prefix/share: bash-completion/completions/mjarchive, zsh/site-functions/_mjarchive," \
  "fish/vendor_completions.d/mjarchive.fish, man/man1/mjarchive.1"
