# Makes imagehash-pngsuite.json: ImageHash's (PyPI imagehash 4.3.2, Pillow 13) pHash and dHash of every valid
# PngSuite picture, the reference PerceptualHashTests compares ours with.
# Usage: python3 imagehash-reference.py ../../../../shared/testdata/pngsuite > imagehash-pngsuite.json
import json, os, sys
import imagehash
from PIL import Image

folder = sys.argv[1]
result = {}
for name in sorted(os.listdir(folder)):
    if not name.endswith(".png") or name.startswith("x"):
        continue
    with Image.open(os.path.join(folder, name)) as image:
        image.load()
        result[name] = {"phash": str(imagehash.phash(image)), "dhash": str(imagehash.dhash(image))}
json.dump(result, sys.stdout, indent=0, sort_keys=True)
print()
