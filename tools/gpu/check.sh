#!/usr/bin/env bash
# The GPU check of issue 11, in one run on the device machine (after tools/gpu/pack.sh here):
#   run: command "bash tools/gpu/check.sh", carry [".gpu", ".gl"], timeout_s 480 (the parts: 440 s at most)
# It unpacks Deno and the Vulkan loader, then writes into $OUT (the device tool brings it back):
#   bench_small.json  deno task bench --backend webgpu (training, generation with sampling on the
#                     host and on the device, the default IRPM step and its split)
#   bench_large.json  the large preset, achieved FLOP/s against the H200's fp32 peak (67 TFLOP/s)
#   train.log         the default `deno task train` on webgpu: wall time and held-out numbers
#   nb02.log          notebook 02's cells run as a script on webgpu, with per-cell wall times
# Each part has a time limit, so one that hangs leaves the others their time.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp/gpu-check}
mkdir -p "$out"
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES=$icd
xz -dc .gpu/deno.xz >/tmp/deno && chmod +x /tmp/deno
xz -d -k -f .gpu/*.js.xz .gpu/node_modules/nodejs-polars-linux-x64-gnu/*.node.xz
export DENO_DIR=/tmp/deno-dir DENO_NO_UPDATE_CHECK=1
run=(/tmp/deno run -A --no-config --node-modules-dir=manual --cached-only)
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"
part() { # part NAME SECONDS COMMAND...: runs it, its output in $OUT/NAME.log, and times it
  local name=$1 limit=$2
  shift 2
  local start=$SECONDS
  timeout "$limit" "$@" >"$out/$name.log" 2>&1
  echo "$name: exit $? after $((SECONDS - start)) s" | tee -a "$out/parts.txt"
}
part bench_small 100 "${run[@]}" .gpu/bench.js --backend webgpu --no-uncached --json "$out/bench_small.json"
part bench_large 60 "${run[@]}" .gpu/bench.js --backend webgpu --preset large --irpm-steps 0 \
  --no-uncached --peak-gflops 67000 --json "$out/bench_large.json"
part train 170 "${run[@]}" .gpu/train.js --backend webgpu --run-dir /tmp/runs --name gpu-default
# (from a scratch folder: the script writes each figure into its working directory)
mkdir -p /tmp/nb02
part nb02 110 env -C /tmp/nb02 IRPM_BACKEND=webgpu "${run[@]}" "$PWD/.gpu/nb02.js"
tail -n 3 "$out"/*.log
