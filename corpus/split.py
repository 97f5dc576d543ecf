#!/usr/bin/env python3
"""The held-out split, decided by a hash of each excerpt's source URL.

split = "held-out" when int(sha256(source_url).hexdigest()[:8], 16) % 10 < 3,
else "dev".  The source URL is the one on the excerpt's first line:
    # source: owner/repo#N (https://...)     -> the URL in parentheses
    # source: https://...                   -> that URL

  python3 corpus/split.py            print file, split, url for every excerpt
  python3 corpus/split.py --check    exit 1 if labels.tsv disagrees (or misses a file)
  python3 corpus/split.py --write    rewrite the split column of labels.tsv
"""
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FAILURES = os.path.join(HERE, "failures")
LABELS = os.path.join(HERE, "labels.tsv")


def source_url(path):
    with open(path, encoding="utf-8") as f:
        first = f.readline().rstrip("\n")
    if not first.startswith("# source: "):
        raise SystemExit(f"{path}: first line is not '# source: ...'")
    rest = first[len("# source: "):].strip()
    m = re.search(r"\((https?://[^)\s]+)\)\s*$", rest)
    if m:
        return m.group(1)
    if re.match(r"https?://\S+$", rest):
        return rest
    raise SystemExit(f"{path}: no URL on the source line")


def split_of(url):
    return "held-out" if int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) % 10 < 3 else "dev"


def excerpts():
    return sorted(n for n in os.listdir(FAILURES) if n.endswith(".txt"))


def main(argv):
    mode = argv[1] if len(argv) > 1 else "--print"
    computed = {}
    urls = {}
    for name in excerpts():
        url = source_url(os.path.join(FAILURES, name))
        if url in urls:
            raise SystemExit(f"{name}: same source as {urls[url]} (one excerpt per source)")
        urls[url] = name
        computed[name] = split_of(url)
    if mode == "--print":
        for name in excerpts():
            print(f"{name}\t{computed[name]}\t{source_url(os.path.join(FAILURES, name))}")
        n_held = sum(1 for s in computed.values() if s == "held-out")
        print(f"# {len(computed)} excerpts: {len(computed) - n_held} dev, {n_held} held-out", file=sys.stderr)
        return 0
    with open(LABELS, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    header, body = rows[0], rows[1:]
    fi, si = header.index("file"), header.index("split")
    bad = 0
    seen = set()
    for row in body:
        name = row[fi]
        seen.add(name)
        if len(row) != len(header):
            # a tab inside a field (a Dockerfile's continuation lines) shifts
            # every later column: the class would be read from the note
            print(f"{name}: {len(row)} columns, labels.tsv has {len(header)} (a tab inside a field?)")
            bad += 1
        if name not in computed:
            print(f"labels.tsv names {name}, which is not in failures/")
            bad += 1
            continue
        if mode == "--write":
            row[si] = computed[name]
        elif row[si] != computed[name]:
            print(f"{name}: labels say {row[si]}, hash says {computed[name]}")
            bad += 1
    for name in computed:
        if name not in seen:
            print(f"{name}: no row in labels.tsv")
            bad += 1
    if mode == "--write":
        with open(LABELS, "w", encoding="utf-8") as f:
            for row in [header] + body:
                f.write("\t".join(row) + "\n")
        return 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
