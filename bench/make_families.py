#!/usr/bin/env python3
"""Writes synthetic gateway tasks in families, as JSON lines, shaped like the real samples
(shared/api/samples/task-imagine-success.json and task-upscale-success.json): every child carries the
traces real gateways leave (parentId, properties.custom_id with the parent's job hash,
referencedMessageId = the parent's messageId).

Families of five: imagine -> U1, U3, V2 -> U4 (of the variation). One family is big: a chain of
variations, each with four upscales, until it holds BIG tasks.

Usage: make_families.py TASKS [BIG] > out.jsonl   (prints the big family's deepest upscale id on stderr)"""
import json
import random
import sys
import uuid
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "Tests/TestSupport/Fixtures/gateway"
WORDS = ("fox cat owl wolf city harbour forest desert neon misty golden portrait street night rain snow "
         "cyberpunk watercolor ink film grain soft light ocean mountain temple garden lantern robot dragon").split()
PARAMS = ["--ar 16:9", "--ar 1:1", "--ar 2:3", "--v 6.1", "--v 7", "--niji 6", "--s 250", "--c 10", "--style raw"]
GRID_HASH = "26d56b92-4ed6-45e2-8561-563797923135"
SINGLE_HASH = "9f1c0e55-3b7a-4f0e-9a51-0c2d7b1e8a44"


class Writer:
    def __init__(self, rng):
        self.rng = rng
        self.count = 0
        self.imagine = json.loads((FIXTURES / "task-imagine-success.json").read_text())
        self.upscale = json.loads((FIXTURES / "task-upscale-success.json").read_text())

    def task(self, action, prompt, parent=None, button=None, index=0):
        """One task; parent is (id, messageId, hash) of the task whose button made it."""
        self.count += 1
        grid = action != "UPSCALE"
        task = json.loads(json.dumps(self.imagine if parent is None else self.upscale))
        own = SINGLE_HASH if parent is not None else GRID_HASH
        job = str(uuid.UUID(int=self.rng.getrandbits(128)))
        submit = 1_700_000_000_000 + self.count * 61_000
        task["id"] = str(1_320_098_173_412_546 + self.count * 7_919)
        task["action"] = action
        task["prompt"] = task["promptEn"] = prompt
        task["submitTime"], task["startTime"], task["finishTime"] = submit, submit + 2_000, submit + 30_000
        task["imageUrl"] = task["imageUrl"].replace(own, job)
        props = task["properties"]
        props["finalPrompt"] = prompt
        props["messageHash"] = job
        props["messageId"] = str(1_348_306_030_429_470_862 + self.count)
        if parent is not None:
            task["parentId"] = parent[0]
            props["referencedMessageId"] = props["progressMessageId"] = parent[1]
            props["custom_id"] = f"MJ::JOB::{button}::{index}::{parent[2]}"
            props["action_index"] = index
        template = self.imagine if grid else self.upscale
        task["buttons"] = [dict(b, customId=b["customId"].replace(GRID_HASH if grid else SINGLE_HASH, job))
                           for b in template["buttons"]]
        sys.stdout.write(json.dumps(task, ensure_ascii=False, separators=(",", ":")) + "\n")
        return task["id"], props["messageId"], job


def main():
    total = int(sys.argv[1])
    big = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    rng = random.Random(11)
    out = Writer(rng)
    deepest = None
    if big:
        prompt = "the big family: a fox in every season --ar 1:1 --v 6.1"
        grid = out.task("IMAGINE", prompt)
        made = 1
        while made < big:
            for quadrant in range(1, 5):
                deepest = out.task("UPSCALE", prompt, grid, "upsample", quadrant)[0]
            grid = out.task("VARIATION", prompt, grid, "variation", 2)
            made += 5
    while out.count + 5 <= total:
        prompt = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))) + " " + " ".join(rng.sample(PARAMS, 2))
        grid = out.task("IMAGINE", prompt)
        out.task("UPSCALE", prompt, grid, "upsample", 1)
        out.task("UPSCALE", prompt, grid, "upsample", 3)
        variation = out.task("VARIATION", prompt, grid, "variation", 2)
        out.task("UPSCALE", prompt, variation, "upsample", 4)
    print(deepest or "", file=sys.stderr)


if __name__ == "__main__":
    main()
