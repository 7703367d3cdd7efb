#!/usr/bin/env bash
# Installs the test's npm packages (playwright-core, pinned in tests/web/browser/package-lock.json)
# with `npm ci`, only when the lock file changed since the last install, so `make test` stays fast.
# Never downloads a browser: the tests drive Debian's /usr/bin/chromium.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$here/tests/web/browser
stamp=$dir/node_modules/.venuekiosk-lock.sha256

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "ensure-npm: node and npm (Node.js 20 or later) are needed for the browser tests in" >&2
  echo "  tests/web/browser; install Node.js 20+ with its npm, then run 'make test' again." >&2
  exit 1
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "ensure-npm: Node.js $(node --version) is too old for playwright-core; the browser tests need" >&2
  echo "  Node.js 20 or later (Debian 12's own nodejs is 18): install Node.js 20+, then run 'make test' again." >&2
  exit 1
fi

want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi

echo "Installing the browser tests' npm packages (npm ci in tests/web/browser) ..." >&2
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
echo "$want" >"$stamp"
