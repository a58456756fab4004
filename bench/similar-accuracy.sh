#!/usr/bin/env bash
# Find by picture, accuracy (issue 27) on lineage's ground truth: the simulator renders grids of four compositions
# on one theme per prompt, 8 prompts × N grids each, and every quadrant of each is upscaled; then
# bench/similar_accuracy.py scores our hashes beside ImageHash, imagededup (hashing only) and findimagedupes on
# the same pairs, in the same run, and times `reindex --hashes` on the archive. Prints Markdown. Run on demand.
# Needs: ImageMagick (/usr/bin/convert, or $CONVERT), findimagedupes, and a Python ($PYTHON) with Pillow, numpy, imagehash 4.3.2 and
# imagededup 0.3.3. Usage: bench/similar-accuracy.sh [grids-per-prompt]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
per_prompt=${1:-5}
python=${PYTHON:-python3}
swift build -c release --product SimilarityBenchmark >&2
source bench/sync-lib.sh
port=18404
"$binary" simulator --port $port --task-seconds 0.1 --image-size 1024x1024 >"$work/simulator.log" 2>&1 &
simulator_pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/simulator.log" 2>/dev/null && break; sleep 0.1; done
export MJ_BASE_URL=http://127.0.0.1:$port MJ_API_KEY=bench MJARCHIVE_DIR=$work/archive
prompts=("a red fox in fresh snow, golden hour" "an owl on a mossy branch at dusk" "a lighthouse in a storm"
  "a bowl of ripe lemons on linen" "a neon street in the rain at night" "a misty pine forest at dawn"
  "a portrait of an old fisherman" "a desert canyon under stars")
task_id() { head -1 | "$python" -c 'import json, sys; print(json.loads(sys.stdin.read())["task"]["id"])'; }
for prompt in "${prompts[@]}"; do
  for _ in $(seq 1 "$per_prompt"); do
    grid=$("$binary" imagine "$prompt --ar 1:1" --wait --poll-interval 0.05 --json | task_id)
    echo "$grid $prompt" >>"$work/themes"
    for part in 1 2 3 4; do
      upscale=$("$binary" action "$grid" "U$part" --wait --poll-interval 0.05 --json | task_id)
      echo "$upscale $grid $part" >>"$work/upscales"
    done
  done
done
"$binary" sync >/dev/null
"$python" bench/similar_accuracy.py "$work" "$PWD/.build/release/SimilarityBenchmark"

# reindex --hashes on every core, beside the decode rate of the same files on one core (SimilarityBenchmark).
pictures=$(sqlite3 "$work/archive/archive.sqlite" "SELECT count(DISTINCT sha256) FROM image_hashes WHERE algorithm = 'phash-64'")
sqlite3 "$work/archive/archive.sqlite" "DELETE FROM image_hashes"
read -r seconds _ < <(measure "$binary" reindex --hashes)
sqlite3 "$work/archive/archive.sqlite" \
  "SELECT '$work/archive/' || min(path) FROM images WHERE kind IN ('original', 'quadrant') AND edge = 0 GROUP BY sha256" \
  | .build/release/SimilarityBenchmark hash 2>"$work/decode" >/dev/null
echo
echo "### \`reindex --hashes\` ($(nproc) cores)"
echo
echo "- $pictures pictures (1024² grids, 512² quadrants and upscales) in $seconds s: $(awk "BEGIN {printf \"%.1f\", $pictures / $seconds}") a second"
echo "- the same files on one core: $(cat "$work/decode")"
