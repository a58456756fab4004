#!/usr/bin/env bash
# export-files (issue 28) beside the usual way to get the prompt into copies of the pictures, in one run:
#  - mjarchive export-files --kind all: originals and quadrants copied with the prompt in PNG text and XMP, first
#    time and again with nothing changed; and --no-metadata (hard links);
#  - the peer: cp -r of the same files, then one exiftool process writing XMP-dc:Description, XMP-dc:Subject and
#    PNG:Description into every copy from a CSV (-csv=, the fastest way exiftool offers for many files).
# Grids are the simulator's (720×720, ~1.3 MB, split by sync). Prints Markdown. Run on demand, not in CI.
# Needs exiftool (apt: libimage-exiftool-perl).
# Usage: bench/export-files.sh [tasks] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-300}
runs=${2:-3}
source bench/sync-lib.sh
port=18504


start_simulator $port "$tasks" 720x720
archive=$work/archive
xargs "$binary" track --archive "$archive" <"$work/ids.txt" >/dev/null
"$binary" sync --archive "$archive" --base-url "http://127.0.0.1:$port" --rate 0 --concurrency 16 >/dev/null
stop_simulator
files=$(find "$archive/images/originals" "$archive/images/quadrants" -type f | wc -l)
size=$(du -scm "$archive/images/originals" "$archive/images/quadrants" | tail -1 | cut -f1)

# (Not "$work/out": measure writes the command's output there.)
first_export() {
  rm -rf "$work/exported"
  measure "$binary" export-files "$work/exported" --kind all --archive "$archive" "$@"
}
again() { measure "$binary" export-files "$work/exported" --kind all --archive "$archive"; }
# The peer: copies, then the prompt of each file's task written by one exiftool process.
python3 - "$archive" "$work/meta.csv" <<'PY'
import csv, sqlite3, sys
archive, out = sys.argv[1:3]
db = sqlite3.connect(f"{archive}/archive.sqlite")
rows = db.execute("""SELECT i.path, t.prompt, t.action FROM images i JOIN tasks t ON t.id = i.task_id
                     WHERE i.kind IN ('original', 'quadrant')""")
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["SourceFile", "XMP-dc:Description", "XMP-dc:Subject", "PNG:Description"])
    for path, prompt, action in rows:
        w.writerow([path[len("images/"):], prompt or "", (action or "").lower(), prompt or ""])
PY
peer() {
  rm -rf "$work/peer"
  mkdir -p "$work/peer"
  measure bash -c "cp -r '$archive/images/originals' '$archive/images/quadrants' '$work/peer/' && cd '$work/peer' \
    && { exiftool -q -q -overwrite_original -csv='$work/meta.csv' originals quadrants >/dev/null 2>&1 || true; }"
}

echo "## export-files: $tasks grids ($files files, $size MB), $(nproc) cores, $runs runs"
echo
echo "| run | seconds, median (range) | peak RSS MB, median (range) |"
echo "|---|---:|---:|"
echo "| export-files --kind all (prompt in PNG text and XMP), first time | $(both_of first_export) |"
echo "| the same again, nothing changed | $(both_of again) |"
echo "| export-files --kind all --no-metadata (hard links), first time | $(both_of first_export --no-metadata) |"
echo "| cp -r, then exiftool -csv= writing the prompt into every copy | $(both_of peer) |"
checked=$(exiftool -q -q -s3 -XMP-dc:Description -r "$work/peer" 2>/dev/null | grep -c . || true)
echo
echo "(exiftool wrote a description into $checked of the $files copies.)"
