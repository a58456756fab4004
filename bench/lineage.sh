#!/usr/bin/env bash
# Lineage benchmark: `mjarchive import` of TASKS tasks in families (bench/make_families.py, one family of
# 10,000 tasks) with lineage derived as it stores, beside a build from before lineage (BASELINE, default the
# last commit without it) importing the same file; then, on that archive, `lineage` of the big family and
# `show` of a task (median of 10 runs each, the process start included), beside the sqlite3 shell running
# the same recursive CTE. The import is run IMPORT_RUNS times (default 1) into fresh archives, beside the
# sqlite3 shell loading the same file (`.import`, four columns by json_extract, FTS5 of two, as import.sh);
# BASELINE_BINARY=none leaves the baseline out. Prints a Markdown table. Run on demand, not in CI.
# Usage: [IMPORT_RUNS=n] [BASELINE_BINARY=path|none] bench/lineage.sh [TASKS] [BASELINE]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell: apt-get install -y sqlite3" >&2; exit 1; }
tasks=${1:-1000000}
baseline=${2:-8c21b2e}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/baseline" 2>/dev/null || true; rm -rf "$work"' EXIT

swift build -c release --product mjarchive >&2
swift build -c release --product LineageBenchmark >&2
binary=$PWD/.build/release/mjarchive
if [ "${BASELINE_BINARY:-}" = none ]; then
  before=""
elif [ -n "${BASELINE_BINARY:-}" ]; then
  before=$BASELINE_BINARY
else
  git worktree add -f "$work/baseline" "$baseline" >&2
  cp Package.resolved "$work/baseline/" 2>/dev/null || true
  (cd "$work/baseline" && swift build -c release --product mjarchive >&2)
  before=$work/baseline/.build/release/mjarchive
fi

python3 bench/make_families.py "$tasks" 10000 >"$work/tasks.jsonl" 2>"$work/deepest"
deepest=$(cat "$work/deepest")
count=$(wc -l <"$work/tasks.jsonl")

# seconds and peak RSS (MB) of one run
timed() {
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  tail -1 "$work/time"
}
# median wall time in milliseconds of 10 runs
median_ms() {
  local runs=()
  for _ in $(seq 10); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    runs+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${runs[@]}" | sort -n | sed -n 5p
}

echo "| run | tasks | seconds | tasks/s | peak RSS MB |"
echo "|---|---:|---:|---:|---:|"
sides=(after)
[ -n "$before" ] && sides=(before after)
imports=()
for side in "${sides[@]}"; do
  program=$before
  [ "$side" = after ] && program=$binary
  runs=1
  [ "$side" = after ] && runs=${IMPORT_RUNS:-1}
  for run in $(seq 1 "$runs"); do
    rm -rf "$work/archive-$side"
    read -r seconds kilobytes < <(timed "$program" import "$work/tasks.jsonl" --archive "$work/archive-$side")
    label="import, build without lineage ($baseline)"
    [ "$side" = after ] && label="import with lineage derived as it stores, run $run" && imports+=("$seconds")
    printf '| %s | %s | %.1f | %.0f | %.0f |\n' "$label" "$count" "$seconds" "$(echo "$count / $seconds" | bc -l)" \
      "$(echo "$kilobytes / 1024" | bc -l)"
  done
done
if [ "${#imports[@]}" -gt 1 ]; then
  echo "| import: median (range) of ${#imports[@]} runs | $count | $(python3 -c 'import statistics, sys; v = sorted(map(float, sys.argv[1:])); print("%.1f (%.1f–%.1f)" % (statistics.median(v), v[0], v[-1]))' "${imports[@]}") | | |"
fi
. bench/sqlite-import.sh
export -f shell_lines  # /usr/bin/time runs programs, not shell functions
read -r seconds kilobytes < <(timed bash -c 'shell_lines "$0" "$1"' "$work/tasks.jsonl" "$work/shell.sqlite")
printf '| sqlite3 shell: .import, 4 columns by json_extract, FTS5 of 2 | %s | %.1f | %.0f | %.0f |\n' "$count" \
  "$seconds" "$(echo "$count / $seconds" | bc -l)" "$(echo "$kilobytes / 1024" | bc -l)"
rm -f "$work/shell.sqlite"*

archive=$work/archive-after
# The header line of the tree names the root and counts the family ("family of ID: N tasks").
read -r _ _ root nodes _ < <("$binary" lineage "$deepest" --archive "$archive" | head -1 | tr -d ':')
small=$(sed -n "$((count - 3))p" "$work/tasks.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
cte="WITH RECURSIVE tree(id, stop, depth, parent_id, tree_parent_id, evidence, kind, button_index, custom_id, button)
AS (SELECT '$root', 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  UNION ALL SELECT e.child_id, e.tree_parent_id IS NULL, tree.depth + 1, e.parent_id, e.tree_parent_id, e.evidence,
    e.kind, e.button_index, e.custom_id, e.button
  FROM edges e JOIN tree ON e.parent_id = tree.id WHERE tree.stop = 0 AND tree.depth < 100000)
SELECT tree.id, tree.stop, tree.parent_id, tree.tree_parent_id, tree.evidence, tree.kind, tree.button_index,
  tree.custom_id, t.id IS NOT NULL, t.action, t.status, t.prompt, t.submit_time, tree.button,
  (SELECT path FROM images i WHERE i.task_id = tree.id AND i.kind = 'original')
FROM tree LEFT JOIN tasks t ON t.id = tree.id;"
echo
echo "| query on the $count-task archive | nodes | median ms (10 runs) |"
echo "|---|---:|---:|"
echo "| mjarchive lineage (tree text) of the big family | $nodes | $(median_ms "$binary" lineage "$deepest" --archive "$archive") |"
echo "| mjarchive lineage --json of the big family | $nodes | $(median_ms "$binary" lineage "$deepest" --archive "$archive" --json) |"
echo "| mjarchive lineage --dot of the big family | $nodes | $(median_ms "$binary" lineage "$deepest" --archive "$archive" --dot) |"
echo "| sqlite3 shell, the same tree CTE | $nodes | $(median_ms sqlite3 "$archive/archive.sqlite" "$cte") |"
echo "| mjarchive show, deepest upscale of the big family | – | $(median_ms "$binary" show "$deepest" --archive "$archive") |"
echo "| mjarchive show, a task in a family of five | – | $(median_ms "$binary" show "$small" --archive "$archive") |"
echo "| mjarchive lineage of a family of five | 5 | $(median_ms "$binary" lineage "$small" --archive "$archive") |"
echo "| mjarchive search fox --roots --limit 20 | – | $(median_ms "$binary" search fox --roots --limit 20 --archive "$archive") |"
echo "| mjarchive search fox --json --limit 100 (rootId per hit) | – | $(median_ms "$binary" search fox --json --limit 100 --archive "$archive") |"
echo
"$PWD/.build/release/LineageBenchmark" "$archive" "$deepest" "$small"
