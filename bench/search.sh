#!/usr/bin/env bash
# In-browser search benchmark (issue 29): the gallery's search, opened over file:// in headless Chromium, beside
# Pagefind (PyPI) indexing the same task pages and served over HTTP (Pagefind fetches its fragments, which
# browsers block over file://), in the same run. TASKS synthetic tasks (bench/make_families.py, no images).
# Each query runs RUNS times (default 5), each in a freshly opened page: the median and range of the time from
# the query typed to the first tiles shown and to the final count, and the page's JS heap after it. Prints
# Markdown. Run on demand, not in CI. Usage: [RUNS=n] bench/search.sh [TASKS]
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-100000}
runs=${RUNS:-5}
for tool in chromium bc; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
swift build -c release --product mjarchive >&2
binary=$PWD/.build/release/mjarchive
browse=$PWD/Tests/TestSupport/Browser/browse.py
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
python3 -m venv "$work/pagefind" >&2 && "$work/pagefind/bin/pip" install -q "pagefind[bin]==1.5.2" >&2

python3 bench/make_families.py "$tasks" 100 >"$work/big.jsonl" 2>/dev/null
"$binary" import "$work/big.jsonl" --archive "$work/a" >/dev/null
/usr/bin/time -o "$work/time" -f "%e %M" "$binary" export-gallery "$work/g" --archive "$work/a" >/dev/null
read -r export_s export_kb <"$work/time"
/usr/bin/time -o "$work/time" -f "%e %M" "$work/pagefind/bin/python3" -m pagefind --site "$work/g" \
  --glob 't/**/*.html' --output-subdir pagefind >"$work/pagefind.log" 2>&1
read -r pagefind_s pagefind_kb <"$work/time"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/g" "$port" >/dev/null 2>&1 &
server_pid=$!
sleep 1

echo "## In-browser search, $tasks synthetic tasks ($(nproc) cores, $(date -u +%Y-%m-%d), median and range of $runs)"
echo
echo "Built: our export $export_s s (search index $(du -sh "$work/g/assets/search" | cut -f1) in" \
  "$(find "$work/g/assets/search" -type f | wc -l) files); Pagefind over the same task pages $pagefind_s s," \
  "$((pagefind_kb / 1024)) MB peak RSS ($(du -sh "$work/g/pagefind" | cut -f1) in $(find "$work/g/pagefind" -type f | wc -l) files)."
echo
python3 - "$work/g" "$port" "$runs" "$browse" <<'PY'
import json, statistics, subprocess, sys
folder, port, runs, browse = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
# (text, action filter); Pagefind gets the text-only ones (its filters need attributes our pages do not carry).
queries = [("fox", ""), ('"misty golden"', ""), ("neo*", ""), ("fox misty rain", ""), ('"misty golden fox"', ""),
           ("", "UPSCALE"), ("fox", "VARIATION")]
# Ours: the time from the query typed (less the input's 120 ms pause) to the first tile and to the final count.
ours = """
new Promise(function (resolve) {
  var q = document.getElementById('q'), title = document.getElementById('results-title');
  var tiles = document.getElementById('result-tiles'), t0, first = null;
  new MutationObserver(function () { if (first === null && tiles.children.length) first = performance.now(); })
    .observe(tiles, { childList: true });
  new MutationObserver(function () {
    if (/match(es)?$/.test(title.textContent)) {
      var done = performance.now();
      var pause = ACTION ? 0 : 120;
      resolve([(first === null ? done : first) - t0 - pause, done - t0 - pause, title.textContent,
        performance.memory.usedJSHeapSize / 1048576]);
    }
  }).observe(title, { childList: true, characterData: true, subtree: true });
  var action = document.getElementById('f-action');
  q.value = QUERY; action.value = ACTION; t0 = performance.now();
  if (ACTION) action.dispatchEvent(new Event('change')); else q.dispatchEvent(new Event('input'));
})"""
# Pagefind: its script loaded and initialised, the search, and the first 20 results' data (its UI shows 5).
theirs = """
(async function () {
  var t0 = performance.now();
  var pagefind = await import('/pagefind/pagefind.js');
  await pagefind.init();
  var search = await pagefind.search(QUERY);
  var counted = performance.now();
  await Promise.all(search.results.slice(0, 20).map(function (result) { return result.data(); }));
  var first = performance.now();
  return [first - t0, counted - t0, search.results.length + ' results', performance.memory.usedJSHeapSize / 1048576];
})()"""
def measure(url, script, query, action):
    plan = []
    for _ in range(runs):
        plan.append({"open": url})
        plan.append({"eval": script.replace("QUERY", json.dumps(query)).replace("ACTION", json.dumps(action))})
    out = subprocess.run(["/usr/bin/python3", browse], input=json.dumps(plan), capture_output=True, text=True, check=True)
    return [value for value in json.loads(out.stdout)["values"] if isinstance(value, list)]
def summary(values):
    values = sorted(values)
    return "%.0f (%.0f–%.0f)" % (statistics.median(values), values[0], values[-1])
print("| query | tool | first results ms | final count ms | count | JS heap MB |")
print("|---|---|---:|---:|---|---:|")
for query, action in queries:
    tools = [("mjarchive, file://", "file://%s/index.html" % folder, ours)]
    if not action:
        tools.append(("Pagefind 1.5.2, HTTP", "http://127.0.0.1:%s/index.html" % port, theirs))
    for tool, url, script in tools:
        rows = measure(url, script, query, action)
        label = (query or "no words") + (" · action " + action if action else "")
        print("| `%s` | %s | %s | %s | %s | %s |" % (label, tool, summary([r[0] for r in rows]),
              summary([r[1] for r in rows]), rows[-1][2], summary([r[3] for r in rows])))
PY
