#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (scripts/deps installs clang and libclang-rt-14-dev).
# Not part of the CMake build, which uses g++. Binaries go to $FUZZ_OUT (default build/fuzz/).
#
#   tests/fuzz/build.sh
#   build/fuzz/journal_http_fuzz -max_total_time=600 -jobs=1 build/fuzz/corpus/journal_http \
#       tests/fuzz/corpus/journal_http
#
# One clang++ line per target; a target lists the sources it needs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_OUT:-$root/build/fuzz}
mkdir -p "$out"
cxx=${CXX_FUZZ:-clang++}
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root")
export_readers=("$root"/adapters/export/{entity_readers,field_reader,labels,reference_checks}.cpp)
mapping_values=("$root"/mapping/{date,model,text,message,wording,adoption}.cpp)

"$cxx" "${flags[@]}" -o "$out/journal_http_fuzz" "$root/tests/fuzz/journal_http_fuzz.cpp" \
  "$root/adapters/journal_http/answer_parser.cpp" "${export_readers[@]}" "${mapping_values[@]}" \
  -lsimdjson
"$cxx" "${flags[@]}" -o "$out/oneroster_csv_fuzz" "$root/tests/fuzz/oneroster_csv_fuzz.cpp" \
  "$root"/adapters/oneroster/{oneroster,csv,fields,tables,roster_builder}.cpp "${mapping_values[@]}"
"$cxx" "${flags[@]}" -o "$out/export_json_fuzz" "$root/tests/fuzz/export_json_fuzz.cpp" \
  "$root/adapters/export/export_reader.cpp" "${export_readers[@]}" "${mapping_values[@]}" -lsimdjson
