#!/usr/bin/env bash
# Installs Jupyter from Debian packages and registers the Deno kernel, for tests/notebooks_test.ts.
#
# Usage: bash .ci/install_jupyter.sh [path/to/deno]
#   The Deno binary defaults to `command -v deno`. Its real path (symlinks resolved, e.g. an npm
#   install's node_modules/.bin/deno) goes into the kernelspec, so the kernel starts the same deno.
# Idempotent and non-interactive: apt is skipped when jupyter-nbconvert is already there, and the
# kernelspec is rewritten (--force) on every run.
set -euo pipefail

deno_bin="${1:-$(command -v deno || true)}"
if [[ -z "$deno_bin" ]]; then
  echo "install_jupyter.sh: deno is not on PATH; pass its path as the first argument" >&2
  exit 1
fi
deno_bin="$(readlink -f "$deno_bin")"
if [[ ! -x "$deno_bin" ]]; then
  echo "install_jupyter.sh: $deno_bin is not an executable file" >&2
  exit 1
fi

if command -v jupyter-nbconvert >/dev/null 2>&1; then
  echo "install_jupyter.sh: jupyter-nbconvert present, skipping apt"
else
  sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends \
    jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel jupyter-notebook
fi

"$deno_bin" jupyter --install --force
# `deno jupyter --install` writes whichever deno it finds first on PATH (maybe an npx temp
# shim); pin the kernelspec to the binary chosen above.
kernel_json="$(jupyter --data-dir)/kernels/deno/kernel.json"
python="$(command -v /usr/bin/python3 || command -v python3)" # Debian's, as jupyter itself uses
"$python" - "$kernel_json" "$deno_bin" <<'PY'
import json, sys
path, deno = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
spec["argv"][0] = deno
json.dump(spec, open(path, "w"), indent=2)
PY
echo "install_jupyter.sh: Deno kernel registered in $kernel_json -> $deno_bin ($("$deno_bin" --version | head -1))"
