#!/usr/bin/env python3
"""Find-by-picture accuracy on ground truth, mjarchive's hashes beside ImageHash, imagededup and findimagedupes.

Usage: similar_accuracy.py WORK HASHER
  WORK/archive   an archive synced from the simulator (bench/similar-accuracy.sh makes it)
  WORK/upscales  "upscale-id grid-id n" a line: lineage's ground truth (U_n is the grid's quadrant n)
  WORK/themes    "grid-id theme" a line
  HASHER         SimilarityBenchmark, whose `hash` mode prints our hashes of the PNGs named on stdin

Positives: every upscale against its grid's quadrant n; every such quadrant against a copy at 50% re-encoded as
JPEG at quality 80 by ImageMagick; Pillow-drawn photo-like pictures against the same kind of copy. Negatives:
every pair of quadrants of different families (rerolls of one prompt among them), every pair of the drawn
pictures. Our hasher reads PNG only, so it hashes the JPEG copies decoded to PNG by ImageMagick (the same pixels).
Prints Markdown.
"""
import os
import sqlite3
import subprocess
import sys
import time

import imagehash
import numpy as np
from PIL import Image

work, hasher = sys.argv[1], sys.argv[2]
# Debian's ImageMagick (a `convert` earlier on PATH may be something else).
convert = os.environ.get("CONVERT", "/usr/bin/convert")
archive = os.path.join(work, "archive")
copies = os.path.join(work, "copies")
drawn = os.path.join(work, "drawn")
os.makedirs(copies, exist_ok=True)
os.makedirs(drawn, exist_ok=True)


def path_of(db, task, part):
    kind = "original" if part == 0 else "quadrant"
    row = db.execute(
        "SELECT path FROM images WHERE task_id = ? AND part = ? AND kind = ? AND edge = 0", (task, part, kind)
    ).fetchone()
    return os.path.join(archive, row[0])


def jpeg_copy(source):
    """A 50% copy at JPEG quality 80, and that JPEG decoded to PNG (for our PNG-only hasher)."""
    name = os.path.basename(source)
    jpeg = os.path.join(copies, name + ".jpg")
    subprocess.run([convert, source, "-resize", "50%", "-quality", "80", jpeg], check=True)
    subprocess.run([convert, jpeg, jpeg + ".png"], check=True)
    return jpeg


def draw(seed, size=512):
    """A photo-like picture: a smooth colour field, a gradient, a soft disc and sensor noise (as make_grid.py)."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, size=(4, 4, 3), dtype=np.uint8)
    field = np.asarray(Image.fromarray(small).resize((size, size), Image.BICUBIC), dtype=np.float32)
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    gradient = (x / size * rng.uniform(-60, 60) + y / size * rng.uniform(-40, 40))[..., None]
    cx, cy, r = rng.uniform(0.3, 0.7) * size, rng.uniform(0.3, 0.7) * size, rng.uniform(0.1, 0.3) * size
    disc = (np.clip(1 - np.sqrt((x - cx) ** 2 + (y - cy) ** 2) / r, 0, 1) ** 0.5)[..., None] * rng.uniform(-80, 80, 3)
    noise = rng.normal(0, 6, size=(size, size, 3))
    path = os.path.join(drawn, f"drawn-{seed}.png")
    Image.fromarray(np.clip(field + gradient + disc + noise, 0, 255).astype(np.uint8)).save(path)
    return path


db = sqlite3.connect(os.path.join(archive, "archive.sqlite"))
themes = dict(line.split(" ", 1) for line in open(os.path.join(work, "themes")).read().splitlines())
positives = []  # (kind, a, b)
for line in open(os.path.join(work, "upscales")).read().splitlines():
    upscale, grid, part = line.split()
    quadrant = path_of(db, grid, int(part))
    positives.append(("upscale vs its quadrant", path_of(db, upscale, 0), quadrant))
    positives.append(("quadrant vs 50% JPEG q80 copy", quadrant, jpeg_copy(quadrant)))
quadrants = [(grid, path_of(db, grid, part)) for grid in themes for part in range(1, 5)]
negatives = []
for i, (grid_a, a) in enumerate(quadrants):
    for grid_b, b in quadrants[i + 1:]:
        if grid_a != grid_b:
            kind = "same theme" if themes[grid_a] == themes[grid_b] else "other theme"
            negatives.append((f"quadrants of other families, {kind}", a, b))
pictures = [draw(seed) for seed in range(40)]
for picture in pictures:
    positives.append(("drawn picture vs 50% JPEG q80 copy", picture, jpeg_copy(picture)))
for i, a in enumerate(pictures):
    for b in pictures[i + 1:]:
        negatives.append(("drawn pictures, different", a, b))

files = sorted({path for _, a, b in positives + negatives for path in (a, b)})
pngs = [path for path in files if path.endswith(".png")]


def ours_path(path):
    return path + ".png" if path.endswith(".jpg") else path


def bits(a, b):
    return bin(a ^ b).count("1")


# Ours.
ours_input = "\n".join(ours_path(path) for path in files) + "\n"
result = subprocess.run([hasher, "hash"], input=ours_input, capture_output=True, text=True, check=True)
ours = {}
for line in result.stdout.splitlines():
    path, p, d = line.split("\t")
    ours[path] = (int(p, 16), int(d, 16))
speed_input = "\n".join(pngs) + "\n"
ours_speed = subprocess.run([hasher, "hash"], input=speed_input, capture_output=True, text=True, check=True).stderr


def timed(function, paths):
    start = time.perf_counter()
    values = {path: function(path) for path in paths}
    return values, len(paths) / (time.perf_counter() - start)


def imagehash_pair(path):
    with Image.open(path) as image:
        return int(str(imagehash.phash(image)), 16), int(str(imagehash.dhash(image)), 16)


imagehash_values, _ = timed(imagehash_pair, files)
_, imagehash_rate = timed(imagehash_pair, pngs)

from imagededup.methods import DHash, PHash  # noqa: E402  (slow to import: torch)

phasher, dhasher = PHash(verbose=False), DHash(verbose=False)


def imagededup_pair(path):
    return int(phasher.encode_image(image_file=path), 16), int(dhasher.encode_image(image_file=path), 16)


imagededup_values, _ = timed(imagededup_pair, files)
_, imagededup_rate = timed(imagededup_pair, pngs)

# findimagedupes: 256-bit fingerprints kept in a database, then compared at each threshold (its default 90%).
database = os.path.join(work, "findimagedupes.db")
start = time.perf_counter()
subprocess.run(["findimagedupes", "-q", "-n", "-f", database, "--"] + pngs, check=True, capture_output=True)
findimagedupes_rate = len(pngs) / (time.perf_counter() - start)
subprocess.run(["findimagedupes", "-q", "-n", "-f", database, "--"] + files, check=True, capture_output=True)


def findimagedupes_groups(threshold):
    out = subprocess.run(
        ["findimagedupes", "-q", "-f", database, "-t", f"{threshold}%", "--"] + files,
        check=True, capture_output=True, text=True).stdout
    group = {}
    for number, line in enumerate(out.splitlines()):
        for path in line.split(" "):
            group[path] = number
    return group


def rates(near):
    """recall, false positive rate and precision of a test `near(a, b)` over the pairs."""
    tp = sum(1 for _, a, b in positives if near(a, b))
    fp = sum(1 for _, a, b in negatives if near(a, b))
    precision = tp / (tp + fp) if tp + fp else 1.0
    return tp / len(positives), fp / len(negatives), precision


hashers = {
    "mjarchive": lambda path: ours[ours_path(path)],
    "ImageHash 4.3.2": lambda path: imagehash_values[path],
    "imagededup 0.3.3": lambda path: imagededup_values[path],
}


def test(tool, algorithm, distance):
    get = hashers[tool]
    if algorithm == "pHash":
        return lambda a, b: bits(get(a)[0], get(b)[0]) <= distance
    if algorithm == "dHash":
        return lambda a, b: bits(get(a)[1], get(b)[1]) <= distance
    return lambda a, b: bits(get(a)[0], get(b)[0]) <= distance and bits(get(a)[1], get(b)[1]) <= distance


print(f"{len(positives)} positive pairs, {len(negatives)} negative pairs, {len(files)} files "
      f"({len(pngs)} PNG); {len(themes)} simulator grids\n")
print("### At 10 bits (`similar`'s default)\n")
print("| tool | hash | recall | false positives | precision |")
print("|---|---|---:|---:|---:|")
for tool in hashers:
    for algorithm in ["pHash", "dHash", "both"]:
        recall, fpr, precision = rates(test(tool, algorithm, 10))
        print(f"| {tool} | {algorithm} | {recall:.3f} | {fpr:.4f} | {precision:.3f} |")
for threshold in [90]:
    group = findimagedupes_groups(threshold)
    recall, fpr, precision = rates(lambda a, b: a in group and group.get(a) == group.get(b))
    print(f"| findimagedupes 2.20 | 256-bit, -t {threshold}% (its default) | {recall:.3f} | {fpr:.4f} | {precision:.3f} |")

print("\n### Recall by kind of pair, and false positives by kind, at 10 bits (pHash)\n")
print("| pairs | count | mjarchive | ImageHash | imagededup |")
print("|---|---:|---:|---:|---:|")
for label, pairs in [("positive", positives), ("negative", negatives)]:
    for kind in sorted({k for k, _, _ in pairs}):
        subset = [(a, b) for k, a, b in pairs if k == kind]
        cells = []
        for tool in hashers:
            near = test(tool, "pHash", 10)
            cells.append(f"{sum(1 for a, b in subset if near(a, b)) / len(subset):.3f}")
        print(f"| {label}: {kind} | {len(subset)} | " + " | ".join(cells) + " |")

print("\n### ROC points (recall / false positive rate)\n")
distances = [2, 4, 6, 8, 10, 12, 14, 16, 20, 24]
print("| tool | hash | " + " | ".join(f"≤ {d}" for d in distances) + " |")
print("|---|---|" + "---:|" * len(distances))
for tool in hashers:
    for algorithm in ["pHash", "dHash", "both"]:
        cells = []
        for distance in distances:
            recall, fpr, _ = rates(test(tool, algorithm, distance))
            cells.append(f"{recall:.3f} / {fpr:.4f}")
        print(f"| {tool} | {algorithm} | " + " | ".join(cells) + " |")
cells = []
for threshold in [98, 95, 90, 85, 80]:
    group = findimagedupes_groups(threshold)
    recall, fpr, _ = rates(lambda a, b: a in group and group.get(a) == group.get(b))
    cells.append(f"-t {threshold}%: {recall:.3f} / {fpr:.4f}")
print("\nfindimagedupes (groups are joined chains): " + "; ".join(cells))

print("\n### Pictures hashed a second (the PNGs, one core each, pHash and dHash)\n")
print(f"- mjarchive: {ours_speed.strip()}")
print(f"- ImageHash 4.3.2: {imagehash_rate:.1f} a second")
print(f"- imagededup 0.3.3 (encode_image, one at a time): {imagededup_rate:.1f} a second")
print(f"- findimagedupes 2.20 (its fingerprint, GraphicsMagick): {findimagedupes_rate:.1f} a second")
