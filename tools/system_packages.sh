#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the browser tests (Playwright cannot download
# its own browser here), Node.js and npm for axe-core, fontconfig for matplotlib, PostgreSQL's
# server binaries (initdb, pg_ctl) for the practice platform's tests, which start their own server.
# Installs what is missing when run as root with apt-get; otherwise fails and says what to install.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v npm >/dev/null || need+=(nodejs npm)
command -v fc-list >/dev/null || need+=(fontconfig)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || need+=(postgresql)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ -x /usr/bin/chromium ] || { echo "chromium did not install: /usr/bin/chromium missing" >&2; exit 1; }
  compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || { echo "postgresql did not install: no /usr/lib/postgresql/*/bin/pg_ctl" >&2; exit 1; }
  exit 0
fi
echo "Missing system packages: ${need[*]}. Install them, e.g.: sudo apt-get install ${need[*]}" >&2
exit 1
