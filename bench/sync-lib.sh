# Helpers the sync benchmarks share: the release binary, a work folder, the simulator, a measured run, medians.
# Sourced by bench/sync.sh, sync-defaults.sh, object-storage.sh and export-files.sh.
swift build -c release --product mjarchive >&2
binary=$PWD/.build/release/mjarchive
work=$(mktemp -d)
simulator_pid=""
cleanup() { [ -n "$simulator_pid" ] && kill "$simulator_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

start_simulator() { # port seed-count image-size extra…
  local port=$1 count=$2 size=$3
  shift 3
  rm -f "$work/ids.txt"
  "$binary" simulator --port "$port" --task-seconds 0 --latency-ms 50 --image-size "$size" --seed-tasks "$count" \
    --seed-ids-out "$work/ids.txt" "$@" >"$work/simulator.log" 2>&1 &
  simulator_pid=$!
  for _ in $(seq 1 600); do grep -q listening "$work/simulator.log" 2>/dev/null && [ -s "$work/ids.txt" ] && return; sleep 0.1; done
  echo "the simulator did not start" >&2; exit 1
}
stop_simulator() { kill "$simulator_pid"; wait "$simulator_pid" 2>/dev/null || true; simulator_pid=""; }

# Runs a command, printing "seconds peak-RSS-MB" of it.
measure() {
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r seconds kilobytes <"$work/time"
  echo "$seconds $((kilobytes / 1024))"
}


# "median (lowest–highest)" of the numbers on stdin.
median_range() { sort -n | awk '{v[NR] = $1} END {printf "%s (%s–%s)", v[int((NR + 1) / 2)], v[1], v[NR]}'; }
# "seconds (range) | peak RSS MB (range)" of $runs runs of a command printing "seconds rss" (as measure does).
both_of() {
  local results
  results=$(for _ in $(seq 1 "$runs"); do "$@"; done)
  echo "$(cut -d' ' -f1 <<<"$results" | median_range) | $(cut -d' ' -f2 <<<"$results" | median_range)"
}
