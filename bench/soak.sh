#!/usr/bin/env bash
# Soak: the release binary against the built-in simulator misbehaving (10% 502 pages, 5% 429 with
# Retry-After, 2% truncated JSON, 2% truncated and 1% expired image downloads, 0–20 ms of random
# latency), TASKS finished tasks tracked plus SUBMITS imagines, then `sync` run again and again until
# the archive is complete. Prints the figures as Markdown. Run on demand, not in CI.
# Usage: bench/soak.sh [TASKS] [SUBMITS]     default: 10000 100
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product mjarchive >&2
swift build -c release --product SoakBenchmark >&2
.build/release/SoakBenchmark "$PWD/.build/release/mjarchive" "${1:-10000}" "${2:-100}"
