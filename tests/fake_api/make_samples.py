#!/usr/bin/env python3
"""Regenerates the sample builds in builds/ (deterministic).  The files are
checked in; run this only to change them:  python3 make_samples.py"""

import datetime as dt
import hashlib
import json
import os
import random
import sys

sys.dont_write_bytecode = True
import fake_pipecat as f  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "builds")


def writer(created, seed, style="plain"):
    return f.LogWriter(created + dt.timedelta(seconds=4), random.Random(seed), style)


def record(bid, status, created, w, **kw):
    completed = w.t + dt.timedelta(seconds=1)
    r = {"id": bid, "status": status, "region": kw.pop("region", "us-west"),
         "dockerfilePath": "Dockerfile", "contextHash": hashlib.sha256(bid.encode()).hexdigest()[:40],
         "contextSizeBytes": kw.pop("size", 48213),
         "buildDurationSeconds": int((completed - created).total_seconds()),
         "createdAt": f.iso(created), "startedAt": f.iso(created + dt.timedelta(seconds=2)),
         "completedAt": f.iso(completed), "updatedAt": f.iso(completed)}
    r.update(kw)
    return r


def dump(name, build, logs, script=None, window=None):
    """One log entry per file line, to keep the samples readable and diffable."""
    with open(os.path.join(OUT, name), "w") as fp:
        fp.write("{\n")
        fp.write('  "build": %s,\n' % json.dumps(build, ensure_ascii=False))
        if script is not None:
            fp.write('  "script": [\n%s\n  ],\n' % ",\n".join("    " + json.dumps(s) for s in script))
        if window is not None:
            fp.write('  "window": %d,\n' % window)
        fp.write('  "logs": [\n%s\n  ]\n}\n' % ",\n".join(
            "    " + json.dumps(entry, ensure_ascii=False) for entry in logs))


def pip_step(w, step, total):
    w.raw("#%d [%d/%d] WORKDIR /app" % (step, step - 4, total))
    w.raw("#%d CACHED" % step)
    w.raw("#%d [%d/%d] COPY requirements.txt ." % (step + 1, step - 3, total))
    w.raw("#%d DONE 0.0s" % (step + 1))
    w.raw("#%d [%d/%d] RUN pip install --no-cache-dir -r requirements.txt" % (step + 2, step - 2, total))


def success():
    bid = "6f1c2a3b-0001-4a5b-8c6d-000000000001"
    c = dt.datetime(2026, 3, 2, 9, 15, 3, 120000)
    w = writer(c, 1)
    w.prologue(compact=True)
    w.base_image(total=5)
    pip_step(w, 6, 5)
    w.raw("#8 1.204 Collecting pipecat-ai[daily,openai,silero] (from -r requirements.txt (line 1))")
    w.raw("#8 1.530   Downloading pipecat_ai-0.0.58-py3-none-any.whl.metadata (21 kB)")
    w.raw("#8 1.702 Collecting python-dotenv (from -r requirements.txt (line 2))")
    w.raw("#8 13.95 Successfully installed daily-python-0.14.2 pipecat-ai-0.0.58 python-dotenv-1.0.1")
    w.raw("#8 DONE 14.2s")
    w.raw("#9 [5/5] COPY bot.py .")
    w.raw("#9 DONE 0.0s")
    w.raw("#10 exporting to image")
    w.raw("#10 exporting layers 2.1s done")
    w.raw("#10 writing image sha256:%s done" % hashlib.sha256(b"img1").hexdigest())
    w.raw("#10 DONE 2.2s")
    w.complete("BUILD", True)
    w.enter("POST_BUILD")
    w.cb("Running command docker push $IMAGE_URI")
    w.raw("latest: digest: sha256:%s size: 2415" % hashlib.sha256(b"push1").hexdigest())
    w.complete("POST_BUILD", True)
    img = "123456789012.dkr.ecr.us-west-2.amazonaws.com/pcc-builds:%s" % bid
    dump(bid + ".json", record(bid, "success", c, w, imageUri=img), w.lines)
    return bid, len(w.lines)


def copy_requirements():
    bid = "6f1c2a3b-0002-4a5b-8c6d-000000000002"
    c = dt.datetime(2026, 3, 3, 14, 2, 41, 530000)
    w = writer(c, 2)
    w.prologue(compact=True)
    w.base_image(total=5)
    w.context()
    w.raw("#6 [2/5] WORKDIR /app")
    w.raw("#6 CACHED")
    ref = "q4m1s0w2x7d9k3v8zq1x0m2b::t5hd2wlg0y3c6k8mv1rz4ab7e"
    w.raw("#7 [3/5] COPY requirements.txt .")
    w.raw('#7 ERROR: failed to calculate checksum of ref %s: "/requirements.txt": not found' % ref)
    w.raw("------")
    w.raw(" > [3/5] COPY requirements.txt .:")
    w.raw("------")
    w.raw("Dockerfile:5")
    w.raw("--------------------")
    w.raw("   3 |     WORKDIR /app")
    w.raw("   4 |     ")
    w.raw("   5 | >>> COPY requirements.txt .")
    w.raw("   6 |     RUN pip install --no-cache-dir -r requirements.txt")
    w.raw("--------------------")
    w.raw("ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref %s: "
          '"/requirements.txt": not found' % ref)
    w.build_failed()
    dump(bid + ".json", record(bid, "failed", c, w, size=9120,
         errorMessage="Docker build failed: COPY failed - file not found: requirements.txt"), w.lines)
    return bid, len(w.lines)


def cloud_init():
    """Stored as .log + .build.json; the id is DESIGN.md's example id."""
    bid = "123e4567-e89b-12d3-a456-426614174000"
    c = dt.datetime(2026, 1, 28, 20, 46, 40, 0)
    w = writer(c, 3)
    w.prologue(image="python:3.11-slim", compact=True)
    w.base_image(image="python:3.11-slim", total=5)
    pip_step(w, 6, 5)
    w.raw("#8 1.922 Collecting pipecat-ai[daily,openai] (from -r requirements.txt (line 1))")
    w.raw("#8 2.310   Downloading pipecat_ai-0.0.58-py3-none-any.whl.metadata (21 kB)")
    w.raw("#8 7.702 Collecting cloud-init==20.4 (from -r requirements.txt (line 7))")
    w.raw("#8 7.811 ERROR: Could not find a version that satisfies the requirement cloud-init==20.4 "
          "(from versions: none)")
    w.raw("#8 7.814 ERROR: No matching distribution found for cloud-init==20.4")
    w.raw('#8 ERROR: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
          "did not complete successfully: exit code: 1")
    w.raw("------")
    w.raw(" > [4/5] RUN pip install --no-cache-dir -r requirements.txt:")
    w.raw("7.814 ERROR: No matching distribution found for cloud-init==20.4")
    w.raw("------")
    w.raw('ERROR: failed to solve: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
          "did not complete successfully: exit code: 1")
    w.build_failed()
    with open(os.path.join(OUT, bid + ".log"), "w") as fp:
        fp.write("\n".join(w.lines) + "\n")
    with open(os.path.join(OUT, bid + ".build.json"), "w") as fp:
        json.dump({"build": record(bid, "failed", c, w, region="eu-central", size=14377,
                   errorMessage="Docker build failed: pip install failed (exit code 1)")}, fp, indent=2)
        fp.write("\n")
    return bid, len(w.lines)


def timeout():
    """Entries stored as objects ({"message"|"log", "timestamp"}); 'Entering phase:' style."""
    bid = "6f1c2a3b-0004-4a5b-8c6d-000000000004"
    c = dt.datetime(2026, 2, 26, 18, 30, 0, 0)
    w = writer(c, 4, "colon")
    w.prologue(image="python:3.12", compact=True)
    w.base_image(image="python:3.12", total=6)
    w.raw("#5 [2/6] RUN apt-get update && apt-get install -y build-essential cmake")
    w.raw("#5 DONE 41.3s")
    pip_step(w, 6, 6)
    w.raw("#8 3.104 Collecting llama-cpp-python==0.2.90 (from -r requirements.txt (line 3))")
    w.raw("#8 3.512   Downloading llama_cpp_python-0.2.90.tar.gz (63.8 MB)")
    w.raw("#8 9.877   Installing build dependencies: started")
    w.raw("#8 14.02   Installing build dependencies: finished with status 'done'")
    w.raw("#8 14.62 Building wheels for collected packages: llama-cpp-python")
    w.raw("#8 14.63   Building wheel for llama-cpp-python (pyproject.toml): started")
    w.raw("#8 612.4   Building wheel for llama-cpp-python (pyproject.toml): still running...")
    w.raw("#8 1211.9   Building wheel for llama-cpp-python (pyproject.toml): still running...")
    w.raw("#8 1790.3   Building wheel for llama-cpp-python (pyproject.toml): still running...")
    base = c + dt.timedelta(seconds=5)
    n = len(w.lines)
    entries = []
    for i, line in enumerate(w.lines):
        secs = i * 0.2 if i < n - 3 else 1800 - (n - i) * 200
        ts = f.iso(base + dt.timedelta(seconds=secs))
        entries.append({"log": line, "timestamp": ts} if i % 4 == 0 else {"message": line, "timestamp": ts})
    rec = record(bid, "timeout", c, w, size=210554, errorMessage="Build timed out after 1800 seconds")
    rec["completedAt"] = rec["updatedAt"] = f.iso(c + dt.timedelta(seconds=1806))
    rec["buildDurationSeconds"] = 1806
    dump(bid + ".json", rec, entries)
    return bid, n


def scripted():
    """pending -> building (x8) -> failed; each stage adds <= 6 lines (window 8)."""
    bid = "6f1c2a3b-0005-4a5b-8c6d-000000000005"
    c = dt.datetime(2026, 3, 4, 11, 0, 0, 0)
    w = writer(c, 5)
    w.prologue(compact=True)
    w.base_image(total=5)
    pip_step(w, 6, 5)
    w.raw("#8 2.011 Collecting pyaudio==0.2.14 (from -r requirements.txt (line 4))")
    w.raw("#8 2.240   Downloading PyAudio-0.2.14.tar.gz (47 kB)")
    w.raw("#8 3.918 Building wheels for collected packages: pyaudio")
    w.raw("#8 3.920   Building wheel for pyaudio (pyproject.toml): started")
    w.raw("#8 4.410   src/pyaudio/device_api.c:9:10: fatal error: portaudio.h: No such file or directory")
    w.raw('#8 4.410       9 | #include "portaudio.h"')
    w.raw("#8 4.410         |          ^~~~~~~~~~~~~")
    w.raw("#8 4.411   compilation terminated.")
    w.raw("#8 4.415   error: command '/usr/bin/gcc' failed with exit code 1")
    w.raw("#8 4.530   ERROR: Failed building wheel for pyaudio")
    w.raw("#8 4.533 ERROR: Could not build wheels for pyaudio, which is required to install "
          "pyproject.toml-based projects")
    w.raw('#8 ERROR: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
          "did not complete successfully: exit code: 1")
    w.raw('ERROR: failed to solve: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
          "did not complete successfully: exit code: 1")
    w.build_failed()
    n = len(w.lines)
    rec = record(bid, "failed", c, w, size=31877)
    done = {k: rec[k] for k in ("completedAt", "updatedAt", "buildDurationSeconds")}
    for k in ("completedAt", "buildDurationSeconds", "startedAt"):
        rec.pop(k)
    rec["updatedAt"] = rec["createdAt"]
    rec["status"] = "pending"
    script = [{"status": "pending", "log_lines": 0},
              {"status": "building", "log_lines": 4, "startedAt": f.iso(c + dt.timedelta(seconds=2))}]
    k = 4
    while k + 6 < n:
        k += 6
        script.append({"status": "building", "log_lines": k})
    final = {"status": "failed", "log_lines": n,
             "errorMessage": "Docker build failed: pip install failed (exit code 1)"}
    final.update(done)
    script.append(final)
    dump(bid + ".json", rec, w.lines, script=script, window=8)
    return bid, n


def plain_log():
    """Plain .log with no build record (the server synthesises one): unknown instruction."""
    bid = "6f1c2a3b-0006-4a5b-8c6d-000000000006"
    c = dt.datetime(2026, 3, 1, 8, 0, 0, 0)
    w = writer(c, 6, "old")
    w.prologue(compact=True)
    w.raw("Dockerfile:4")
    w.raw("--------------------")
    w.raw("   2 |     WORKDIR /app")
    w.raw("   3 |     COPY . .")
    w.raw("   4 | >>> RUNN pip install --no-cache-dir -r requirements.txt")
    w.raw('   5 |     CMD ["python", "bot.py"]')
    w.raw("--------------------")
    w.raw("ERROR: failed to solve: dockerfile parse error on line 4: unknown instruction: RUNN "
          "(did you mean RUN?)")
    w.build_failed()
    with open(os.path.join(OUT, bid + ".log"), "w") as fp:
        fp.write("\n".join(w.lines) + "\n")
    return bid, len(w.lines)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for fn in (success, copy_requirements, cloud_init, timeout, scripted, plain_log):
        print("%s %3d lines  (%s)" % (fn() + (fn.__name__,)))
