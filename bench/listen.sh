#!/usr/bin/env bash
# Push archiving (`listen`) beside sync from cron: 200 tasks submitted evenly over 2 minutes to the simulator at
# 50 ms latency (tasks take 10 s, full-size grids), time from each task's SUCCESS at the gateway to its original
# and quadrants recorded: p50, p99, max. listen and cron every minute are measured, one after the other on the same
# machine; cron every 15 minutes is computed from its schedule plus the per-task time cron-every-minute's runs took.
# Prints Markdown. Run on demand, not in CI. Usage: bench/listen.sh [tasks] [seconds] [elsewhere|here]
set -euo pipefail
cd "$(dirname "$0")/.."
tasks=${1:-200}
seconds=${2:-120}
# With "elsewhere" the simulator's grids cycle through 8 pictures rendered once, as when the gateway runs on another
# machine; "here" renders every grid on this machine too (0.44 s of one core each at 2048²), competing with the archive.
gateway=${3:-elsewhere}
source bench/sync-lib.sh
port=18402
listen_port=18403
token=bench-token-0123456789abcdefghijklmnopqrstuv
echo "$token" >"$work/token"
hook="http://127.0.0.1:$listen_port/hook/$token"

run_simulator() {
  local pictures=()
  [ "$gateway" = elsewhere ] && pictures=(--distinct-images 8)
  "$binary" simulator --port "$port" --task-seconds 10 --latency-ms 50 "${pictures[@]}" >"$work/simulator.log" 2>&1 &
  simulator_pid=$!
  for _ in $(seq 1 100); do grep -q listening "$work/simulator.log" 2>/dev/null && return; sleep 0.1; done
  echo "the simulator did not start" >&2; exit 1
}

run_simulator
"$binary" listen --archive "$work/listen" --base-url "http://127.0.0.1:$port" --port $listen_port \
  --token-file "$work/token" >"$work/listen.log" 2>&1 &
listen_pid=$!
sleep 1
python3 bench/listen_run.py "$binary" "http://127.0.0.1:$port" "$work/listen" "$hook" "$tasks" "$seconds" 0 \
  >"$work/listen.json"
fetched=$(sqlite3 "$work/listen/archive.sqlite" "SELECT n FROM archive_counts WHERE kind = 'callbacks' AND key = 'fetched'")
kill -TERM $listen_pid; wait $listen_pid || true
stop_simulator
run_simulator
python3 bench/listen_run.py "$binary" "http://127.0.0.1:$port" "$work/cron" none "$tasks" "$seconds" 60 \
  >"$work/cron.json"
stop_simulator

python3 - "$work/listen.json" "$work/cron.json" "$work/cron/archive.sqlite" "$fetched" "$tasks" "$seconds" "$gateway" <<'PY'
import json, sqlite3, sys
listen, cron = (json.load(open(path)) for path in sys.argv[1:3])
fetched, tasks, seconds, gateway = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]

def spread(values):
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    return f"{pick(0.5):.2f} | {pick(0.99):.2f} | {values[-1]:.2f}"

# Cron every 15 minutes: the wait for the next quarter-hour tick after the task finished, plus what it took the
# minute runs to bring a task home once their run had started (the same work, done later).
db = sqlite3.connect(sys.argv[3])
runs = [row[0] for row in db.execute("SELECT started_at FROM sync_runs ORDER BY started_at")]
rows = db.execute(
    """SELECT t.submit_time, t.finish_time, max(i.created_at) FROM tasks t JOIN images i ON i.task_id = t.id
       WHERE i.kind IN ('original', 'quadrant') GROUP BY t.id""").fetchall()
first = runs[0] - 60_000
quarter = []
for _, finish, home in rows:
    run = max(r for r in runs if r <= home)
    work = (home - run) / 1000
    wait = 900 - ((finish - first) / 1000) % 900
    quarter.append(wait + work)
# Its requests: each tick lists (100 ids a request) the tasks submitted before it and not finished at the tick before.
quarter_requests, tick = 0, first + 900_000
while True:
    pending = [1 for submit, finish, _ in rows if submit <= tick and finish > tick - 900_000]
    quarter_requests += -(-len(pending) // 100)
    if all(finish <= tick for _, finish, _ in rows):
        break
    tick += 900_000
where = ("grids rendered once, as from a gateway elsewhere" if gateway == "elsewhere"
         else "every grid rendered on this machine too")
print(f"## Push archiving: {tasks} tasks finishing over {seconds} s (simulator at 50 ms, 2048² grids, 10 s tasks, "
      f"{where})")
print()
print("| how | tasks home | SUCCESS → original + quadrants on disk, s: p50 | p99 | max | API requests per task |")
print("|---|---:|---:|---:|---:|---:|")
print(f"| `listen` (defaults) | {listen['home']}/{listen['tasks']} | {spread(listen['latencies'])} | "
      f"{listen['api_requests'] / listen['tasks']:.2f} ({fetched / listen['tasks']:.2f} task fetches) |")
print(f"| `sync` from cron every minute (measured) | {cron['home']}/{cron['tasks']} | {spread(cron['latencies'])} | "
      f"{cron['api_requests'] / cron['tasks']:.2f} |")
print(f"| `sync` from cron every 15 minutes (computed) | {len(quarter)}/{cron['tasks']} | {spread(quarter)} | "
      f"{quarter_requests / len(rows):.2f} |")
print()
print(f"cron runs every minute took {', '.join(f'{s:.1f}' for s in cron['syncs'])} s.")
PY
