#!/usr/bin/env python3
"""Peer: split a grid with Pillow, as a user script would."""
import sys

from PIL import Image

source, out = sys.argv[1], sys.argv[2]
image = Image.open(source)
w, h = image.size
for index, box in enumerate([(0, 0, w // 2, h // 2), (w // 2, 0, w, h // 2), (0, h // 2, w // 2, h), (w // 2, h // 2, w, h)], 1):
    image.crop(box).save(f"{out}/pillow-{index}.png")
