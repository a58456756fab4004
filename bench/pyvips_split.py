#!/usr/bin/env python3
"""Peer: split a grid with pyvips, decoding once and cropping four times."""
import sys

import pyvips

source, out = sys.argv[1], sys.argv[2]
image = pyvips.Image.new_from_file(source, access="random")
w, h = image.width, image.height
boxes = [(0, 0, w // 2, h // 2), (w // 2, 0, w - w // 2, h // 2), (0, h // 2, w // 2, h - h // 2), (w // 2, h // 2, w - w // 2, h - h // 2)]
for index, (left, top, width, height) in enumerate(boxes, 1):
    image.crop(left, top, width, height).write_to_file(f"{out}/pyvips-{index}.png")
