#!/usr/bin/env bash
# Makes headless Chromium ready for the browser tests (the report and the dashboard), idempotently:
# installs Debian's `chromium` package when no chromium binary is on PATH. puppeteer-core drives that
# system binary; nothing is downloaded besides the Debian package.
set -euo pipefail

say() { echo "setup-browser: $*" >&2; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

if ! command -v chromium >/dev/null 2>&1; then
  say "installing chromium"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
fi
say "$(chromium --version 2>/dev/null | tail -1) is ready"
