#!/usr/bin/env bash
# First sync with the options a user gets (no --rate, --concurrency or --download-concurrency given), beside
# the plain sequential poller (bench/poller.py), against the simulator at 50 ms latency with ~1 MB grids:
# five runs each, median and range. Also the download lane's width around its default, which chose it.
# Prints Markdown. Run on demand, not in CI. Usage: bench/sync-defaults.sh [tasks] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-300}
runs=${2:-5}
source bench/sync-lib.sh
port=18302

first_sync() { # extra-sync-options…
  rm -rf "$work/archive"
  xargs "$binary" track --archive "$work/archive" <"$work/ids.txt" >/dev/null
  measure "$binary" sync --archive "$work/archive" --base-url "http://127.0.0.1:$port" "$@"
}
seconds_of() { for _ in $(seq 1 "$runs"); do "$@" | cut -d' ' -f1; done | median_range; }

echo "## First sync of $tasks finished tasks with the defaults (50 ms latency, ~1 MB grids, $(nproc) cores, $runs runs)"
echo
echo "| run | seconds, median (range) |"
echo "|---|---:|"
start_simulator $port "$tasks" 720x720
echo "| sequential poller (fetch, store, download one at a time) | $(seconds_of measure python3 bench/poller.py "http://127.0.0.1:$port" "$work/ids.txt" "$work/poller") |"
echo "| sync, defaults (lists of 100, split + 256 px thumbnails) | $(seconds_of first_sync) |"
echo "| sync, defaults, --no-split | $(seconds_of first_sync --no-split) |"
for width in 4 16; do
  echo "| sync, defaults but --no-split --download-concurrency $width | $(seconds_of first_sync --no-split --download-concurrency $width) |"
done
stop_simulator
start_simulator $port "$tasks" 720x720 --no-list-routes
echo "| sync, defaults, per-task fetch (--no-list-routes) | $(seconds_of first_sync) |"
stop_simulator
