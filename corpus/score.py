#!/usr/bin/env python3
"""Score buildsleuth on the framed corpus (python3 stdlib only).

    python3 corpus/frame.py OUTDIR
    python3 corpus/score.py OUTDIR [--bin build/buildsleuth] [--min SPLIT:WHAT=PERCENT ...]

For every row of OUTDIR/index.tsv: `buildsleuth analyze --format json FILE`.
  top category ok  <=> the rank-1 diagnosis's category is in the row's categories
  subject ok       <=> the subject (case-insensitive) is a substring of the rank-1
                       diagnosis's summary, subject or capture values (rows with
                       subject "-" are not counted for this)
  failing step ok  <=> failed_step's instruction and command are the row's
                       instruction (and its index the row's step, when numbered)
Green rows (split "green", and every corpus/green/*.log as it is) are ok when
the report has no diagnoses. --min dev:category=95 (category, subject, step)
makes the exit status 1 below a floor, or when any green log got a report.

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


def analyze_all(binary, paths, jobs=2, chunk=80):
    """One report per path: a few `analyze` processes over many files each
    (JSON Lines, one report per file), not one process per log."""
    out = {}
    chunks = [paths[i:i + chunk] for i in range(0, len(paths), chunk)]
    running = []

    def collect(proc, batch):
        text, _ = proc.communicate(timeout=600)
        reports = []
        text = text.decode("utf-8", "replace")
        if len(batch) == 1:
            # analyze prints one report as a whole (indented) JSON document,
            # JSON Lines only for several files: a last chunk of one log
            # (the path count one more than a multiple of `chunk`) is parsed whole
            try:
                reports.append(json.loads(text))
            except ValueError:
                pass
        for line in text.splitlines() if len(batch) > 1 else []:
            try:
                reports.append(json.loads(line))
            except ValueError:
                pass
        for rep in reports:
            out[(rep.get("source") or {}).get("path")] = rep

    for batch in chunks:
        if len(running) >= jobs:
            collect(*running.pop(0))
        proc = subprocess.Popen([binary, "analyze", "--format", "json", "-q"] + batch,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        running.append((proc, batch))
    while running:
        collect(*running.pop(0))
    return [out.get(p) for p in paths]


def step_ok(rep, row):
    """The report's failed_step is the labelled instruction (and index)."""
    st = (rep or {}).get("failed_step")
    want = row["instruction"]
    if want == "-":
        return st is None  # no step failed: a Dockerfile that does not parse
    if not st:
        return False
    got = " ".join(x for x in [st.get("instruction"), st.get("command")] if x)

    def norm(t):
        t = " ".join(t.split())
        if t.startswith("FROM "):
            # BuildKit names the image as resolved: docker.io/library/x; a
            # stage name ("AS build") is not part of the reference
            ref = t[5:].split(" ")[0]
            for p in ("docker.io/", "library/"):
                if ref.startswith(p):
                    ref = ref[len(p):]
            t = "FROM " + ref
        return t
    if norm(got) != norm(want):
        return False
    return st.get("index") in (None, int(row["step"])) if row.get("step", "").isdigit() else True


def labels_class():
    out = {}
    with open(os.path.join(HERE, "labels.tsv"), encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    hdr = rows[0]
    if "class" in hdr:
        for r in rows[1:]:
            out[r[hdr.index("file")]] = r[hdr.index("class")]
    return out


def exposed_files():
    """Held-out excerpts someone who writes rules has seen (corpus/exposed.txt)."""
    path = os.path.join(HERE, "exposed.txt")
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as f:
        return {l.split()[0] for l in f if l.strip() and not l.startswith("#")}


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
    exposed = exposed_files()

    stats = collections.defaultdict(lambda: [0, 0, 0, 0, 0])   # key -> cat_ok, n, subj_ok, subj_n, step_ok
    dev_misses = []
    unknown_misses = 0
    green = [0, 0]
    green_bad = []
    raw_green = sorted(os.path.join(HERE, "green", f) for f in os.listdir(os.path.join(HERE, "green"))
                       if f.endswith(".log")) if os.path.isdir(os.path.join(HERE, "green")) else []
    paths = [os.path.join(outdir, r["framed"]) for r in rows] + raw_green
    reports = analyze_all(binary, paths)
    for path, rep in zip(raw_green, reports[len(rows):]):
        green[1] += 1
        if rep is not None and rep.get("outcome") == "success" and not rep.get("diagnoses"):
            green[0] += 1
        else:
            green_bad.append(os.path.basename(path))
    for r, rep in zip(rows, reports):
        diags = (rep or {}).get("diagnoses") or []
        if r["split"] == "green":
            green[1] += 1
            if rep is not None and not diags:
                green[0] += 1
            else:
                green_bad.append(r["framed"])
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
        keys = [(r["split"],), (r["split"], r["framing"]),
                (r["split"], "class:" + klass.get(r["excerpt"], "?"))]
        if r["split"] == "held-out" and r["excerpt"] not in exposed:
            keys.append(("held-out", "never-seen"))
        for key in keys:
            s = stats[key]
            s[0] += cat_ok
            s[1] += 1
            s[4] += step_ok(rep, r)
            if subj_ok is not None:
                s[2] += subj_ok
                s[3] += 1
        if r["split"] == "held-out" and not cat_ok and (top is None or top.get("category") == "unknown"):
            unknown_misses += 1
        if r["split"] == "dev" and (not cat_ok or subj_ok is False):
            dev_misses.append((r, top, cat_ok, subj_ok))

    for split in ["dev", "held-out"]:
        s = stats[(split,)]
        print("== %s: top category %s   subject %s   failing step %s" %
              (split, pct(s[0], s[1]), pct(s[2], s[3]), pct(s[4], s[1])))
        for framing in ["codebuild-buildkit", "codebuild-legacy", "kaniko", "podman", "buildkit-plain", "api-json"]:
            t = stats.get((split, framing))
            if t:
                print("   %-20s category %s   subject %s" % (framing, pct(t[0], t[1]), pct(t[2], t[3])))
        if split in ("dev", "held-out"):
            # per labelled class: for held-out only counts, which say where
            # to gather dev cases and generalise, never which case missed
            for key in sorted(k for k in stats if k[0] == split and k[1:] and k[1].startswith("class:")):
                t = stats[key]
                print("   %-20s category %s   subject %s" % (key[1], pct(t[0], t[1]), pct(t[2], t[3])))
        if split == "held-out":
            t = stats.get((split, "never-seen"))
            if t:
                print("   %-20s category %s   subject %s   (without the %d excerpts in exposed.txt)" %
                      ("never seen", pct(t[0], t[1]), pct(t[2], t[3]), len(exposed)))
            misses = s[1] - s[0]
            print("   held-out category misses: %d, of which %d unknown or no diagnosis"
                  " (details deliberately not shown)" % (misses, unknown_misses))
    if green[1]:
        print("== green: no diagnosis (success) %s" % pct(green[0], green[1]))
        for g in green_bad:
            print("   false alarm: %s" % g)
    else:
        print("== green: no green logs in corpus/green/")

    # --min SPLIT:WHAT=PERCENT ... : exit 1 below a floor (make check)
    failed = []
    for i, a in enumerate(argv):
        if a != "--min":
            continue
        split, rest = argv[i + 1].split(":", 1)
        what, floor = rest.split("=")
        s = stats[(split,)]
        have = {"category": (s[0], s[1]), "subject": (s[2], s[3]), "step": (s[4], s[1])}[what]
        if have[1] and 100.0 * have[0] / have[1] < float(floor):
            failed.append("%s %s %.1f%% is below the floor %s%%" % (split, what, 100.0 * have[0] / have[1], floor))
    if green_bad:
        failed.append("%d green (successful) logs got a failure report" % len(green_bad))

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
    for f in failed:
        print("score: " + f)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
