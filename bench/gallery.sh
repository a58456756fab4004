#!/usr/bin/env bash
# Gallery benchmark. (1) `export-gallery` of TASKS synced grids (distinct 1024² simulator pictures, each split
# into four 512² quadrants) with the archive's thumbnails removed, so the export makes all 4 × TASKS of them,
# beside `sigal build -n $(nproc)` (PyPI) making 256 px thumbnails of the same quadrants, originals used as they
# are (use_orig: no re-encoding, as the export), in the same run. (2) BIG synthetic tasks (bench/make_families.py,
# no images): first export, a re-export with nothing changed and one after one task changed. (3) The BIG
# gallery's index.html loaded in headless Chromium (navigation start to load event end, median of 5).
# Each export is run RUNS times (default 5; sigal too), each first export into a fresh folder, and reported
# as median and range. Prints Markdown. Run on demand, not in CI. Usage: [RUNS=n] bench/gallery.sh [TASKS] [BIG]
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-1000}
big=${2:-100000}
runs=${RUNS:-5}
for tool in sqlite3 chromium bc; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
swift build -c release --product mjarchive >&2
binary=$PWD/.build/release/mjarchive
work=$(mktemp -d)
simulator_pid=""
cleanup() { [ -n "$simulator_pid" ] && kill "$simulator_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# sigal from PyPI in a venv of its own (SIGAL=path to use one already installed)
sigal=${SIGAL:-}
if [ -z "$sigal" ]; then
  python3 -m venv "$work/sigal" >&2 && "$work/sigal/bin/pip" install -q sigal >&2
  sigal=$work/sigal/bin/sigal
fi

measure() { # command… -> "seconds peak-RSS-MB"
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r seconds kilobytes <"$work/time"
  echo "$seconds $((kilobytes / 1024))"
}
# "median (min–max)" of the numbers given, and of the RSS figures kept beside them by `repeat`.
summary() { python3 -c 'import statistics, sys; v = sorted(map(float, sys.argv[1:])); print("%g (%g–%g)" % (statistics.median(v), v[0], v[-1]) if len(v) > 1 else "%g" % v[0])' "$@"; }
repeat() { # setup-command -- command… : runs both RUNS times; sets $times and $rsses, leaves the last $work/out
  local setup=$1; shift 2
  times=() rsses=()
  for _ in $(seq 1 "$runs"); do
    eval "$setup"
    read -r seconds rss < <(measure "$@")
    times+=("$seconds") rsses+=("$rss")
  done
}

# (1) a synced archive of distinct grids (GRIDS=0 leaves this part out)
if [ "${GRIDS:-1}" != 0 ]; then
port=18311
"$binary" simulator --port "$port" --task-seconds 0 --image-size 1024x1024 --seed-tasks "$tasks" \
  --seed-pictures "$tasks" --seed-ids-out "$work/ids.txt" >"$work/simulator.log" 2>&1 &
simulator_pid=$!
for _ in $(seq 1 3000); do grep -q listening "$work/simulator.log" 2>/dev/null && [ -s "$work/ids.txt" ] && break; sleep 0.2; done
xargs "$binary" track --archive "$work/a" <"$work/ids.txt" >/dev/null
"$binary" sync --archive "$work/a" --base-url "http://127.0.0.1:$port" --rate 0 --concurrency 8 >&2
kill "$simulator_pid"; wait "$simulator_pid" 2>/dev/null || true; simulator_pid=""
sqlite3 "$work/a/archive.sqlite" "DELETE FROM images WHERE kind = 'thumbnail'"
rm -rf "$work/a/images/thumbs"
quadrants=$(sqlite3 "$work/a/archive.sqlite" "SELECT count(*) FROM images WHERE kind = 'quadrant'")

mkdir -p "$work/sigal-src"
sqlite3 "$work/a/archive.sqlite" "SELECT path FROM images WHERE kind = 'quadrant'" |
  while read -r path; do ln "$work/a/$path" "$work/sigal-src/"; done
cat >"$work/sigal.conf.py" <<'CONF'
thumb_size = (256, 256)
thumb_fit = False
use_orig = True
orig_link = True
write_html = True
CONF

echo "## Gallery export: $tasks synced grids, $quadrants quadrants of 512², 256 px thumbnails ($(nproc) cores, $(date -u +%Y-%m-%d))"
echo
echo "| run | seconds | peak RSS MB | vs sigal |"
echo "|---|---:|---:|---:|"
repeat 'rm -rf "$work/sigal-out"' -- "$sigal" build -n "$(nproc)" -c "$work/sigal.conf.py" "$work/sigal-src" "$work/sigal-out"
sigal_thumbs=$(find "$work/sigal-out" -path '*thumbnails*' -name '*.png' | wc -l)
sigal_s=$(summary "${times[@]}" | cut -d' ' -f1)
echo "| sigal build -n $(nproc), use_orig ($sigal_thumbs thumbnails) | $(summary "${times[@]}") | $(summary "${rsses[@]}") | 1.0× |"
repeat 'rm -rf "$work/g"' -- "$binary" export-gallery "$work/g" --archive "$work/a"
made=$(grep -o '[0-9]* thumbnails made' "$work/out" | cut -d' ' -f1)
ours=$(summary "${times[@]}" | cut -d' ' -f1)
echo "| mjarchive export-gallery, first export ($made thumbnails made, pages, search index, links) | $(summary "${times[@]}") | $(summary "${rsses[@]}") | $(echo "scale=1; $sigal_s / $ours" | bc)× |"
repeat ':' -- "$binary" export-gallery "$work/g" --archive "$work/a"
again=$(summary "${times[@]}" | cut -d' ' -f1)
echo "| mjarchive export-gallery again, nothing changed | $(summary "${times[@]}") | $(summary "${rsses[@]}") | $(echo "scale=1; $sigal_s / $again" | bc)× |"
echo
fi

# (2) BIG synthetic tasks
python3 bench/make_families.py "$big" 100 >"$work/big.jsonl" 2>/dev/null
"$binary" import "$work/big.jsonl" --archive "$work/b" >/dev/null
count=$(sqlite3 "$work/b/archive.sqlite" "SELECT count(*) FROM tasks")
echo "## Gallery export of $count synthetic tasks (families of five and one of 100; no images)"
echo
echo "| run | seconds | peak RSS MB | pages written |"
echo "|---|---:|---:|---:|"
# Each first export into a folder of its own: removing the last one's 120k files just before a run made the
# disk's writeback of the removal part of the next run (16-45 s in one run of five).
times=() rsses=()
for run in $(seq 1 "$runs"); do
  read -r seconds rss < <(measure "$binary" export-gallery "$work/h$run" --archive "$work/b")
  times+=("$seconds") rsses+=("$rss")
done
mv "$work/h$runs" "$work/h"
echo "| first export | $(summary "${times[@]}") | $(summary "${rsses[@]}") | $(grep -o 'pages: [0-9]* written' "$work/out" | cut -d' ' -f2) |"
repeat ':' -- "$binary" export-gallery "$work/h" --archive "$work/b"
echo "| again, nothing changed | $(summary "${times[@]}") | $(summary "${rsses[@]}") | $(grep -o 'pages: [0-9]* written' "$work/out" | cut -d' ' -f2) |"
# One task changed before each run: the newest imagine gets a new prompt.
change=0
change_one() {
  change=$((change + 1))
  sed -n '$p' "$work/big.jsonl" | sed "s/\"prompt\":\"/\"prompt\":\"changed $change /" >"$work/one.jsonl"
  "$binary" import "$work/one.jsonl" --archive "$work/b" >/dev/null
}
repeat 'change_one' -- "$binary" export-gallery "$work/h" --archive "$work/b"
echo "| again after one task changed | $(summary "${times[@]}") | $(summary "${rsses[@]}") | $(grep -o 'pages: [0-9]* written' "$work/out" | cut -d' ' -f2) |"
echo

# (3) the BIG gallery's front page in Chromium (its search: bench/search.sh)
plan="["
for _ in 1 2 3 4 5; do
  plan+="{\"open\": \"file://$work/h/index.html\"},"
  plan+="{\"eval\": \"performance.getEntriesByType('navigation')[0].loadEventEnd\"},"
done
plan="${plan%,}]"
echo "$plan" | /usr/bin/python3 Tests/TestSupport/Browser/browse.py >"$work/browse.json"
python3 - "$work/browse.json" "$work/h" <<'PY'
import json, os, statistics, sys
values = json.load(open(sys.argv[1]))["values"]
loads = [values[i] for i in range(1, 10, 2)]
index = os.path.getsize(os.path.join(sys.argv[2], "index.html")) / 1024
print("| in headless Chromium | milliseconds |")
print("|---|---:|")
print("| index.html (%.0f KB) to load event end, median of 5 | %.0f |" % (index, statistics.median(loads)))
PY
