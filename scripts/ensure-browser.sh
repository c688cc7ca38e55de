#!/usr/bin/env bash
# What the review pages' browser tests need (tests/browser/): Debian's Chromium, driven by
# Playwright through executable_path (Playwright's own browser download is never used),
# and axe-core from the npm registry, pinned by tests/browser/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
    echo "== Installing Chromium (Debian package) for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q chromium >/dev/null
fi
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
    echo "== Installing axe-core for the browser tests"
    npm ci --prefix tests/browser --no-audit --no-fund --silent
fi
