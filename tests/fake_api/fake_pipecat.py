#!/usr/bin/env python3
"""A fake Pipecat Cloud REST API for buildsleuth's test-suite.

Python 3 standard library only.  Binds 127.0.0.1 only.  See README.md in this
directory for the full interface; `--help` gives the options.

On start it prints exactly one line "PORT <n>" to stdout, then serves until
SIGTERM/SIGINT (exit 0), until the process that started it has gone (exit 0:
a test killed before its cleanup never leaves a server behind), or, only when
--lifetime is given, until that many seconds have elapsed (exit 0).
"""

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import random
import re
import signal
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "builds")

UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

BIG_BUILD_ID = "00000000-0000-4000-8000-000000025000"
GEN_NAMESPACE = uuid.UUID("6b1d3a52-8c4e-4f0a-9d2b-5e7f1a0c3b94")
SYNTH_CREATED_AT = "2026-03-04T10:00:00.000Z"

FAULT_KINDS = (
    "status", "html", "message", "truncate", "slow", "trickle", "latency",
    "repeat_token", "empty_page", "endless_token", "object_entries", "invalid_json",
    "wrong_types", "huge_token", "redirect", "huge_body",
)
# Kinds that only make sense on GET /v1/builds/{id}/logs; elsewhere they are
# ignored (not applied, not counted).
LOGS_ONLY_KINDS = ("repeat_token", "empty_page", "endless_token", "object_entries", "huge_token")
# Kinds that stack with others instead of being "the" fault of a request.
MODIFIER_KINDS = ("latency", "object_entries")

DEFAULT_ERRORS = {
    400: ("Bad Request", "BAD_REQUEST"),
    401: ("Unauthorized", "UNAUTHORIZED"),
    403: ("Forbidden", "FORBIDDEN"),
    404: ("Not found", "NOT_FOUND"),
    405: ("Method not allowed", "METHOD_NOT_ALLOWED"),
    409: ("Conflict", "CONFLICT"),
    429: ("Too many requests", "RATE_LIMITED"),
    500: ("Internal server error", "INTERNAL_ERROR"),
    502: ("Bad gateway", "BAD_GATEWAY"),
    503: ("Service unavailable", "SERVICE_UNAVAILABLE"),
    504: ("Gateway timeout", "GATEWAY_TIMEOUT"),
}

REASONS = {
    200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other",
    307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request",
    401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 409: "Conflict", 429: "Too Many Requests",
    500: "Internal Server Error", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout",
}


def reason(status):
    return REASONS.get(status, "Status %d" % status)


def jdump(obj):
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def iso(t):
    """datetime (UTC) -> '2026-02-03T10:00:00.000Z'."""
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


# --------------------------------------------------------------------------
# Tokens: opaque to clients.  base64 (standard alphabet, so it always holds
# '+', '/' and '=' and must be URL-encoded) of 3 magic bytes, a 6-byte salt,
# the 8-byte offset and 2 bytes of the build id's hash.  A '+' decoded as a
# space (client forgot to URL-encode) makes the token invalid -> 400.
# --------------------------------------------------------------------------
TOKEN_MAGIC = b"\xfb\xef\xff"


def make_token(build_id, offset, salt_seed=""):
    h = hashlib.sha256(("%s|%d|%s" % (build_id, offset, salt_seed)).encode()).digest()
    bh = hashlib.sha256(build_id.encode()).digest()[:2]
    raw = TOKEN_MAGIC + h[:6] + offset.to_bytes(8, "big") + bh
    return base64.b64encode(raw).decode("ascii")


def parse_token(build_id, token):
    """Return the offset, or None if the token is not one of ours for this build."""
    try:
        raw = base64.b64decode(token.encode("ascii"), validate=True)
    except Exception:
        return None
    if len(raw) != 19 or raw[:3] != TOKEN_MAGIC:
        return None
    if raw[17:] != hashlib.sha256(build_id.encode()).digest()[:2]:
        return None
    return int.from_bytes(raw[9:17], "big")


# --------------------------------------------------------------------------
# Log synthesis (CodeBuild framing + BuildKit output)
# --------------------------------------------------------------------------
class LogWriter:
    """Accumulates log lines with a moving clock."""

    def __init__(self, start, rng, phase_style="plain"):
        self.t = start
        self.rng = rng
        self.lines = []
        self.phase_style = phase_style  # plain | colon | old
        self.build_secs = 0.0

    def tick(self, lo=0.001, hi=0.4):
        self.t += dt.timedelta(seconds=self.rng.uniform(lo, hi))

    def cb(self, msg, lo=0.001, hi=0.4):
        self.tick(lo, hi)
        self.lines.append("[Container] %s %s" % (
            self.t.strftime("%Y/%m/%d %H:%M:%S.") + "%06d" % self.t.microsecond, msg))

    def raw(self, line):
        self.lines.append(line)

    def bk(self, step, text, advance=0.05):
        """A BuildKit line with a timestamp: '#12 7.814 text'."""
        self.build_secs += self.rng.uniform(0, advance)
        self.lines.append("#%d %.3f %s" % (step, self.build_secs, text))

    def enter(self, phase):
        if self.phase_style == "colon":
            self.cb("Entering phase: %s" % phase)
        else:
            self.cb("Entering phase %s" % phase)

    def complete(self, phase, ok, code="", message=""):
        if self.phase_style == "old":
            self.cb("Phase complete: %s Success: %s" % (phase, "true" if ok else "false"))
        else:
            self.cb("Phase complete: %s State: %s" % (phase, "SUCCEEDED" if ok else "FAILED"))
        self.cb("Phase context status code: %s Message: %s" % (code, message))

    def prologue(self, image="python:3.12-slim", compact=False):
        src = "/codebuild/output/src%d/src" % self.rng.randint(100000000, 999999999)
        if not compact:
            self.cb("Running on CodeBuild On-demand")
            self.cb("Waiting for agent ping")
        self.cb("Waiting for DOWNLOAD_SOURCE", 1, 3)
        self.cb("Phase is DOWNLOAD_SOURCE")
        if not compact:
            self.cb("CODEBUILD_SRC_DIR=%s" % src)
            self.cb("YAML location is /codebuild/readonly/buildspec.yml")
            self.cb("Processing environment variables")
        self.cb("Moving to directory %s" % src)
        self.complete("DOWNLOAD_SOURCE", True)
        if not compact:
            self.enter("INSTALL")
            self.complete("INSTALL", True)
        self.enter("PRE_BUILD")
        self.cb("Running command aws ecr get-login-password --region $AWS_REGION | "
                "docker login --username AWS --password-stdin $ECR_REGISTRY")
        self.raw("Login Succeeded")
        self.complete("PRE_BUILD", True)
        self.enter("BUILD")
        self.cb("Running command docker build --platform linux/arm64 -t $IMAGE_URI -f Dockerfile .")
        self.raw('#0 building with "default" instance using docker driver')
        self.raw("")
        self.raw("#1 [internal] load build definition from Dockerfile")
        self.raw("#1 transferring dockerfile: %dB done" % self.rng.randint(300, 900))
        self.raw("#1 DONE 0.0s")
        self.raw("")
        self.raw("#2 [internal] load metadata for docker.io/library/%s" % image)
        self.raw("#2 DONE %.1fs" % self.rng.uniform(0.4, 1.6))
        self.raw("")
        self.raw("#3 [internal] load .dockerignore")
        self.raw("#3 transferring context: 2B done")
        self.raw("#3 DONE 0.0s")
        self.raw("")

    def base_image(self, image="python:3.12-slim", step=4, total=6):
        digest = hashlib.sha256(image.encode()).hexdigest()
        self.raw("#%d [1/%d] FROM docker.io/library/%s@sha256:%s" % (step, total, image, digest))
        self.raw("#%d resolve docker.io/library/%s@sha256:%s 0.0s done" % (step, image, digest))
        self.raw("#%d CACHED" % step)
        self.raw("")

    def context(self, step=5):
        self.raw("#%d [internal] load build context" % step)
        self.raw("#%d transferring context: %.2fkB done" % (step, self.rng.uniform(2, 80)))
        self.raw("#%d DONE 0.0s" % step)
        self.raw("")

    def build_failed(self, cmd="docker build --platform linux/arm64 -t $IMAGE_URI -f Dockerfile ."):
        self.cb("Command did not exit successfully %s exit status 1" % cmd, 0.1, 0.5)
        self.complete("BUILD", False, "COMMAND_EXECUTION_ERROR",
                      "Error while executing command: %s. Reason: exit status 1" % cmd)
        self.post_build()

    def post_build(self):
        self.enter("POST_BUILD")
        self.cb("Running command echo Build completed on `date`")
        self.raw("Build completed on %s" % self.t.strftime("%a %b %d %H:%M:%S UTC %Y"))
        self.complete("POST_BUILD", True)


PACKAGES = [
    ("cloud-init", "20.4"), ("pipecat-ai", "9.9.9"), ("torch", "1.13.1+cu117"),
    ("daily-python", "0.1.0"), ("numpy", "1.21.0"), ("onnxruntime-gpu", "1.8.0"),
    ("pyaudio", "0.2.99"), ("tensorflow", "2.4.0"),
]
MISSING_FILES = ["bot.py", "pipecat.toml", "assets/prompts.yaml", "uv.lock", "server/"]
BAD_INSTRUCTIONS = ["RUNN", "COPPY", "ENTRYPONT", "FORM", "WORKDIRR"]


def gen_missing_requirements(w, rng):
    w.prologue()
    w.base_image(total=5)
    w.context()
    w.raw("#6 [2/5] WORKDIR /app")
    w.raw("#6 CACHED")
    w.raw("")
    w.raw("#7 [3/5] COPY . .")
    w.raw("#7 DONE 0.1s")
    w.raw("")
    w.raw("#8 [4/5] RUN pip install --no-cache-dir -r requirements.txt")
    w.bk(8, "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'requirements.txt'", 0.8)
    w.raw('#8 ERROR: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
          "did not complete successfully: exit code: 1")
    w.raw("------")
    w.raw(" > [4/5] RUN pip install --no-cache-dir -r requirements.txt:")
    w.raw("0.612 ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'requirements.txt'")
    w.raw("------")
    w.raw('ERROR: failed to solve: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
          "did not complete successfully: exit code: 1")
    w.build_failed()
    return "Docker build failed: RUN pip install failed - requirements file not found"


def gen_no_matching(w, rng, pkg=None):
    name, ver = pkg or rng.choice(PACKAGES)
    req = "%s==%s" % (name, ver)
    w.prologue()
    w.base_image(total=5)
    w.context()
    w.raw("#6 [2/5] WORKDIR /app")
    w.raw("#6 CACHED")
    w.raw("")
    w.raw("#7 [3/5] COPY requirements.txt .")
    w.raw("#7 DONE 0.0s")
    w.raw("")
    w.raw("#8 [4/5] RUN pip install --no-cache-dir -r requirements.txt")
    w.bk(8, "Collecting pipecat-ai[daily,openai] (from -r requirements.txt (line 1))", 1.0)
    w.bk(8, "  Downloading pipecat_ai-0.0.58-py3-none-any.whl.metadata (21 kB)", 0.3)
    w.bk(8, "Collecting python-dotenv (from -r requirements.txt (line 2))", 0.3)
    w.bk(8, "  Downloading python_dotenv-1.0.1-py3-none-any.whl.metadata (23 kB)", 0.3)
    w.bk(8, "ERROR: Could not find a version that satisfies the requirement %s "
            "(from versions: none)" % req, 0.5)
    w.bk(8, "ERROR: No matching distribution found for %s" % req, 0.01)
    w.raw('#8 ERROR: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
          "did not complete successfully: exit code: 1")
    w.raw("------")
    w.raw(" > [4/5] RUN pip install --no-cache-dir -r requirements.txt:")
    w.raw("4.113 ERROR: No matching distribution found for %s" % req)
    w.raw("------")
    w.raw('ERROR: failed to solve: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
          "did not complete successfully: exit code: 1")
    w.build_failed()
    return "Docker build failed: pip install failed (exit code 1)"


def gen_copy_missing(w, rng):
    f = rng.choice(MISSING_FILES)
    ref = "%s::%s" % (hashlib.md5(f.encode()).hexdigest()[:24], "k3v8zq1x0m2b")
    w.prologue()
    w.base_image(total=5)
    w.context()
    w.raw("#6 [2/5] WORKDIR /app")
    w.raw("#6 CACHED")
    w.raw("")
    w.raw("#7 [3/5] COPY ./%s %s" % (f, f))
    w.raw('#7 ERROR: failed to calculate checksum of ref %s: "/%s": not found' % (ref, f.rstrip("/")))
    w.raw("------")
    w.raw(" > [3/5] COPY ./%s %s:" % (f, f))
    w.raw("------")
    w.raw("Dockerfile:7")
    w.raw("--------------------")
    w.raw("   5 |     RUN pip install --no-cache-dir -r requirements.txt")
    w.raw("   6 |     ")
    w.raw("   7 | >>> COPY ./%s %s" % (f, f))
    w.raw("   8 |     ")
    w.raw('   9 |     CMD ["python", "bot.py"]')
    w.raw("--------------------")
    w.raw('ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref %s: '
          '"/%s": not found' % (ref, f.rstrip("/")))
    w.build_failed()
    return "Docker build failed: COPY failed - file not found: %s" % f


def gen_unknown_instruction(w, rng):
    bad = rng.choice(BAD_INSTRUCTIONS)
    line = rng.randint(3, 9)
    w.prologue()
    w.raw("Dockerfile:%d" % line)
    w.raw("--------------------")
    w.raw("  %2d | >>> %s pip install --no-cache-dir -r requirements.txt" % (line, bad))
    w.raw("--------------------")
    w.raw("ERROR: failed to solve: dockerfile parse error on line %d: unknown instruction: %s" % (line, bad))
    w.build_failed()
    return "Docker build failed: dockerfile parse error on line %d: unknown instruction: %s" % (line, bad)


def gen_unclassifiable(w, rng):
    w.prologue()
    w.base_image(total=6)
    w.context()
    w.raw("#6 [2/6] WORKDIR /app")
    w.raw("#6 CACHED")
    w.raw("")
    w.raw("#7 [3/6] COPY . .")
    w.raw("#7 DONE 0.2s")
    w.raw("")
    w.raw("#8 [4/6] RUN ./scripts/prepare-voices.sh")
    w.bk(8, "preparing voice bank v%d" % rng.randint(2, 9), 0.5)
    w.bk(8, "voicebank: manifest digest drifted (wanted 7c1e, have 91ab); refusing to continue", 0.5)
    w.cb("Command did not exit successfully ./scripts/ci-build.sh exit status 42", 0.1, 0.5)
    w.complete("BUILD", False, "COMMAND_EXECUTION_ERROR",
               "Error while executing command: ./scripts/ci-build.sh. Reason: exit status 42")
    w.post_build()
    return "Build failed"


# The kind of generated build i is GEN_PATTERN[i % 10]: per 10 builds that is
# 4 no-matching-distribution, 2 missing-requirements, 2 copy-missing-file,
# 1 unknown-instruction, 1 unclassifiable.
GEN_KINDS = {
    "no-matching-distribution": gen_no_matching,
    "missing-requirements": gen_missing_requirements,
    "copy-missing-file": gen_copy_missing,
    "unknown-instruction": gen_unknown_instruction,
    "unclassifiable": gen_unclassifiable,
}
GEN_PATTERN = [
    "no-matching-distribution", "missing-requirements", "no-matching-distribution",
    "copy-missing-file", "unknown-instruction", "no-matching-distribution",
    "missing-requirements", "unclassifiable", "no-matching-distribution",
    "copy-missing-file",
]
GEN_REGIONS = ["us-west", "us-west", "us-east", "eu-central"]


def generated_id(seed, i):
    return str(uuid.uuid5(GEN_NAMESPACE, "buildsleuth-fake/%d/%d" % (seed, i)))


def generate_builds(n, seed):
    out = []
    base = dt.datetime(2026, 2, 1, 0, 0, 0)
    for i in range(n):
        rng = random.Random("%d/%d" % (seed, i))
        kind = GEN_PATTERN[i % len(GEN_PATTERN)]
        created = base + dt.timedelta(seconds=rng.randint(0, 30 * 86400 - 3600),
                                      milliseconds=rng.randint(0, 999))
        style = rng.choice(["plain", "plain", "plain", "colon", "old"])
        w = LogWriter(created + dt.timedelta(seconds=rng.uniform(2, 20)), rng, style)
        err = GEN_KINDS[kind](w, rng)
        bid = generated_id(seed, i)
        completed = w.t + dt.timedelta(seconds=1)
        build = {
            "id": bid,
            "status": "failed",
            "region": GEN_REGIONS[i % len(GEN_REGIONS)],
            "dockerfilePath": "Dockerfile",
            "contextHash": hashlib.sha256(bid.encode()).hexdigest(),
            "errorMessage": err,
            "contextSizeBytes": rng.randint(4000, 900000),
            "buildDurationSeconds": int((completed - created).total_seconds()),
            "createdAt": iso(created),
            "startedAt": iso(created + dt.timedelta(seconds=2)),
            "completedAt": iso(completed),
            "updatedAt": iso(completed),
            "x-fake-kind": kind,
        }
        out.append({"build": build, "logs": w.lines})
    return out


def generate_big(n_lines):
    """One build whose log has exactly n_lines lines (min 80)."""
    n_lines = max(80, n_lines)
    rng = random.Random("big/%d" % n_lines)
    created = dt.datetime(2026, 1, 28, 20, 46, 40)
    w = LogWriter(created + dt.timedelta(seconds=11), rng)
    w.prologue(image="python:3.11-slim")
    w.base_image(image="python:3.11-slim", total=7)
    w.context()
    w.raw("#6 [2/7] RUN apt-get update && apt-get install -y --no-install-recommends build-essential")
    # Tail: the error block and the CodeBuild epilogue; measure it on a scratch writer.
    tail = LogWriter(w.t + dt.timedelta(seconds=264), random.Random(1))

    def write_tail(t):
        t.raw("#6 DONE 263.142s")
        t.raw("")
        t.raw("#7 [3/7] WORKDIR /app")
        t.raw("#7 DONE 0.0s")
        t.raw("")
        t.raw("#8 [4/7] COPY requirements.txt .")
        t.raw("#8 DONE 0.0s")
        t.raw("")
        t.raw("#9 [5/7] RUN pip install --no-cache-dir -r requirements.txt")
        t.raw("#9 7.702 Collecting cloud-init==20.4 (from -r requirements.txt (line 41))")
        t.raw("#9 7.811 ERROR: Could not find a version that satisfies the requirement cloud-init==20.4 "
              "(from versions: none)")
        t.raw("#9 7.814 ERROR: No matching distribution found for cloud-init==20.4")
        t.raw('#9 ERROR: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
              "did not complete successfully: exit code: 1")
        t.raw("------")
        t.raw(" > [5/7] RUN pip install --no-cache-dir -r requirements.txt:")
        t.raw("7.814 ERROR: No matching distribution found for cloud-init==20.4")
        t.raw("------")
        t.raw('ERROR: failed to solve: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
              "did not complete successfully: exit code: 1")
        t.build_failed()

    write_tail(tail)
    room = n_lines - len(w.lines) - len(tail.lines)
    pkgs = ["gcc", "g++", "make", "libc6-dev", "libssl-dev", "libffi-dev", "libportaudio2",
            "libsndfile1", "ffmpeg", "libopus0", "libgomp1", "ca-certificates", "curl"]
    secs = 0.0
    i = 0
    while i < room:
        secs += rng.uniform(0.001, 0.02)
        r = i % 50
        if r == 0:
            line = "#6 %.3f Get:%d http://deb.debian.org/debian bookworm/main arm64 Packages [%d kB]" % (
                secs, i // 50 + 1, rng.randint(100, 9000))
        elif r == 1:
            line = "#6 %.3f \x1b[1m\x1b[32mSelecting previously unselected package %s.\x1b[0m" % (
                secs, rng.choice(pkgs))
        elif r == 2:
            # progress bar redrawn with carriage returns
            line = "#6 %.3f Progress: [ 10%%]\r#6 %.3f Progress: [ 55%%]\r#6 %.3f Progress: [100%%]" % (
                secs, secs, secs)
        elif r == 3:
            line = "#6 %.3f debconf: delaying package configuration, since apt-utils is not installed" % secs
        elif r % 7 == 0:
            line = "#6 %.3f Unpacking %s (%d.%d.%d-%d) ..." % (
                secs, rng.choice(pkgs), rng.randint(1, 12), rng.randint(0, 9), rng.randint(0, 30),
                rng.randint(1, 4))
        elif r % 7 == 3:
            line = "#6 %.3f Preparing to unpack .../%03d-%s_arm64.deb ..." % (secs, i % 1000, rng.choice(pkgs))
        else:
            line = "#6 %.3f Setting up %s (%d.%d-%d) ..." % (
                secs, rng.choice(pkgs), rng.randint(1, 9), rng.randint(0, 30), rng.randint(1, 9))
        w.raw(line)
        i += 1
    w.lines.extend(tail.lines)
    assert len(w.lines) == n_lines, (len(w.lines), n_lines)
    err_line = w.lines.index("#9 7.814 ERROR: No matching distribution found for cloud-init==20.4") + 1
    completed = tail.t + dt.timedelta(seconds=1)
    build = {
        "id": BIG_BUILD_ID,
        "status": "failed",
        "region": "us-west",
        "dockerfilePath": "Dockerfile",
        "contextHash": hashlib.sha256(b"big").hexdigest(),
        "errorMessage": "Docker build failed: pip install failed (exit code 1)",
        "contextSizeBytes": 1834210,
        "buildDurationSeconds": int((completed - created).total_seconds()),
        "createdAt": iso(created),
        "startedAt": iso(created + dt.timedelta(seconds=3)),
        "completedAt": iso(completed),
        "updatedAt": iso(completed),
        "x-fake-error-line": err_line,
    }
    return {"build": build, "logs": w.lines}


# --------------------------------------------------------------------------
# The build store
# --------------------------------------------------------------------------
class Build:
    def __init__(self, record, logs, script=None, window=8, full_when_done=False):
        self.record = record
        self.logs = logs
        self.script = script
        self.window = window
        self.full_when_done = full_when_done
        self.gets = 0  # number of GETs of the build record (scripted builds)

    def stage_index(self):
        """The stage most recently shown (0 before any GET)."""
        return min(max(self.gets - 1, 0), len(self.script) - 1)

    def current_record(self, stage=None):
        rec = dict(self.record)
        if self.script:
            st = self.script[self.stage_index() if stage is None else stage]
            for k, v in st.items():
                if k != "log_lines":
                    rec[k] = v
        return rec

    def visible_logs(self):
        if not self.script:
            return self.logs
        n = self.script[self.stage_index()].get("log_lines")
        return self.logs if n is None else self.logs[:n]

    def tailing(self):
        if not self.script:
            return False
        if self.full_when_done and self.stage_index() == len(self.script) - 1 and \
                self.current_record().get("status") in ("success", "failed", "timeout"):
            return False
        return True


def _read_lines(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def load_dir(d, store, warn):
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if name.endswith(".build.json"):
            continue  # read alongside its .log
        if name.endswith(".json"):
            bid = name[:-5]
        elif name.endswith(".log"):
            bid = name[:-4]
        else:
            continue
        if not UUID_RE.match(bid):
            warn("skipping %s: file name is not <uuid>.json or <uuid>.log" % path)
            continue
        bid = bid.lower()
        doc = {}
        if name.endswith(".json"):
            with open(path, "r", encoding="utf-8") as f:
                doc = json.load(f)
            logs = doc.get("logs", [])
        else:
            logs = _read_lines(path)
            side = os.path.join(d, bid + ".build.json")
            if os.path.exists(side):
                with open(side, "r", encoding="utf-8") as f:
                    doc = json.load(f)
                if "build" not in doc:
                    doc = {"build": doc}
        record = doc.get("build") or {
            "id": bid, "status": "failed", "region": "us-west", "createdAt": SYNTH_CREATED_AT}
        record.setdefault("id", bid)
        record.setdefault("createdAt", SYNTH_CREATED_AT)
        store[bid] = Build(record, logs, doc.get("script"), int(doc.get("window", 8)),
                           bool(doc.get("full_when_done", False)))


# --------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------
def glob_to_regex(g):
    out = []
    i = 0
    while i < len(g):
        c = g[i]
        if c == "*" and g[i:i + 2] == "**":
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("^" + "".join(out) + "$")


class Fault:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a fault spec must be a JSON object")
        kind = spec.get("kind")
        if kind not in FAULT_KINDS:
            raise ValueError("unknown fault kind %r (one of %s)" % (kind, ", ".join(FAULT_KINDS)))
        if "path" in spec and "regex" in spec:
            raise ValueError("give either path (glob) or regex, not both")
        self.spec = dict(spec)
        self.kind = kind
        self.matcher = None
        if "regex" in spec:
            self.matcher = re.compile(spec["regex"])
        elif "path" in spec:
            self.matcher = glob_to_regex(spec["path"])
        self.method = spec.get("method")
        self.times = spec.get("times")
        self.skip = int(spec.get("skip", 0))
        self.before_auth = bool(spec.get("before_auth", False))
        if self.times is not None:
            self.times = int(self.times)
        self.seen = 0   # matching requests seen (including skipped ones)
        self.hits = 0   # times applied
        for k in ("status", "size"):
            if k in spec and not isinstance(spec[k], int):
                raise ValueError("%s must be an integer" % k)
        if "delay" in spec and not isinstance(spec["delay"], (int, float)):
            raise ValueError("delay must be a number")
        if kind == "redirect" and "location" not in spec:
            raise ValueError("a redirect fault needs a location")

    def matches(self, method, path):
        if self.method and self.method.upper() != method:
            return False
        if self.matcher is None:
            return True
        if "regex" in self.spec:
            return self.matcher.search(path) is not None
        return self.matcher.match(path) is not None

    def exhausted(self):
        return self.times is not None and self.hits >= self.times

    def describe(self):
        d = dict(self.spec)
        d["hits"] = self.hits
        d["seen"] = self.seen
        d["remaining"] = None if self.times is None else max(self.times - self.hits, 0)
        return d

    def get(self, k, default=None):
        return self.spec.get(k, default)


def parse_fault_specs(text):
    if text.startswith("@"):
        with open(text[1:], "r", encoding="utf-8") as f:
            text = f.read()
    v = json.loads(text)
    if isinstance(v, dict):
        v = [v]
    if not isinstance(v, list):
        raise ValueError("a fault spec must be a JSON object or a list of them")
    return [Fault(s) for s in v]


# --------------------------------------------------------------------------
# Server state
# --------------------------------------------------------------------------
class State:
    def __init__(self, key, builds, faults, page_cap, record_file):
        self.key = key
        self.builds = builds
        self.faults = faults
        self.page_cap = page_cap
        self.lock = threading.Lock()
        self.requests = []
        self.seq = 0
        self.in_flight = 0
        self.max_concurrent = 0
        self.record_fp = open(record_file, "a", encoding="utf-8") if record_file else None
        self.empty_counter = 0

    def begin(self):
        with self.lock:
            self.in_flight += 1
            self.max_concurrent = max(self.max_concurrent, self.in_flight)

    def end(self, rec):
        with self.lock:
            self.in_flight -= 1
        self.add(rec)

    def add(self, rec):
        with self.lock:
            self.seq += 1
            rec["seq"] = self.seq
            self.requests.append(rec)
            if self.record_fp:
                self.record_fp.write(json.dumps(rec) + "\n")
                self.record_fp.flush()

    def pick_faults(self, method, path, endpoint, phase_before_auth):
        """Returns (primary fault or None, [modifier faults])."""
        primary = None
        mods = []
        with self.lock:
            for f in self.faults:
                if f.before_auth != phase_before_auth:
                    continue
                if not f.matches(method, path):
                    continue
                if f.kind in LOGS_ONLY_KINDS and endpoint != "logs":
                    continue
                is_mod = f.kind in MODIFIER_KINDS
                if not is_mod and primary is not None:
                    continue
                if f.exhausted():
                    continue
                f.seen += 1
                if f.seen <= f.skip:
                    continue
                f.hits += 1
                if is_mod:
                    mods.append(f)
                else:
                    primary = f
        return primary, mods


def endpoint_of(path):
    if path == "/v1/builds":
        return "list"
    if re.match(r"^/v1/builds/[^/]+/logs$", path):
        return "logs"
    if re.match(r"^/v1/builds/[^/]+$", path):
        return "build"
    return "other"


def err(status, message=None, code=None):
    dm, dc = DEFAULT_ERRORS.get(status, (reason(status), "ERROR"))
    return status, {"error": message or dm, "code": code or dc}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30          # idle keep-alive connections are closed after this
    server_version = "FakePipecat/1.0"

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        # http.server writes the headers and the body separately: without
        # TCP_NODELAY, Nagle holds the body until the client's delayed ACK
        # (~40 ms per request), which hides what the client itself costs.
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
    state = None      # set on the class by main()
    verbose = False

    # ---- plumbing -------------------------------------------------------
    def log_message(self, fmt, *args):
        if self.verbose:
            sys.stderr.write("fake_pipecat: %s - %s\n" % (self.address_string(), fmt % args))

    def send_error(self, code, message=None, explain=None):
        # Errors raised by http.server itself (414 URI too long, 400 bad
        # request line...) are recorded too, as JSON.
        if not getattr(self, "_in_handler", False):
            now = time.time()
            self.state.add({
                "method": getattr(self, "command", None), "path": (getattr(self, "path", "") or "")[:200],
                "query_string": "", "query": {}, "query_multi": {}, "auth_present": False,
                "auth_ok": False, "user_agent": None, "header_names": [], "start": now, "end": now,
                "status": code, "fault": None, "note": "rejected by http.server: %s" % (message or "")})
        body = jdump({"error": message or reason(code), "code": "BAD_REQUEST" if code < 500 else "ERROR"})
        try:
            self.send_response(code, message)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(body)
        except OSError:
            pass
        self.close_connection = True

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_DELETE(self):
        self._handle("DELETE")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_HEAD(self):
        self._handle("HEAD")

    def _read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    # ---- dispatch -------------------------------------------------------
    def _handle(self, method):
        self._in_handler = True
        parts = urlsplit(self.path)
        path = parts.path
        if path.startswith("/_"):
            self._control(method, path, parts.query)
            return
        st = self.state
        st.begin()
        rec = {
            "method": method,
            "path": path,
            "query_string": parts.query,
            "query": {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            "query_multi": parse_qs(parts.query, keep_blank_values=True),
            "auth_present": False,
            "auth_ok": False,
            "user_agent": self.headers.get("User-Agent"),
            "header_names": sorted({h.lower() for h in self.headers.keys()}),
            "start": time.time(),
            "end": None,
            "status": None,
            "fault": None,
        }
        self._rec = rec
        try:
            auth = self.headers.get_all("Authorization") or []
            rec["auth_present"] = len(auth) > 0
            rec["auth_ok"] = len(auth) == 1 and auth[0] == "Bearer " + st.key
            if method in ("POST", "PUT", "PATCH"):
                self._read_body()
            endpoint = endpoint_of(path)
            # Faults marked before_auth first, then the key, then the others.
            primary, mods = st.pick_faults(method, path, endpoint, True)
            if primary is None and rec["auth_ok"]:
                primary, mods2 = st.pick_faults(method, path, endpoint, False)
                mods += mods2
            delay = sum(float(m.get("delay", 0.05)) for m in mods if m.kind == "latency")
            object_entries = any(m.kind == "object_entries" for m in mods)
            applied = [m.kind for m in mods] + ([primary.kind] if primary else [])
            rec["fault"] = ",".join(applied) if applied else None
            if delay > 0:
                time.sleep(delay)
            if primary is None and not rec["auth_ok"]:
                self._finish(*err(401, "Unauthorized", "UNAUTHORIZED"))
                return
            self._serve(method, path, parts.query, endpoint, primary, object_entries)
        except OSError:  # client went away (broken pipe, reset, timeout)
            rec["status"] = rec["status"] or 0
            rec["note"] = "client went away"
            self.close_connection = True
        finally:
            rec["end"] = time.time()
            st.end(rec)

    def _serve(self, method, path, query, endpoint, fault, object_entries):
        kind = fault.kind if fault else None
        if kind == "slow":
            time.sleep(float(fault.get("delay", 5)))
        extra_headers = dict(fault.get("headers", {})) if fault else {}
        if kind == "status":
            status = fault.get("status", 500)
            if "body" in fault.spec:
                body = jdump(fault.get("body"))
            else:
                _, b = err(status, fault.get("error"), fault.get("code"))
                body = jdump(b)
            if "retry_after" in fault.spec:
                extra_headers["Retry-After"] = str(fault.get("retry_after"))
            return self._send(status, body, "application/json; charset=utf-8", extra_headers)
        if kind == "html":
            status = fault.get("status", 503)
            body = fault.get("body", "<html><body><h1>%d %s</h1></body></html>" % (status, reason(status)))
            if "retry_after" in fault.spec:
                extra_headers["Retry-After"] = str(fault.get("retry_after"))
            return self._send(status, body.encode("utf-8"), "text/html", extra_headers)
        if kind == "message":
            status = fault.get("status", 500)
            body = jdump({"message": fault.get("message", reason(status))})
            if "retry_after" in fault.spec:
                extra_headers["Retry-After"] = str(fault.get("retry_after"))
            return self._send(status, body, "application/json; charset=utf-8", extra_headers)
        if kind == "invalid_json":
            default = {"logs": '{"logs": ["#1 [internal] load build definition', "build":
                       '{"build": {"id": "', "list": '{"builds": [{'}.get(endpoint, "<<not json>>")
            body = fault.get("body", default)
            return self._send(fault.get("status", 200), body.encode("utf-8"),
                              "application/json; charset=utf-8", extra_headers)
        if kind == "wrong_types":
            default = {"logs": {"logs": "nope", "nextToken": 5}, "build": {"build": []},
                       "list": {"builds": "nope", "total": "many", "limit": None, "offset": []}
                       }.get(endpoint, [])
            body = jdump(fault.get("body", default))
            return self._send(fault.get("status", 200), body, "application/json; charset=utf-8", extra_headers)
        if kind == "redirect":
            status = fault.get("status", 302)
            full = path + ("?" + query if query else "")
            extra_headers["Location"] = fault.get("location").replace("{path}", full)
            body = jdump({"error": "Moved", "code": "REDIRECT"})
            return self._send(status, body, "application/json; charset=utf-8", extra_headers)
        if kind == "huge_body":
            return self._send_huge(endpoint, path, int(fault.get("size", 16 * 1024 * 1024)), extra_headers)

        status, obj = self._route(method, path, query, endpoint, fault, object_entries)
        body = jdump(obj)
        mode = None
        if kind in ("truncate", "trickle"):
            mode = fault
        return self._send(status, body, "application/json; charset=utf-8", extra_headers, mode)

    # ---- the API proper ---------------------------------------------------
    def _route(self, method, path, query, endpoint, fault, object_entries):
        st = self.state
        q = parse_qs(query, keep_blank_values=True)
        if endpoint == "other":
            return err(404, "Not found", "NOT_FOUND")
        if method not in ("GET", "HEAD"):
            return err(405)
        if endpoint == "list":
            return self._list(q)
        bid = path.split("/")[3]
        if not UUID_RE.match(bid):
            return err(400, "Invalid build ID", "BAD_REQUEST")
        with st.lock:
            b = st.builds.get(bid.lower())
            if b is None:
                return err(404, "Build not found", "NOT_FOUND")
            if endpoint == "build":
                if b.script:
                    stage = min(b.gets, len(b.script) - 1)
                    b.gets += 1
                    return 200, {"build": b.current_record(stage)}
                return 200, {"build": b.current_record()}
            visible = list(b.visible_logs())
            tailing = b.tailing()
            window = b.window
            created = b.record.get("createdAt", SYNTH_CREATED_AT)
        return self._logs(bid.lower(), q, visible, tailing, window, created, fault, object_entries)

    def _int_param(self, q, name, default, lo, hi):
        if name not in q:
            return default, None
        v = q[name][-1]
        if not re.match(r"^-?[0-9]+$", v) or not (lo <= int(v) <= hi):
            return None, err(400, "%s must be an integer between %d and %d" % (name, lo, hi), "BAD_REQUEST")
        return int(v), None

    def _list(self, q):
        limit, e = self._int_param(q, "limit", 20, 1, 100)
        if e:
            return e
        offset, e = self._int_param(q, "offset", 0, 0, 10 ** 9)
        if e:
            return e
        status = q.get("status", [None])[-1]
        region = q.get("region", [None])[-1]
        context_hash = q.get("contextHash", [None])[-1]
        with self.state.lock:
            recs = [b.current_record() for b in self.state.builds.values()]
        if status:
            recs = [r for r in recs if r.get("status") == status]
        if region:
            recs = [r for r in recs if r.get("region") == region]
        if context_hash:
            recs = [r for r in recs if r.get("contextHash") == context_hash]
        recs.sort(key=lambda r: (r.get("createdAt", ""), r.get("id", "")), reverse=True)
        return 200, {"builds": recs[offset:offset + limit], "total": len(recs), "limit": limit, "offset": offset}

    def _logs(self, bid, q, visible, tailing, window, created, fault, object_entries):
        st = self.state
        limit, e = self._int_param(q, "limit", 500, 1, 10000)
        if e:
            return e
        page = min(limit, st.page_cap)
        token = q.get("nextToken", [None])[-1]
        offset = 0
        if token is not None:
            offset = parse_token(bid, token)
            if offset is None:
                return err(400, "Invalid nextToken", "BAD_REQUEST")
        kind = fault.kind if fault else None

        def shape(entries, start):
            if not object_entries:
                return entries
            base = _parse_iso(created)
            out = []
            for i, ent in enumerate(entries, start):
                if isinstance(ent, dict):
                    out.append(ent)
                    continue
                ts = iso(base + dt.timedelta(milliseconds=100 * i))
                out.append({"log": ent, "timestamp": ts} if i % 3 == 2 else {"message": ent, "timestamp": ts})
            return out

        if kind == "repeat_token":
            return 200, {"logs": shape(visible[:page], 0), "nextToken": make_token(bid, 0, "repeat")}
        if kind == "endless_token":
            # a log that never ends: each page one new line and a new token
            return 200, {"logs": shape(["endless line %d" % (offset + 1)], offset),
                         "nextToken": make_token(bid, offset + 1, "endless")}
        if kind == "empty_page":
            with st.lock:
                st.empty_counter += 1
                n = st.empty_counter
            return 200, {"logs": [], "nextToken": make_token(bid, offset, "empty%d" % n)}

        if tailing and token is None:
            n = min(page, window) if window > 0 else page
            start = max(len(visible) - n, 0)
            obj = {"logs": shape(visible[start:], start)}
        else:
            chunk = visible[offset:offset + page]
            obj = {"logs": shape(chunk, offset)}
            if offset + len(chunk) < len(visible):
                obj["nextToken"] = make_token(bid, offset + len(chunk))
        if kind == "huge_token":
            size = int(fault.get("size", 1024 * 1024))
            obj["nextToken"] = ("QUJD" * (size // 4 + 1))[:size]
        return 200, obj

    # ---- sending --------------------------------------------------------
    def _send(self, status, body, ctype, headers=None, mode=None):
        self._rec["status"] = status
        self.send_response(status, reason(status))
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if mode is not None and mode.kind == "truncate":
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        if mode is None:
            self.wfile.write(body)
            return
        if mode.kind == "truncate":
            n = int(mode.get("bytes", len(body) // 2))
            n = max(0, min(n, len(body) - 1))
            self.wfile.write(body[:n])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            self._rec["note"] = "truncated: sent %d of %d bytes" % (n, len(body))
            return
        if mode.kind == "trickle":
            d = float(mode.get("delay", 0.5))
            for i in range(len(body)):
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
                if i + 1 < len(body):
                    time.sleep(d)

    def _send_huge(self, endpoint, path, size, headers):
        """200 with exactly `size` bytes of valid JSON, streamed."""
        if endpoint == "logs":
            head, tail, unit = b'{"logs": [', b"]}", 100
        elif endpoint == "build":
            bid = path.split("/")[3]
            head = b'{"build": {"id": ' + jdump(bid) + b', "status": "failed", "errorMessage": "'
            tail, unit = b'"}}', 0
        elif endpoint == "list":
            head, tail, unit = b'{"total": 0, "limit": 100, "offset": 0, "padding": "', b'", "builds": []}', 0
        else:
            head, tail, unit = b'{"padding": "', b'"}', 0
        room = size - len(head) - len(tail)
        if room < 2:
            raise ValueError("huge_body size too small")
        self._rec["status"] = 200
        self.send_response(200, "OK")
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(size))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(head)
        if unit:
            # entries '"xx..x"' of `unit` bytes joined by ', '; the last absorbs the rest
            entry = b'"' + b"x" * (unit - 2) + b'"'
            left = room
            chunks = []
            first = True
            while True:
                sep = b"" if first else b", "
                if left - len(sep) - unit >= unit + 4:
                    chunks.append(sep + entry)
                    left -= len(sep) + unit
                else:
                    last = left - len(sep)
                    chunks.append(sep + b'"' + b"y" * (last - 2) + b'"')
                    break
                first = False
                if len(chunks) >= 2000:
                    self.wfile.write(b"".join(chunks))
                    chunks = []
            self.wfile.write(b"".join(chunks))
        else:
            blk = b"x" * 65536
            left = room
            while left > 0:
                n = min(left, len(blk))
                self.wfile.write(blk[:n])
                left -= n
        self.wfile.write(tail)

    def _finish(self, status, obj):
        return self._send(status, jdump(obj), "application/json; charset=utf-8")

    # ---- control endpoints (no auth, not recorded) --------------------
    def _control(self, method, path, query):
        st = self.state

        def reply(status, obj):
            body = jdump(obj)
            self.send_response(status, reason(status))
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(body)

        body = self._read_body() if method in ("POST", "PUT", "PATCH") else b""
        q = parse_qs(query)
        if path == "/_requests" and method == "GET":
            with st.lock:
                return reply(200, {"requests": list(st.requests), "max_concurrent": st.max_concurrent})
        if path == "/_reset" and method == "POST":
            everything = q.get("all", ["0"])[-1] == "1"
            with st.lock:
                st.requests = []
                st.max_concurrent = st.in_flight
                if everything or q.get("scripts", ["0"])[-1] == "1":
                    for b in st.builds.values():
                        b.gets = 0
                if everything or q.get("faults", ["0"])[-1] == "1":
                    st.faults = []
            return reply(200, {"ok": True})
        if path == "/_faults" and method == "GET":
            with st.lock:
                return reply(200, {"faults": [f.describe() for f in st.faults]})
        if path == "/_faults" and method == "POST":
            try:
                specs = json.loads(body.decode("utf-8") or "[]")
                if isinstance(specs, dict):
                    specs = [specs]
                if not isinstance(specs, list):
                    raise ValueError("expected a JSON list of fault specs")
                faults = [Fault(s) for s in specs]
            except (ValueError, TypeError, re.error) as e:
                return reply(400, {"error": "bad fault spec: %s" % e, "code": "BAD_REQUEST"})
            with st.lock:
                st.faults = faults
                return reply(200, {"faults": [f.describe() for f in st.faults]})
        if path == "/_builds" and method == "GET":
            with st.lock:
                out = [{"id": k, "status": b.current_record().get("status"), "lines": len(b.logs),
                        "scripted": bool(b.script), "gets": b.gets} for k, b in sorted(st.builds.items())]
            return reply(200, {"builds": out})
        return reply(404, {"error": "Not found", "code": "NOT_FOUND"})


def _parse_iso(s):
    try:
        return dt.datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S")
    except (ValueError, TypeError):
        return dt.datetime(2026, 3, 4, 10, 0, 0)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, socket.timeout)):
            return
        if Handler.verbose:
            super().handle_error(request, client_address)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Fake Pipecat Cloud API for buildsleuth tests (127.0.0.1 only).")
    ap.add_argument("--port", type=int, default=0, help="port to bind on 127.0.0.1 (default 0: ephemeral)")
    ap.add_argument("--port-file", help="also write the port number to FILE (atomically)")
    ap.add_argument("--key", default="test-key-123", help="the accepted API key (default test-key-123)")
    ap.add_argument("--data", action="append", default=[],
                    help="directory of builds (repeatable); default: the bundled builds/ directory")
    ap.add_argument("--no-samples", action="store_true", help="do not load the bundled builds/ directory")
    ap.add_argument("--generate", type=int, default=0, metavar="N", help="add N generated failed builds")
    ap.add_argument("--seed", type=int, default=1, help="seed for --generate (default 1)")
    ap.add_argument("--big", type=int, nargs="?", const=25000, default=None, metavar="N_LINES",
                    help="add build %s with an N_LINES-line log (default 25000)" % BIG_BUILD_ID)
    ap.add_argument("--page-cap", type=int, default=10000, help="max log entries per page (default 10000)")
    ap.add_argument("--fault", action="append", default=[], metavar="SPEC",
                    help="JSON fault spec object or list (repeatable; @FILE reads it from FILE)")
    ap.add_argument("--record", metavar="FILE", help="append each request as a JSON line to FILE")
    ap.add_argument("--lifetime", type=float, default=None,
                    help="also exit after SECONDS (default: no limit; the server lives until it is "
                         "stopped or the process that started it has gone)")
    ap.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = ap.parse_args(argv)

    def warn(msg):
        sys.stderr.write("fake_pipecat: %s\n" % msg)

    if args.page_cap < 1:
        ap.error("--page-cap must be >= 1")
    builds = {}
    dirs = list(args.data) if args.data else ([] if args.no_samples else [DEFAULT_DATA])
    try:
        for d in dirs:
            load_dir(d, builds, warn)
        for doc in generate_builds(args.generate, args.seed):
            b = doc["build"]
            builds[b["id"]] = Build(b, doc["logs"])
        if args.big is not None:
            doc = generate_big(args.big)
            builds[BIG_BUILD_ID] = Build(doc["build"], doc["logs"])
        faults = []
        for spec in args.fault:
            faults.extend(parse_fault_specs(spec))
    except (OSError, ValueError, re.error) as e:
        warn("error: %s" % e)
        return 2

    Handler.state = State(args.key, builds, faults, args.page_cap, args.record)
    Handler.verbose = args.verbose
    httpd = Server(("127.0.0.1", args.port), Handler)
    port = httpd.server_address[1]

    if args.port_file:
        tmp = "%s.tmp.%d" % (args.port_file, os.getpid())
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    t.start()
    sys.stdout.write("PORT %d\n" % port)
    sys.stdout.flush()

    # No wall-clock limit by default: a slow test must never find its server
    # gone. The safety net is the parent: once it has died (we were
    # reparented), nobody is left to stop us.
    parent = os.getppid()
    deadline = None if args.lifetime is None else time.monotonic() + args.lifetime
    while not stop.is_set():
        if os.getppid() != parent:
            if args.verbose:
                warn("the process that started the server has gone, exiting")
            break
        left = 0.5 if deadline is None else deadline - time.monotonic()
        if left <= 0:
            if args.verbose:
                warn("lifetime elapsed, exiting")
            break
        stop.wait(min(left, 0.5))
    httpd.shutdown()
    httpd.server_close()
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
