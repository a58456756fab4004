#!/usr/bin/env python3
"""One schedule of the push-archiving benchmark (bench/listen.sh): submits TASKS imagines to the simulator, spread
evenly over SECONDS, each recorded in ARCHIVE with `mjarchive track` as the submit commands record theirs, and with
the callback address HOOK (or none). With CRON_SECONDS > 0 it also runs `mjarchive sync` (the defaults) at every
multiple of CRON_SECONDS from the start, as cron would, until every task is home; otherwise it waits for `listen`
(started by the caller) to bring every task home. Then prints one JSON object: per task, the seconds from its
SUCCESS at the gateway to its original and four quadrants recorded, and the API requests the archive counted.

Usage: listen_run.py BINARY BASE_URL ARCHIVE HOOK TASKS SECONDS CRON_SECONDS"""
import json
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request


def main():
    binary, base, archive, hook = sys.argv[1:5]
    tasks, seconds, cron = int(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
    start = time.time()
    ids = []
    syncs = []
    finished = threading.Event()

    def cron_loop():
        tick = 1
        while not finished.is_set():
            time.sleep(max(0, start + tick * cron - time.time()))
            began = time.time()
            subprocess.run([binary, "sync", "--archive", archive, "--base-url", base], check=False)
            syncs.append((began, time.time()))
            tick += 1

    if cron > 0:
        threading.Thread(target=cron_loop, daemon=True).start()
    for index in range(tasks):
        time.sleep(max(0, start + index * seconds / tasks - time.time()))
        body = {"prompt": f"bench kingfisher {index} --ar 1:1"}
        if hook != "none":
            body["notifyHook"] = hook
        request = urllib.request.Request(
            f"{base}/mj-fast/mj/submit/imagine", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"})
        task_id = str(json.loads(urllib.request.urlopen(request).read())["result"])
        subprocess.run([binary, "track", task_id, "--archive", archive], check=True, stdout=subprocess.DEVNULL)
        ids.append(task_id)
    deadline = time.time() + 3600
    latencies = {}
    while time.time() < deadline:
        db = sqlite3.connect(f"file:{archive}/archive.sqlite?mode=ro", uri=True)
        rows = db.execute(
            """SELECT t.id, t.finish_time, max(i.created_at), count(*) FROM tasks t JOIN images i ON i.task_id = t.id
               WHERE i.kind IN ('original', 'quadrant') AND t.status = 'SUCCESS' GROUP BY t.id""").fetchall()
        requests, downloads = db.execute(
            "SELECT coalesce(sum(requests), 0), coalesce(sum(images_downloaded), 0) FROM sync_runs").fetchone()
        db.close()
        latencies = {row[0]: (row[2] - row[1]) / 1000 for row in rows if row[3] == 5}
        if len(latencies) == len(ids):
            break
        time.sleep(0.2)
    finished.set()
    print(json.dumps({
        "tasks": len(ids), "home": len(latencies), "latencies": sorted(latencies.values()),
        "api_requests": requests - downloads, "syncs": [b - a for a, b in syncs]}))


if __name__ == "__main__":
    main()
