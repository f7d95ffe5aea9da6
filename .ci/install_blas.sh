#!/usr/bin/env bash
# Installs Debian's OpenBLAS for `--backend blas` (model/blas.ts) and its parity tests.
# Idempotent: apt is skipped when libopenblas.so.0 is already known to the loader.
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0'; then
  echo "install_blas.sh: libopenblas.so.0 present, skipping apt"
  exit 0
fi
sudo=""
if [[ "$(id -u)" -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends libopenblas0-pthread
