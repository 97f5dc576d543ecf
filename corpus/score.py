#!/usr/bin/env python3
"""Score buildsleuth on the framed corpus (python3 stdlib only).

    python3 corpus/frame.py OUTDIR
    python3 corpus/score.py OUTDIR [--bin build/buildsleuth]

For every row of OUTDIR/index.tsv: `buildsleuth analyze --format json FILE`.
  top category ok  <=> the rank-1 diagnosis's category is in the row's categories
  subject ok       <=> the subject (case-insensitive) is a substring of the rank-1
                       diagnosis's summary, subject or capture values (rows with
                       subject "-" are not counted for this)
Green rows (split "green") are ok when the report has no diagnoses.

Prints per split the top-category and subject rates, a per-framing breakdown,
and the list of DEV misses.  Held-out misses are only counted, never listed:
the people who write rules must not see them.
"""
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def analyze(binary, path):
    p = subprocess.run([binary, "analyze", "--format", "json", "-q", path],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120)
    text = p.stdout.decode("utf-8", "replace").strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def labels_class():
    out = {}
    with open(os.path.join(HERE, "labels.tsv"), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    hdr = rows[0]
    if "class" in hdr:
        for r in rows[1:]:
            out[r[hdr.index("file")]] = r[hdr.index("class")]
    return out


def pct(a, b):
    return "%5.1f%% (%d/%d)" % (100.0 * a / b, a, b) if b else "    -"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = argv[1]
    binary = os.path.join(ROOT, "build", "buildsleuth")
    if "--bin" in argv:
        binary = argv[argv.index("--bin") + 1]
    with open(os.path.join(outdir, "index.tsv"), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    hdr = rows[0]
    rows = [dict(zip(hdr, r)) for r in rows[1:]]
    klass = labels_class()

    stats = collections.defaultdict(lambda: [0, 0, 0, 0])   # key -> cat_ok, n, subj_ok, subj_n
    dev_misses = []
    green = [0, 0]
    for r in rows:
        rep = analyze(binary, os.path.join(outdir, r["framed"]))
        diags = (rep or {}).get("diagnoses") or []
        if r["split"] == "green":
            green[1] += 1
            green[0] += 1 if rep is not None and not diags else 0
            continue
        top = diags[0] if diags else None
        want = r["categories"].split(",")
        cat_ok = top is not None and top.get("category") in want
        subj = r["subject"]
        subj_ok = None
        if subj != "-":
            hay = []
            if top:
                hay.append(top.get("summary") or "")
                hay.append(top.get("subject") or "")
                for k, v in (top.get("captures") or {}).items():
                    hay.append(str(v))
                for k, vs in (top.get("capture_values") or {}).items():
                    hay += [str(v) for v in vs]
            subj_ok = any(subj.lower() in x.lower() for x in hay)
        for key in [(r["split"],), (r["split"], r["framing"]),
                    (r["split"], "class:" + klass.get(r["excerpt"], "?"))]:
            s = stats[key]
            s[0] += cat_ok
            s[1] += 1
            if subj_ok is not None:
                s[2] += subj_ok
                s[3] += 1
        if r["split"] == "dev" and (not cat_ok or subj_ok is False):
            dev_misses.append((r, top, cat_ok, subj_ok))

    for split in ["dev", "held-out"]:
        s = stats[(split,)]
        print("== %s: top category %s   subject %s" % (split, pct(s[0], s[1]), pct(s[2], s[3])))
        for framing in ["codebuild-buildkit", "codebuild-legacy", "kaniko", "podman", "buildkit-plain", "api-json"]:
            t = stats.get((split, framing))
            if t:
                print("   %-20s category %s   subject %s" % (framing, pct(t[0], t[1]), pct(t[2], t[3])))
        if split == "dev":
            for key in sorted(k for k in stats if k[0] == split and k[1:] and k[1].startswith("class:")):
                t = stats[key]
                print("   %-20s category %s   subject %s" % (key[1], pct(t[0], t[1]), pct(t[2], t[3])))
        if split == "held-out":
            misses = s[1] - s[0]
            print("   held-out category misses: %d (details deliberately not shown)" % misses)
    if green[1]:
        print("== green: no diagnosis (success) %s" % pct(green[0], green[1]))
    else:
        print("== green: no green logs in corpus/green/")

    print("\n== dev misses (framed file | want | got rule [category] | subject)")
    by_excerpt = collections.OrderedDict()
    for r, top, cat_ok, subj_ok in dev_misses:
        by_excerpt.setdefault(r["excerpt"], []).append((r, top, cat_ok, subj_ok))
    for ex, items in by_excerpt.items():
        for r, top, cat_ok, subj_ok in items:
            got = "%s [%s]" % (top.get("rule"), top.get("category")) if top else "(no diagnosis)"
            print("%s\t%s\t%s\t%s%s" % (r["framed"], r["categories"], got,
                                        "cat-miss " if not cat_ok else "",
                                        ("subject-miss:" + r["subject"]) if subj_ok is False else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
