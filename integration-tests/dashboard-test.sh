#!/usr/bin/env bash
# The dashboard end to end in headless Chromium, against a running local stack (./setup.sh):
# submits a job through the form on /, follows it on job.html until COMPLETED without any reload
# (status, progress bars and the task timeline must change live), checks its counters and results,
# and that a jobs list left open shows it too; then Swagger UI submits a job with "Try it out" (201,
# and the job completes), the query box runs SQL (named columns, a chart, a CSV download; a bad
# query's line and column), and the Formats page previews lines. Screenshots: integration-tests/browser/out/.
#
# Needs node 18+ with npm, and Chromium (Debian: apt-get install chromium). Uses playwright-core
# from npm (pinned in browser/package-lock.json) with that Chromium; no browser download.
#
# Environment: GATEWAY_URL (http://127.0.0.1:8090), CHROMIUM (/usr/bin/chromium, else chromium or
# chromium-browser on the PATH), MAPREDUCE_API_KEY (when the gateway wants keys), NUM_MAPPERS (8),
# HOLD_DIR (.local/holds). The map workers must run with the test-only hold fault (lib/holds.sh): map
# task 0 is held until the page has shown the job part done; workers without it are restarted with it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
log() { printf 'dashboard-test: %s\n' "$*"; }
# shellcheck source=lib/holds.sh
source "$HERE/lib/holds.sh"
BROWSER="$HERE/browser"
missing=()

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing+=("node 18+ and npm (Debian: apt-get install nodejs npm)")
elif ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
    missing+=("node 18 or newer (found $(node --version))")
fi

if [[ -z "${CHROMIUM:-}" ]]; then
    for candidate in /usr/bin/chromium "$(command -v chromium || true)" "$(command -v chromium-browser || true)"; do
        if [[ -n "$candidate" && -x "$candidate" ]]; then
            CHROMIUM="$candidate"
            break
        fi
    done
fi
if [[ -z "${CHROMIUM:-}" || ! -x "${CHROMIUM}" ]]; then
    missing+=("Chromium (Debian: apt-get install chromium; or set CHROMIUM=/path/to/chromium)")
fi

if ((${#missing[@]})); then
    echo "dashboard-test: cannot run, missing:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 2
fi
export CHROMIUM HOLD_DIR
ensure_holds map-worker-1 map-worker-2 || exit 2

cd "$BROWSER"
# npm ci only when playwright-core is not installed at the locked version
locked="$(node -p 'require("./package-lock.json").packages["node_modules/playwright-core"].version')"
installed="$(node -p 'require("./node_modules/playwright-core/package.json").version' 2>/dev/null || true)"
if [[ "$installed" != "$locked" ]]; then
    echo "dashboard-test: npm ci (playwright-core $locked)"
    npm ci --no-audit --no-fund --loglevel=error
fi

node dashboard.test.mjs
node swagger.test.mjs
node query.test.mjs
exec node formats.test.mjs
