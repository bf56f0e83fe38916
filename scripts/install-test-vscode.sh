#!/usr/bin/env bash
# Installs what the real-VS Code tests need, on a Debian 12 machine as root:
#   - apt packages: chromium (browser), libkrb5-dev (builds code-server's kerberos module),
#     ripgrep (replaces the rg binary @vscode/ripgrep would download), fonts-noto-cjk
#     (Chinese labels in screenshots);
#   - code-server (which ships VS Code's own server) into the git-ignored .vscode-test/.
# Idempotent: every step is skipped when its result is already there, so a second run is fast.
# Works without a terminal (CI=true, no stdin). Only the npm registry and Debian mirrors are used.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# @vscode/ripgrep version pinned by that code-server, and the rg release it looks for in its cache.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_RELEASE=v13.0.0-10

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.vscode-test/code-server-$CODE_SERVER_VERSION"
MARKER="$DEST/.install-complete"

log() { echo "[install-test-vscode] $*"; }

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

# --- code-server --------------------------------------------------------------------------
if [[ -f "$MARKER" && -f "$DEST/node_modules/code-server/lib/vscode/out/server-main.js" ]]; then
  exit 0
fi

log "installing code-server@$CODE_SERVER_VERSION into ${DEST#"$ROOT"/} (about 1-2 minutes)"
start=$SECONDS
rm -rf "$DEST"
mkdir -p "$DEST/tmp"

# A private TMPDIR keeps the ripgrep cache and build leftovers inside .vscode-test.
export TMPDIR="$DEST/tmp"

# @vscode/ripgrep would download rg from GitHub; it takes it from this cache instead.
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
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

# node-gyp would download Node's headers; the system nodejs package ships them in /usr/include/node.
if [[ -z "${npm_config_nodedir:-}" && "$(command -v node)" == /usr/bin/node && -f /usr/include/node/node.h ]]; then
  export npm_config_nodedir=/usr
fi

(
  cd "$DEST"
  # unsafe_perm: code-server's postinstall refuses to run as root without it.
  # yes: node-pty's postinstall runs `npx node-gyp`, which this machine's npm config would refuse.
  npm_config_unsafe_perm=true \
  npm_config_yes=true \
  npm_config_dangerously_allow_all_scripts=true \
  npm_config_audit=false \
  npm_config_fund=false \
  npm_config_update_notifier=false \
    npm install --no-package-lock --loglevel=error "code-server@$CODE_SERVER_VERSION" \
    >"$DEST/install.log" 2>&1
) || {
  echo "[install-test-vscode] npm install of code-server failed; last lines of $DEST/install.log:" >&2
  tail -n 40 "$DEST/install.log" >&2
  exit 1
}

if [[ ! -f "$DEST/node_modules/code-server/lib/vscode/out/server-main.js" ]]; then
  echo "[install-test-vscode] code-server installed but server-main.js is missing" >&2
  exit 1
fi
rm -rf "$TMPDIR"
touch "$MARKER"
log "done in $((SECONDS - start)) s"
