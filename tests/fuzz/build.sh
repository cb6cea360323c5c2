#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (scripts/deps installs clang and libclang-rt-14-dev).
# Not part of the CMake build, which uses g++. Binaries go to $FUZZ_OUT (default build/fuzz/).
#
#   tests/fuzz/build.sh
#   build/fuzz/journal_http_fuzz -max_total_time=600 -jobs=1 build/fuzz/corpus/journal_http \
#       tests/fuzz/corpus/journal_http
#
# A target lists the sources it needs. Each source is compiled once (the targets share the
# mapping and export readers), all of them in parallel, then each target is linked.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_OUT:-$root/build/fuzz}
mkdir -p "$out/obj"
cxx=${CXX_FUZZ:-clang++}
sanitizers=address,undefined
flags=(-std=c++20 -g -O1 -fno-sanitize-recover=undefined -I"$root")
export_readers=(adapters/export/{entity_readers,field_reader,labels,reference_checks}.cpp)
mapping_values=(mapping/{date,model,text,message,wording,adoption}.cpp)

journal_http=(tests/fuzz/journal_http_fuzz.cpp adapters/journal_http/answer_parser.cpp
              "${export_readers[@]}" "${mapping_values[@]}")
oneroster_csv=(tests/fuzz/oneroster_csv_fuzz.cpp
               adapters/oneroster/{oneroster,csv,fields,tables,roster_builder,state}.cpp
               mapping/{checks,roster_index}.cpp
               "${mapping_values[@]}")
export_json=(tests/fuzz/export_json_fuzz.cpp adapters/export/export_reader.cpp
             "${export_readers[@]}" "${mapping_values[@]}")

object() { local s=$1; s=${s//\//_}; echo "$out/obj/${s%.cpp}.o"; }
export -f object
export out cxx sanitizers root

# Every source once, as many at a time as there are cores.
printf '%s\n' "${journal_http[@]}" "${oneroster_csv[@]}" "${export_json[@]}" | sort -u |
  xargs -P "$(nproc)" -I{} bash -c \
    'source="$1"; shift; "$cxx" "$@" -fsanitize=fuzzer-no-link,"$sanitizers" -c "$root/$source" -o "$(object "$source")"' \
    _ {} "${flags[@]}"

link() {
  local name=$1; shift
  local objects=()
  for s in "$@"; do objects+=("$(object "$s")"); done
  "$cxx" "${flags[@]}" -fsanitize=fuzzer,"$sanitizers" -o "$out/$name" "${objects[@]}" \
    ${LIBS:-}
}
LIBS=-lsimdjson link journal_http_fuzz "${journal_http[@]}"
LIBS= link oneroster_csv_fuzz "${oneroster_csv[@]}"
LIBS=-lsimdjson link export_json_fuzz "${export_json[@]}"
