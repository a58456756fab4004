#!/usr/bin/env bash
# Import benchmark: `mjarchive import` of 5, 50 and 500 MB of synthetic tasks (bench/make_tasks.py), as JSON
# lines and as one JSON array, beside the stock sqlite3 shell loading the same rows (raw JSON, id, prompt,
# final prompt) and indexing their prompts with FTS5. Prints a Markdown table. Run on demand, not in CI.
# Usage: bench/import.sh [MB…]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell: apt-get install -y sqlite3" >&2; exit 1; }
swift build -c release --product mjarchive >&2
binary=.build/release/mjarchive
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5 50 500)

# One line per row of the table: tool, layout, MB, tasks, seconds, tasks/s, peak RSS MB.
measure() { # label layout megabytes tasks command…
  local label=$1 layout=$2 megabytes=$3 tasks=$4
  shift 4
  local stats
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/stderr" || true
  stats=$(tail -1 "$work/time")
  local seconds=${stats% *} kilobytes=${stats#* }
  printf '| %s | %s | %s | %s | %.2f | %.0f | %.0f |\n' "$label" "$layout" "$megabytes" "$tasks" "$seconds" \
    "$(echo "$tasks / $seconds" | bc -l)" "$(echo "$kilobytes / 1024" | bc -l)"
}

# shell_lines and shell_array
. bench/sqlite-import.sh

export -f shell_lines shell_array

echo "| tool | layout | MB | tasks | seconds | tasks/s | peak RSS MB |"
echo "|---|---|---:|---:|---:|---:|---:|"
for megabytes in "${sizes[@]}"; do
  for layout in lines array; do
    file="$work/tasks-$megabytes.$layout"
    tasks=$(python3 bench/make_tasks.py "$megabytes" "$layout" 2>&1 >"$file")
    rm -rf "$work/archive"
    measure "mjarchive import" "$layout" "$megabytes" "$tasks" "$binary" import "$file" --archive "$work/archive"
    rm -f "$work/shell.sqlite"*
    measure "sqlite3 shell" "$layout" "$megabytes" "$tasks" bash -c 'shell_'"$layout"' "$0" "$1"' "$file" "$work/shell.sqlite"
    rm -f "$file"
  done
done
