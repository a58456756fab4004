#!/usr/bin/python3
"""Parses every .html file under a folder with html5lib in strict mode (Debian's python3-html5lib) and prints
{"pages": N, "errors": ["path: error", ...]}."""
import json
import os
import sys

import html5lib

root = sys.argv[1]
pages = 0
errors = []
for folder, _, names in os.walk(root):
    for name in sorted(names):
        if not name.endswith(".html"):
            continue
        path = os.path.join(folder, name)
        pages += 1
        parser = html5lib.HTMLParser(strict=True)
        try:
            with open(path, "rb") as page:
                parser.parse(page.read())
        except Exception as error:
            errors.append("%s: %s %s" % (os.path.relpath(path, root), error, parser.errors[:1]))
json.dump({"pages": pages, "errors": errors}, sys.stdout)
