#!/usr/bin/env bash
# Sync benchmark: `mjarchive sync` against the built-in simulator (50 ms latency on every answer,
# ~1 MB grids), beside a plain sequential poller (bench/poller.py) doing the same fetch + store +
# download, in the same run; then splitting's overlap with the network, and a no-op sync over
# 10,000 tasks. Prints Markdown. Run on demand, not in CI. Usage: bench/sync.sh [tasks]
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-1000}
source bench/sync-lib.sh

sync_into() { # archive extra-sync-options…
  local archive=$1
  shift
  rm -rf "$archive"
  xargs "$binary" track --archive "$archive" <"$work/ids.txt" >/dev/null
  measure "$binary" sync --archive "$archive" --base-url "http://127.0.0.1:$port" --rate 0 --concurrency 32 "$@"
}

port=18301
echo "## Sync of $tasks finished tasks (50 ms latency, ~1 MB grids, $(nproc) cores)"
echo
echo "| run | seconds | peak RSS MB | vs poller |"
echo "|---|---:|---:|---:|"
start_simulator $port "$tasks" 720x720
read -r poller _ < <(measure python3 bench/poller.py "http://127.0.0.1:$port" "$work/ids.txt" "$work/poller")
echo "| sequential poller (fetch, store, download one at a time) | $poller | – | 1.0× |"
read -r network rss < <(sync_into "$work/a" --no-split --thumbs 256)
echo "| sync --no-split, list-by-condition, --concurrency 32 | $network | $rss | $(echo "scale=1; $poller / $network" | bc)× |"
read -r whole rss < <(sync_into "$work/b")
echo "| sync with splitting and 256 px thumbnails | $whole | $rss | $(echo "scale=1; $poller / $whole" | bc)× |"
# Splitting alone: every task's grid (the 8 distinct pictures, each as often as tasks show it), one
# `split` process per 50 grids, as many processes at a time as there are cores.
sqlite3 "$work/a/archive.sqlite" "SELECT '$work/a/' || path FROM images WHERE kind = 'original'" >"$work/grids.txt"
read -r split _ < <(measure xargs -P "$(nproc)" -n 50 "$binary" split --single-thread --out "$work/split" --thumbs 256 <"$work/grids.txt")
echo "| split + thumbnails of all $(wc -l <"$work/grids.txt") grids alone, all cores | $split | – | – |"
stop_simulator
start_simulator $port "$tasks" 720x720 --no-list-routes
read -r perTask rss < <(sync_into "$work/c" --no-split)
echo "| sync --no-split, per-task fetch (--no-list-routes) | $perTask | $rss | $(echo "scale=1; $poller / $perTask" | bc)× |"
stop_simulator
echo
echo "Overlap: sync with splitting took $whole s; network alone $network s, splitting alone $split s."
echo

big=10000
start_simulator $port $big small
read -r first rss1 < <(sync_into "$work/d" --no-split)
read -r second rss2 < <(measure "$binary" sync --archive "$work/d" --base-url "http://127.0.0.1:$port" --rate 0 --concurrency 32 --no-split --summary)
summary=$(cat "$work/out")
stop_simulator
echo "## $big finished tasks (256² grids)"
echo
echo "| run | seconds | peak RSS MB |"
echo "|---|---:|---:|"
echo "| first sync (fetch, store, download) | $first | $rss1 |"
echo "| second sync, nothing changed | $second | $rss2 |"
echo
echo "Second run: \`$summary\`"
