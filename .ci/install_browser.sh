#!/usr/bin/env bash
# Installs Debian's Chromium for tests/report_browser_test.ts (the run report in a real browser).
# Idempotent: apt is skipped when /usr/bin/chromium is already there.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  echo "install_browser.sh: chromium present, skipping apt"
  exit 0
fi
sudo=""
if [[ "$(id -u)" -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends chromium
