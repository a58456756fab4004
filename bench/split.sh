#!/usr/bin/env bash
# Grid split benchmark: mjarchive beside libvips, ImageMagick, Pillow and pyvips in one hyperfine
# run, with peak RSS (/usr/bin/time) and total output bytes, plus the decode-only and encode-only
# floors. Run on demand, on an idle machine; results go to bench/RESULTS.md by hand.
# Needs: apt-get install -y hyperfine imagemagick libvips-tools time; pip install pillow pyvips numpy
# Usage: bench/split.sh [WIDTHxHEIGHT …]   (default 2048x2048 2912x1632)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine convert vips /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (see the header of this script)" >&2; exit 1; }
done
for product in mjarchive SplitBenchmark; do swift build -c release --product "$product" 2>&1 | tail -1; done
bin=$PWD/.build/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(2048x2048 2912x1632)

for size in "${sizes[@]}"; do
  w=${size%x*}
  h=${size#*x}
  grid=$work/grid-$size.png
  python3 bench/make_grid.py "$w" "$h" "$grid"
  hw=$((w / 2)); hh=$((h / 2)); rw=$((w - hw)); bh=$((h - hh))
  declare -A commands=(
    [mjarchive]="$bin/mjarchive split $grid --out $work/out/mjarchive"
    [mjarchive-1core]="taskset -c 0 $bin/mjarchive split $grid --out $work/out/mjarchive-1core --single-thread"
    [vips]="vips extract_area $grid $work/out/vips/1.png 0 0 $hw $hh && vips extract_area $grid $work/out/vips/2.png $hw 0 $rw $hh && vips extract_area $grid $work/out/vips/3.png 0 $hh $hw $bh && vips extract_area $grid $work/out/vips/4.png $hw $hh $rw $bh"
    [imagemagick]="convert $grid -crop 2x2@ +repage $work/out/imagemagick/q_%d.png"
    [pillow]="python3 bench/pillow_split.py $grid $work/out/pillow"
    [pyvips]="python3 bench/pyvips_split.py $grid $work/out/pyvips"
  )
  order=(mjarchive mjarchive-1core pyvips vips imagemagick pillow)
  args=()
  for name in "${order[@]}"; do
    mkdir -p "$work/out/$name"
    args+=(--command-name "$name" "rm -f $work/out/$name/*; ${commands[$name]}")
  done
  echo "## $size grid ($(stat -c %s "$grid") bytes in)"
  echo
  hyperfine --warmup 1 --runs 5 --export-markdown "$work/hyperfine.md" "${args[@]}" >/dev/null
  cat "$work/hyperfine.md"
  echo
  echo "| tool | peak RSS MB | output bytes |"
  echo "|---|---:|---:|"
  for name in "${order[@]}"; do
    rm -f "$work/out/$name"/*
    rss=$(/usr/bin/time -f %M bash -c "${commands[$name]}" 2>&1 >/dev/null | tail -1)
    bytes=$(du -cb "$work/out/$name"/* | tail -1 | cut -f1)
    echo "| $name | $((rss / 1024)) | $bytes |"
  done
  echo
  echo "Floors: $("$bin/SplitBenchmark" "$grid"); one thread: $("$bin/SplitBenchmark" "$grid" --single-thread | sed 's/^decode only: [0-9]* ms; //')"
  echo
done
