#!/usr/bin/env python3
"""The plain sequential poller mjarchive sync is measured against: for each task id, fetch the task,
store its JSON in SQLite, download its image to a file, one request at a time (the gateway's own
curl loop, in Python's standard library). Usage: poller.py BASE_URL IDS_FILE OUT_DIR"""
import json
import sqlite3
import sys
import urllib.request
from pathlib import Path


def main():
    base, ids_file, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(out / "poller.sqlite")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, raw_json BLOB)")
    headers = {"Authorization": "Bearer sk-bench", "Accept": "application/json"}
    for task_id in ids_file.read_text().split():
        request = urllib.request.Request(f"{base}/mj-fast/mj/task/{task_id}/fetch", headers=headers)
        raw = urllib.request.urlopen(request).read()
        task = json.loads(raw)
        db.execute("INSERT OR REPLACE INTO tasks VALUES (?, ?)", (task_id, raw))
        db.commit()
        image = urllib.request.urlopen(task["imageUrl"]).read()
        (out / f"{task_id}.png").write_bytes(image)


if __name__ == "__main__":
    main()
