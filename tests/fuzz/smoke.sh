#!/usr/bin/env bash
# Builds every libFuzzer target and runs each briefly over its seed corpus, so the targets
# keep compiling and a regression in a parser's bad-input handling shows in CI. The long runs
# (10 minutes each, see build.sh) are done by hand before changing a parser.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_OUT:-$root/build/fuzz}
FUZZ_OUT=$out "$root/tests/fuzz/build.sh"
for target in journal_http oneroster_csv export_json; do
  scratch=$(mktemp -d)
  "$out/${target}_fuzz" -runs=3000 -seed=1 "$scratch" "$root/tests/fuzz/corpus/$target" \
    > "$out/${target}_smoke.log" 2>&1 || { cat "$out/${target}_smoke.log"; exit 1; }
  rm -rf "$scratch"
  echo "fuzz smoke: ${target}: $(grep -o 'Done [0-9]* runs' "$out/${target}_smoke.log")"
done
