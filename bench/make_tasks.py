#!/usr/bin/env python3
"""Writes synthetic gateway tasks shaped like the real sample (shared/api/samples/task-imagine-success.json):
JSON lines or one JSON array, until the output reaches the given size in MB.
Usage: make_tasks.py MB lines|array > out"""
import json
import random
import sys
import uuid
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "Tests/TestSupport/Fixtures/gateway/task-imagine-success.json"
WORDS = ("fox cat owl wolf city harbour forest desert neon misty golden portrait street night rain snow "
         "cyberpunk watercolor ink film grain soft light ocean mountain temple garden lantern robot dragon").split()
PARAMS = ["--ar 16:9", "--ar 1:1", "--ar 2:3", "--v 6.1", "--v 7", "--niji 6", "--s 250", "--c 10", "--style raw"]


def main():
    megabytes, layout = float(sys.argv[1]), sys.argv[2]
    target = int(megabytes * 1_000_000)
    template = json.loads(SAMPLE.read_text())
    rng = random.Random(7)
    out = sys.stdout
    written = 0
    count = 0
    if layout == "array":
        out.write("[\n")
        written += 2
    while written < target:
        count += 1
        task = json.loads(json.dumps(template))
        job = str(uuid.UUID(int=rng.getrandbits(128)))
        prompt = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))) + " " + " ".join(rng.sample(PARAMS, 2))
        submit = 1_700_000_000_000 + count * 61_000
        task["id"] = str(1_320_098_173_412_546 + count * 7_919)
        task["prompt"] = task["promptEn"] = prompt
        task["submitTime"], task["startTime"], task["finishTime"] = submit, submit + 2_000, submit + 30_000
        task["imageUrl"] = task["imageUrl"].replace("26d56b92-4ed6-45e2-8561-563797923135", job)
        task["properties"]["finalPrompt"] = prompt
        task["properties"]["messageHash"] = job
        task["properties"]["messageId"] = str(1_348_306_030_429_470_862 + count)
        for button in task["buttons"]:
            button["customId"] = button["customId"].replace("26d56b92-4ed6-45e2-8561-563797923135", job)
        line = json.dumps(task, ensure_ascii=False, separators=(",", ":"))
        if layout == "array" and count > 1:
            line = ",\n" + line
        elif layout == "lines":
            line += "\n"
        out.write(line)
        written += len(line.encode())
    if layout == "array":
        out.write("\n]\n")
    print(count, file=sys.stderr)


if __name__ == "__main__":
    main()
