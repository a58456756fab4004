#!/usr/bin/env bash
# Finding by picture at scale: `similar`'s scan and `duplicates`' multi-index grouping over N stored pictures
# (random hashes, one in ten a near copy), in process, with the peak RSS. Run on demand, not in CI.
# Usage: bench/similar.sh [N …]   (default 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product SimilarityBenchmark >&2
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
for size in "${sizes[@]}"; do .build/release/SimilarityBenchmark "$size"; done
