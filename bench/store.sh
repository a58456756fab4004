#!/usr/bin/env bash
# Archive benchmark: ingest rate and search latency at 10k, 100k and 1M tasks, beside the stock
# sqlite3 shell running the same FTS5 queries on the same database. Run on demand, not in CI.
# Usage: bench/store.sh [sizes…]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell: apt-get install -y sqlite3" >&2; exit 1; }
swift build -c release --product StoreBenchmark
.build/release/StoreBenchmark "$@"
