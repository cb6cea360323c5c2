#!/usr/bin/env bash
# The memory of `rosterd run` at steady state, by number of schools: N generated kindergartens
# (the generator's small organisations) over journal-sim (HTTP, ETags) and platform-sim, with a
# SQLite store. Once every school has had a cycle that needed no plan (result=unchanged), the
# daemon's RSS is read from /proc a few times; it prints N and the largest RSS (and its anonymous
# part: the heap and the stacks) for each N given,
# then the growth per school between the first and the last.
#
#   bench/daemon_memory.sh [BUILD_BIN] [N...]     e.g. bench/daemon_memory.sh build/bin 300 600
set -euo pipefail
BIN=$(realpath "${1:-build/bin}")
shift || true
COUNTS=("${@:-300 600}")
read -r -a COUNTS <<<"${COUNTS[*]}"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

port_of() {  # waits for a simulator's "listening on 127.0.0.1:PORT" line
  for _ in $(seq 3000); do
    if grep -q 'listening on' "$1" 2>/dev/null; then
      sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$1"; return; fi
    sleep 0.1
  done
  echo "no port in $1" >&2; exit 1
}

measure() {
  local n=$1 dir
  dir=$(mktemp -d /tmp/rosterd-memory.XXXXXX)
  "$BIN/rosterd-gen" --out "$dir/journal" --seed 5 --schools 0 --kindergartens "$n" \
    --additional 0 >/dev/null
  "$BIN/journal-sim" --port 0 --data "$dir/journal" >"$dir/journal.out" 2>&1 &
  pids+=($!)
  "$BIN/platform-sim" --port 0 >"$dir/platform.out" 2>&1 &
  pids+=($!)
  local jport pport
  jport=$(port_of "$dir/journal.out")
  pport=$(port_of "$dir/platform.out")
  echo test-token >"$dir/journal.token"
  echo platform-token >"$dir/platform.token"
  chmod 600 "$dir"/*.token
  python3 - "$dir" "$n" "$jport" "$pport" <<'PY'
import json, sys
d, n, jport, pport = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
schools = [{"id": "kg-%04d" % i,
            "source": {"type": "http", "base_url": "http://127.0.0.1:" + jport,
                       "token_file": "journal.token"},
            "fallback_admin": {"platform_user_id": 555, "label": "platform-admin"}}
           for i in range(1, n + 1)]
config = {"schools": schools,
          "platform": {"base_url": "http://127.0.0.1:" + pport, "token_file": "platform.token",
                       "requests_per_second": 1000, "batch_size": 25},
          "schedule": {"interval_s": 5, "jitter_s": 1, "concurrency": 2},
          "store": {"sqlite": "state/rosterd.db"}}
json.dump(config, open(d + "/rosterd.json", "w"), indent=1)
PY
  (cd "$dir" && exec "$BIN/rosterd" run --config rosterd.json >daemon.out 2>&1) &
  local daemon=$!
  pids+=($daemon)
  # Steady state: each school's last cycle needed no plan.
  for _ in $(seq 1800); do
    local quiet
    quiet=$( (grep 'sync.cycle.finished' "$dir/daemon.out" || true) |
            (grep 'result=unchanged' || true) |
            sed -n 's/.*school=\([^ ]*\).*/\1/p' | sort -u | wc -l)
    [ "$quiet" -ge "$n" ] && break
    sleep 1
  done
  local rss=0 anon=0 r a
  for _ in 1 2 3 4 5; do
    r=$(awk '/^VmRSS/ {print $2}' "/proc/$daemon/status")
    a=$(awk '/^RssAnon/ {print $2}' "/proc/$daemon/status")
    [ "$r" -gt "$rss" ] && rss=$r
    [ "$a" -gt "$anon" ] && anon=$a
    sleep 2
  done
  echo "$n schools: rosterd run RSS ${rss} kB, of which anonymous ${anon} kB (schools quiet: $quiet)"
  kill -TERM "$daemon"; wait "$daemon" || true
  cleanup; pids=()
  rm -rf "$dir"
  LAST_RSS=$rss LAST_ANON=$anon
}

first_n=""; first_rss=""
for n in "${COUNTS[@]}"; do
  measure "$n"
  if [ -z "$first_n" ]; then first_n=$n; first_rss=$LAST_RSS; first_anon=$LAST_ANON; fi
  last_n=$n; last_rss=$LAST_RSS; last_anon=$LAST_ANON
done
if [ "$last_n" != "$first_n" ]; then
  echo "growth: $(( (last_rss - first_rss) * 1024 / (last_n - first_n) )) bytes per school," \
       "anonymous $(( (last_anon - first_anon) * 1024 / (last_n - first_n) ))"
fi
