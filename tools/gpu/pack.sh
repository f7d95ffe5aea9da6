#!/usr/bin/env bash
# Packs what tools/gpu/check.sh needs on a GPU machine that has neither Deno nor internet access:
#   .gpu/deno.xz                  the running Deno, xz-compressed
#   .gpu/bench.js, .gpu/train.js  cli/bench.ts and cli/train.ts bundled with their npm packages
#                                 (each xz-compressed, like the .node binary below)
#                                 (`deno bundle`; at depth 1, so their `../checkpoints` is the kit's)
#   .gpu/nb02.js                  notebook 02's code cells as a script (deno task notebook:script),
#                                 bundled with nodejs-polars left out: it is a native addon, carried
#   .gpu/node_modules/            nodejs-polars and its linux-x64-gnu binary (.node, xz-compressed)
#   .gl/                          the Vulkan loader (Debian's libvulkan1), unpacked on the machine
# Both folders are git-ignored; together with the tracked tree they stay under the 64 MiB a
# device call carries. Usage, from anywhere: bash tools/gpu/pack.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
deno=$(command -v deno)
rm -rf .gpu && mkdir -p .gpu/node_modules
echo "pack: deno $("$deno" --version | head -1 | cut -d' ' -f2) -> .gpu/deno.xz"
xz -6 -T0 -c "$(readlink -f "$deno")" >.gpu/deno.xz
for cli in bench train; do
  "$deno" bundle -q --platform deno -o ".gpu/$cli.js" "cli/$cli.ts"
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$deno" task -q notebook:script notebooks/02_train_irpm.ipynb --out "$scratch" --no-run >/dev/null
"$deno" bundle -q --platform deno --external nodejs-polars -o .gpu/nb02.js "$scratch/02_train_irpm.ts"
polars=node_modules/.deno/nodejs-polars@*/node_modules/nodejs-polars
native=node_modules/.deno/nodejs-polars-linux-x64-gnu@*/node_modules/nodejs-polars-linux-x64-gnu
cp -rL $polars .gpu/node_modules/
mkdir -p .gpu/node_modules/nodejs-polars-linux-x64-gnu
cp -L $native/package.json .gpu/node_modules/nodejs-polars-linux-x64-gnu/
xz -6 -T0 -c $native/*.node >".gpu/node_modules/nodejs-polars-linux-x64-gnu/$(basename $native/*.node).xz"
xz -9 -T0 .gpu/*.js # unpacked on the machine (3.5 MB each, 0.6 MB packed)
echo '{ "private": true }' >.gpu/package.json
if ! ls .gl/libvulkan1_*.deb >/dev/null 2>&1; then
  mkdir -p .gl /tmp/amd64/partial
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  # shellcheck disable=SC2086
  apt-get $o update -qq && (cd .gl && apt-get $o download -qq libvulkan1)
fi
du -sh .gpu .gl
