#!/bin/sh
# What the test suite needs beyond Python packages: Debian's Chromium (real browser tests),
# fonts that cover Vietnamese for screenshots, and the npm tools listed in package.json.
set -eu
cd "$(dirname "$0")/.."
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -d /usr/share/fonts/truetype/noto ] || need="$need fonts-noto-core"
command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
if [ -n "$need" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >/dev/null
fi
# `npm install`, not `npm ci`: the lock file pins every package, but it cannot list Pagefind's
# binaries for other platforms when the registry in use does not serve them, and `npm ci` refuses
# a lock without them. `npm install` follows the lock and skips what this platform does not need.
npm install --no-audit --no-fund --loglevel=error
