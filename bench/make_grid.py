#!/usr/bin/env python3
"""Makes a photo-like 2x2 grid PNG: four different scenes of smooth colour fields, gradients,
soft shapes and sensor-like noise (flat colour would flatter every encoder)."""
import sys

import numpy as np
from PIL import Image


def scene(width, height, seed):
    rng = np.random.default_rng(seed)
    # Smooth colour field: low-resolution noise upsampled with bicubic interpolation.
    small = rng.integers(0, 256, size=(max(2, height // 128), max(2, width // 128), 3), dtype=np.uint8)
    field = np.asarray(Image.fromarray(small).resize((width, height), Image.BICUBIC), dtype=np.float32)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    gradient = (x / width * 60 - 30)[..., None] + (y / height * 40 - 20)[..., None]
    cx, cy, r = rng.uniform(0.3, 0.7) * width, rng.uniform(0.3, 0.7) * height, rng.uniform(0.1, 0.3) * min(width, height)
    disc = (np.clip(1 - np.sqrt((x - cx) ** 2 + (y - cy) ** 2) / r, 0, 1) ** 0.5)[..., None] * rng.uniform(-80, 80, 3)
    noise = rng.normal(0, 6, size=(height, width, 3))
    return np.clip(field + gradient + disc + noise, 0, 255).astype(np.uint8)


def main():
    width, height, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    left, top = width // 2, height // 2
    grid = np.zeros((height, width, 3), dtype=np.uint8)
    grid[:top, :left] = scene(left, top, 1)
    grid[:top, left:] = scene(width - left, top, 2)
    grid[top:, :left] = scene(left, height - top, 3)
    grid[top:, left:] = scene(width - left, height - top, 4)
    Image.fromarray(grid).save(path, compress_level=6)


main()
