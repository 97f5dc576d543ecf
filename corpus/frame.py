#!/usr/bin/env python3
"""Frame every corpus excerpt as complete build logs (python3 stdlib only).

    python3 corpus/frame.py OUTDIR

For each corpus/failures/<name>.txt (labelled in corpus/labels.tsv) this writes
OUTDIR/<name>.<framing>.log (or .json) in these framings:

  codebuild-buildkit   CodeBuild phases around `docker buildx build --progress=plain`
  codebuild-legacy     CodeBuild phases around the legacy builder (Step i/n)
  kaniko               kaniko executor output (INFO[...] lines)
  podman               podman/buildah (STEP i/n:)
  buildkit-plain       BuildKit plain progress with no CodeBuild around it
  api-json             {"logs": [...]} of the codebuild-buildkit log (for about a third)

The excerpt's lines are copied unchanged as the failing step's output; only
the framing around them is synthetic.  Everything is derived from sha256 of
the excerpt name, so the same input gives byte-identical output.  Builder
wordings vary by excerpt between BuildKit generations (new `process "/bin/sh
-c ..." did not complete successfully`, with or without `failed to build:`,
and old `executor failed running [...]`).  Green logs in corpus/green/*.log
are framed in CodeBuild SUCCESS framing into OUTDIR/green/.
OUTDIR/index.tsv lists every framed file.
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FAILURES = os.path.join(HERE, "failures")
GREEN = os.path.join(HERE, "green")
LABELS = os.path.join(HERE, "labels.tsv")

ECR = "318522034107.dkr.ecr.us-west-2.amazonaws.com"
AGENTS = ["math-tutor", "dental-reminders", "overnight-ops", "voice-concierge", "intake-bot",
          "story-time", "support-triage", "sales-coach"]
BASES = ["dailyco/pipecat-base:latest", "python:3.12-slim", "python:3.11-slim-bookworm",
         "python:3.13-slim", "dailyco/pipecat-base:0.0.9"]


def h(*parts):
    return int(hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest(), 16)


def pick(seq, *key):
    return seq[h(*key) % len(seq)]


def hexid(n, *key):
    return hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:n]


def read_labels():
    with open(LABELS, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:]]


def read_excerpt(name):
    with open(os.path.join(FAILURES, name), encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    assert lines[0].startswith("# source: "), name
    return lines[1:]


# --------------------------------------------------------------- the Dockerfile

class Step:
    def __init__(self, instr, output=None, ok=True):
        self.instr = instr          # "RUN pip install ..." / "FROM x" / "COPY a b"
        self.output = output or []  # lines printed by a RUN step that succeeded
        self.ok = ok

    @property
    def kind(self):
        return self.instr.split(" ", 1)[0].upper()

    @property
    def cmd(self):
        return self.instr.split(" ", 1)[1] if " " in self.instr else ""


APT_NOISE = [
    "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]",
    "Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]",
    "Get:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]",
    "Get:4 http://deb.debian.org/debian bookworm/main arm64 Packages [8689 kB]",
    "Fetched 9203 kB in 2s (4627 kB/s)",
    "Reading package lists...",
    "Building dependency tree...",
    "Reading state information...",
    "The following NEW packages will be installed:",
    "  ffmpeg libavcodec59 libavformat59 libavutil57",
    "0 upgraded, 4 newly installed, 0 to remove and 0 not upgraded.",
    "debconf: delaying package configuration, since apt-utils is not installed",
    "Setting up ffmpeg (7:5.1.6-0+deb12u1) ...",
    "Processing triggers for libc-bin (2.36-9+deb12u9) ...",
]
PIP_NOISE = [
    "Collecting uv==0.5.11",
    "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='pypi.org', port=443): Read timed out. (read timeout=15)\")': /simple/uv/",
    "  Downloading uv-0.5.11-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.whl (14.8 MB)",
    "Installing collected packages: uv",
    "Successfully installed uv-0.5.11",
    "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager, possibly rendering your system unusable.It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use the --root-user-action option if you know what you are doing and want to suppress this warning.",
    "",
    "[notice] A new release of pip is available: 24.0 -> 25.0.1",
    "[notice] To update, run: pip install --upgrade pip",
]


def plan(row):
    """The Dockerfile steps and the failing step's index (1-based)."""
    name = row["file"]
    instr = row["instruction"]
    kind = instr.split(" ", 1)[0].upper() if instr != "-" else "PARSE"
    base = instr.split(" ", 1)[1].split(" ")[0] if kind == "FROM" else pick(BASES, name, "base")
    steps = [Step("FROM " + base), Step("WORKDIR /app")]
    if kind == "FROM":
        steps = [Step(instr, ok=False), Step("WORKDIR /app"), Step("COPY requirements.txt ."),
                 Step("RUN pip install --no-cache-dir -r requirements.txt"), Step("COPY . ."),
                 Step('CMD ["python", "bot.py"]')]
        return steps, 1
    if h(name, "apt") % 2 == 0:
        steps.append(Step("RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*", APT_NOISE))
    if h(name, "pipnoise") % 3 != 0:
        steps.append(Step("RUN pip install --no-cache-dir uv==0.5.11", PIP_NOISE))
    if kind in ("COPY", "ADD"):
        steps.append(Step(instr, ok=False))
        fail = len(steps)
        steps += [Step("RUN pip install --no-cache-dir -r requirements.txt"), Step("COPY . ."),
                  Step('CMD ["python", "bot.py"]')]
        return steps, fail
    if kind == "PARSE":
        steps += [Step("COPY . ."), Step('CMD ["python", "bot.py"]')]
        return steps, 0
    steps.append(Step("COPY . ."))
    steps.append(Step(instr, ok=False))
    fail = len(steps)
    steps.append(Step('CMD ["python", "bot.py"]'))
    return steps, fail


# --------------------------------------------------------------- clocks

class Clock:
    def __init__(self, name, key):
        self.t = 0.2 + (h(name, key, "t0") % 900) / 1000.0
        self.name, self.key, self.i = name, key, 0

    def tick(self):
        self.i += 1
        self.t += 0.05 + (h(self.name, self.key, self.i) % 1800) / 1000.0
        return self.t


def bk_secs(t):
    if t < 10:
        return "%.3f" % t
    if t < 100:
        return "%.2f" % t
    return "%.1f" % t


# --------------------------------------------------------------- BuildKit

def bk_variant(name):
    return pick(["new", "new-build", "old"], name, "bkvariant")


def buildkit_lines(row, excerpt):
    name = row["file"]
    steps, fail = plan(row)
    n = len(steps)
    variant = bk_variant(name)
    out = []
    if variant != "old":
        out.append('#0 building with "pcc-builder" instance using docker-container driver')
        out.append("")
    out += ["#1 [internal] load build definition from Dockerfile",
            "#1 transferring dockerfile: %dB done" % (300 + h(name, "dfsize") % 900),
            "#1 DONE 0.0s", ""]
    if fail == 0:  # a parse error: nothing else runs
        out += excerpt
        return out, 0, n
    base = steps[0].instr.split(" ", 1)[1]
    ref = base if "/" in base.split(":")[0] else "library/" + base
    full = "docker.io/" + ref if not base.split("/")[0].count(".") else base
    out += ["#2 [internal] load metadata for %s" % full]
    if steps[0].ok:
        out += ["", "#3 [auth] %s:pull token for registry-1.docker.io" % ref.split(":")[0], "#3 DONE 0.0s", "",
                "#2 DONE %.1fs" % (0.4 + (h(name, "meta") % 20) / 10), ""]
    else:
        out += ["------", " > [internal] load metadata for %s:" % full, "------", "Dockerfile:1",
                "--------------------", "   1 | >>> %s" % steps[0].instr, "   2 |     WORKDIR /app",
                "--------------------"]
        out += excerpt
        return out, 1, n
    out += ["#4 [internal] load .dockerignore", "#4 transferring context: 2B done", "#4 DONE 0.0s", ""]
    digest = hexid(64, name, "digest")
    out += ["#5 [1/%d] FROM %s@sha256:%s" % (n, full, digest),
            "#5 resolve %s@sha256:%s 0.0s done" % (full, digest), "#5 CACHED", "",
            "#6 [internal] load build context",
            "#6 transferring context: %.2fkB done" % (10 + (h(name, "ctx") % 9000) / 100), "#6 DONE 0.1s", ""]
    num = 7
    clock = Clock(name, "bk")
    for i, st in enumerate(steps[1:], start=2):
        header = "#%d [%d/%d] %s" % (num, i, n, st.instr)
        if i < fail:
            out.append(header)
            if st.kind == "RUN" and st.output:
                for line in st.output:
                    out.append(("#%d %s %s" % (num, bk_secs(clock.tick()), line)))
                out += ["#%d DONE %.1fs" % (num, clock.t), ""]
            elif st.kind == "WORKDIR":
                out += ["#%d CACHED" % num, ""]
            else:
                out += ["#%d DONE 0.0s" % num, ""]
            num += 1
            continue
        if i == fail:
            cmdq = st.cmd
            out.append(header)
            dockerfile_block = ["Dockerfile:%d" % i, "--------------------"]
            for j in range(max(1, i - 2), min(n, i + 2) + 1):
                mark = ">>>" if j == i else "   "
                dockerfile_block.append("%4d | %s %s" % (j, mark, steps[j - 1].instr))
            dockerfile_block.append("--------------------")
            if st.kind != "RUN":
                out += ["------", " > [%d/%d] %s:" % (i, n, st.instr), "------"]
                out += dockerfile_block
                out += excerpt
                return out, i, n
            stamped = []
            for line in excerpt:
                s = bk_secs(clock.tick())
                out.append("#%d %s %s" % (num, s, line))
                stamped.append("%s %s" % (s, line))
            code = row["exit_code"]
            if variant == "old":
                err = "executor failed running [/bin/sh -c %s]: exit code: %s" % (cmdq, code)
                out.append("#%d ERROR: %s" % (num, err))
                final = "failed to solve: " + err
            else:
                err = 'process "/bin/sh -c %s" did not complete successfully: exit code: %s' % (cmdq, code)
                out.append("#%d ERROR: %s" % (num, err))
                final = ("ERROR: failed to build: failed to solve: " if variant == "new-build"
                         else "ERROR: failed to solve: ") + err
            out += ["------", " > [%d/%d] %s:" % (i, n, st.instr)]
            out += stamped[-10:]
            out.append("------")
            if variant != "old":
                out += dockerfile_block
            out.append(final)
            return out, i, n
    raise AssertionError(name)


# --------------------------------------------------------------- legacy builder

def legacy_lines(row, excerpt):
    name = row["file"]
    steps, fail = plan(row)
    n = len(steps)
    out = []
    if h(name, "deprecated") % 2 == 0:
        out += ["DEPRECATED: The legacy builder is deprecated and will be removed in a future release.",
                "            Install the buildx component to build images with BuildKit:",
                "            https://docs.docker.com/go/buildx/", ""]
    out += ["Sending build context to Docker daemon  %.2fkB" % (10 + (h(name, "ctx") % 9000) / 100), ""]
    if fail == 0:
        out += excerpt
        return out, 0, n
    for i, st in enumerate(steps, start=1):
        out.append("Step %d/%d : %s" % (i, n, st.instr))
        if i == fail:
            if st.kind == "RUN":
                out.append(" ---> Running in %s" % hexid(12, name, "run", str(i)))
                out += excerpt
                out.append("The command '/bin/sh -c %s' returned a non-zero code: %s" % (st.cmd, row["exit_code"]))
            else:
                if st.kind == "FROM":
                    base = st.instr.split(" ", 1)[1]
                    tag = base.split(":")[1] if ":" in base else "latest"
                    out.append("%s: Pulling from %s" % (tag, base.split(":")[0]))
                out += excerpt
            return out, i, n
        if st.kind == "FROM":
            base = st.instr.split(" ", 1)[1]
            out.append(" ---> %s" % hexid(12, name, "img"))
        elif st.kind == "RUN":
            cid = hexid(12, name, "run", str(i))
            out.append(" ---> Running in %s" % cid)
            out += st.output
            out.append("Removing intermediate container %s" % cid)
            out.append(" ---> %s" % hexid(12, name, "layer", str(i)))
        elif st.kind == "WORKDIR":
            out.append(" ---> Using cache")
            out.append(" ---> %s" % hexid(12, name, "layer", str(i)))
        else:
            out.append(" ---> %s" % hexid(12, name, "layer", str(i)))
    raise AssertionError(name)


# --------------------------------------------------------------- kaniko

def kaniko_lines(row, excerpt):
    name = row["file"]
    steps, fail = plan(row)
    n = len(steps)
    clock = Clock(name, "kaniko")

    def info(msg):
        return "INFO[%04d] %s" % (int(clock.tick()), msg)

    out = []
    if fail == 0:
        out += excerpt
        return out, 0, n
    base = steps[0].instr.split(" ", 1)[1]
    out.append(info("Retrieving image manifest %s" % base))
    if fail == 1:
        out += excerpt
        return out, 1, n
    out += [info("Retrieving image %s from registry index.docker.io" % base),
            info("Built cross stage deps: map[]"),
            info("Retrieving image manifest %s" % base),
            info("Returning cached image manifest"),
            info("Executing 0 build triggers"),
            info("Building stage '%s' [idx: '0', base-idx: '-1']" % base),
            info("Unpacking rootfs as cmd RUN requires it."),
            ]
    for i, st in enumerate(steps[1:], start=2):
        out.append(info(st.instr))
        if st.kind == "WORKDIR":
            out += [info("Cmd: workdir"), info("Changed working directory to /app"),
                    info("Creating directory /app with uid -1 and gid -1"), info("Taking snapshot of files...")]
        elif st.kind in ("COPY", "ADD"):
            if i == fail:
                out += excerpt
                return out, i, n
            out.append(info("Taking snapshot of files..."))
        elif st.kind == "RUN":
            out += [info("Initializing snapshotter ..."), info("Taking snapshot of full filesystem..."),
                    info("Cmd: /bin/sh"), info("Args: [-c %s]" % st.cmd),
                    info("Running: [/bin/sh -c %s]" % st.cmd)]
            if i == fail:
                out += excerpt
                out.append("error building image: error building stage: failed to execute command: "
                           "waiting for process to exit: exit status %s" % row["exit_code"])
                return out, i, n
            out += st.output
            out.append(info("Taking snapshot of full filesystem..."))
    raise AssertionError(name)


# --------------------------------------------------------------- podman / buildah

def podman_lines(row, excerpt):
    name = row["file"]
    steps, fail = plan(row)
    n = len(steps)
    out = []
    if fail == 0:
        out += excerpt
        return out, 0, n
    for i, st in enumerate(steps, start=1):
        out.append("STEP %d/%d: %s" % (i, n, st.instr))
        if i == fail:
            if st.kind == "FROM":
                base = st.instr.split(" ", 1)[1]
                if "/" not in base.split(":")[0]:
                    out.append('Resolved "%s" as an alias (/etc/containers/registries.conf.d/000-shortnames.conf)'
                               % base.split(":")[0])
                out.append("Trying to pull docker.io/%s..." % (base if "/" in base else "library/" + base))
            out += excerpt
            if st.kind == "RUN":
                out.append('Error: building at STEP "%s": while running runtime: exit status %s'
                           % (st.instr, row["exit_code"]))
            return out, i, n
        if st.kind == "FROM":
            base = st.instr.split(" ", 1)[1]
            out += ["Trying to pull docker.io/%s..." % (base if "/" in base else "library/" + base),
                    "Getting image source signatures",
                    "Copying blob sha256:%s" % hexid(64, name, "blob"),
                    "Copying config sha256:%s" % hexid(64, name, "config"),
                    "Writing manifest to image destination"]
        else:
            out += st.output
            out.append("--> %s" % hexid(12, name, "podlayer", str(i)))
    raise AssertionError(name)


# --------------------------------------------------------------- CodeBuild

class CB:
    def __init__(self, name, key):
        self.name = name
        day = 1 + h(name, key, "day") % 27
        month = 1 + h(name, key, "month") % 12
        year = pick([2024, 2025, 2026], name, key, "year")
        self.old_style = h(name, key, "old") % 5 == 0   # "Success: true/false" phases
        self.date = "%04d/%02d/%02d" % (year, month, day)
        self.sec = (h(name, key, "sec") % (20 * 3600)) + 3600
        self.micro = h(name, key, "micro") % 1000000
        self.src = 100000000 + h(name, key, "src") % 899999999

    def ts(self, step=0):
        self.sec += step
        self.micro = (self.micro + 7919 * (1 + step)) % 1000000
        hh, mm, ss = self.sec // 3600 % 24, self.sec // 60 % 60, self.sec % 60
        return "%s %02d:%02d:%02d.%06d" % (self.date, hh, mm, ss, self.micro)

    def c(self, msg, step=0):
        return "[Container] %s %s" % (self.ts(step), msg)

    def state(self, phase, ok):
        if self.old_style:
            return self.c("Phase complete: %s Success: %s" % (phase, "true" if ok else "false"))
        return self.c("Phase complete: %s State: %s" % (phase, "SUCCEEDED" if ok else "FAILED"))


def codebuild(name, key, build_cmd, body, failed):
    cb = CB(name, key)
    agent = pick(AGENTS, name, key, "agent")
    out = [cb.c("Running on CodeBuild On-demand"), cb.c("Waiting for agent ping"),
           cb.c("Waiting for DOWNLOAD_SOURCE", 1), cb.c("Phase is DOWNLOAD_SOURCE", 1),
           cb.c("CODEBUILD_SRC_DIR=/codebuild/output/src%d/src" % cb.src),
           cb.c("YAML location is /codebuild/readonly/buildspec.yml"),
           cb.c("Setting HTTP client timeout to higher timeout for S3 source"),
           cb.c("Processing environment variables"),
           cb.c("No runtime version selected in buildspec."),
           cb.c("Moving to directory /codebuild/output/src%d/src" % cb.src),
           cb.c("Unable to initialize cache download: no paths specified to be cached"),
           cb.c("Configuring ssm agent with target id: codebuild:%s-%s-%s-%s-%s" % (
               hexid(8, name, "a"), hexid(4, name, "b"), hexid(4, name, "c"), hexid(4, name, "d"), hexid(12, name, "e"))),
           cb.c("Successfully updated ssm agent configuration"), cb.c("Registering with agent"),
           cb.c("Phases found in YAML: 4"), cb.c(" INSTALL: 2 commands"), cb.c(" PRE_BUILD: 3 commands"),
           cb.c(" BUILD: 2 commands"), cb.c(" POST_BUILD: 2 commands"),
           cb.state("DOWNLOAD_SOURCE", True), cb.c("Phase context status code:  Message: "),
           cb.c("Entering phase INSTALL"), cb.c('Running command echo "Installing build tooling"'),
           "Installing build tooling", "",
           cb.c("Running command docker version --format '{{.Server.Version}}'"),
           pick(["24.0.7", "26.1.4", "27.3.1", "20.10.24"], name, key, "dv"), "",
           cb.state("INSTALL", True), cb.c("Phase context status code:  Message: "),
           cb.c("Entering phase PRE_BUILD"), cb.c("Running command echo Logging in to Amazon ECR..."),
           "Logging in to Amazon ECR...", "",
           cb.c("Running command aws ecr get-login-password --region us-west-2 | docker login --username AWS --password-stdin %s" % ECR),
           "", "WARNING! Your password will be stored unencrypted in /root/.docker/config.json.",
           "Configure a credential helper to remove this warning. See",
           "https://docs.docker.com/engine/reference/commandline/login/#credentials-store", "",
           "Login Succeeded", "",
           cb.c("Running command docker buildx create --use --name pcc-builder --driver docker-container || true", 2),
           "pcc-builder", "",
           cb.state("PRE_BUILD", True), cb.c("Phase context status code:  Message: "),
           cb.c("Entering phase BUILD"), cb.c("Running command echo Building the Docker image..."),
           "Building the Docker image...", ""]
    cmd = build_cmd % ("%s/pcc-agents/%s:b-%s" % (ECR, agent, hexid(7, name, key, "tag")))
    out.append(cb.c("Running command " + cmd))
    out += body
    out.append("")
    if failed:
        out += [cb.c("Command did not exit successfully %s exit status 1" % cmd, 30),
                cb.state("BUILD", False),
                cb.c("Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: %s. Reason: exit status 1" % cmd)]
    else:
        out += [cb.state("BUILD", True), cb.c("Phase context status code:  Message: ", 30)]
    out += [cb.c("Entering phase POST_BUILD"), cb.c("Running command echo Build completed on `date`"),
            "Build completed on %s" % "Mon Jan  1 00:00:00 UTC 2026", "",
            cb.c('Running command if [ "$CODEBUILD_BUILD_SUCCEEDING" = "0" ]; then echo "docker build failed"; exit 0; fi')]
    if failed:
        out += ["docker build failed", ""]
    out += [cb.state("POST_BUILD", True), cb.c("Phase context status code:  Message: "),
            cb.c("Entering phase UPLOAD_ARTIFACTS"), cb.state("UPLOAD_ARTIFACTS", True),
            cb.c("Phase context status code:  Message: "), cb.c("Entering phase FINALIZING", 1),
            cb.state("FINALIZING", True), cb.c("Phase context status code:  Message: "),
            cb.c("Entering phase COMPLETED")]
    return out


BK_CMD = "docker buildx build --platform linux/arm64 --progress=plain -f Dockerfile -t %s --push ."
LEGACY_CMD = "docker build -f Dockerfile -t %s ."


# --------------------------------------------------------------- main

def write(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main(argv):
    if len(argv) != 2:
        print("usage: frame.py OUTDIR", file=sys.stderr)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    index = [["framed", "excerpt", "split", "framing", "categories", "subject", "instruction",
              "exit_code", "step", "total"]]
    for row in read_labels():
        name = row["file"]
        stem = name[:-4]
        excerpt = read_excerpt(name)
        framed = {}
        body, i, n = buildkit_lines(row, excerpt)
        framed["codebuild-buildkit"] = (codebuild(name, "bk", BK_CMD, body, True), i, n)
        framed["buildkit-plain"] = (body, i, n)
        body, i, n = legacy_lines(row, excerpt)
        framed["codebuild-legacy"] = (codebuild(name, "legacy", LEGACY_CMD, body, True), i, n)
        framed["kaniko"] = kaniko_lines(row, excerpt)
        framed["podman"] = podman_lines(row, excerpt)
        for framing in ["codebuild-buildkit", "codebuild-legacy", "kaniko", "podman", "buildkit-plain"]:
            lines, i, n = framed[framing]
            fname = "%s.%s.log" % (stem, framing)
            write(os.path.join(outdir, fname), lines)
            index.append([fname, name, row["split"], framing, row["categories"], row["subject"],
                          row["instruction"], row["exit_code"], str(i), str(n)])
        if h(name, "api") % 3 == 0:
            lines, i, n = framed["codebuild-buildkit"]
            fname = "%s.api-json.json" % stem
            with open(os.path.join(outdir, fname), "w", encoding="utf-8", newline="\n") as f:
                json.dump({"logs": lines}, f, indent=1, ensure_ascii=False)
                f.write("\n")
            index.append([fname, name, row["split"], "api-json", row["categories"], row["subject"],
                          row["instruction"], row["exit_code"], str(i), str(n)])
    if os.path.isdir(GREEN):
        greens = sorted(g for g in os.listdir(GREEN) if g.endswith(".log"))
        if greens:
            os.makedirs(os.path.join(outdir, "green"), exist_ok=True)
        for g in greens:
            with open(os.path.join(GREEN, g), encoding="utf-8", errors="replace") as f:
                glines = f.read().split("\n")
            if glines and glines[-1] == "":
                glines.pop()
            cmd = BK_CMD if any(l.startswith("#1 ") for l in glines) else LEGACY_CMD
            fname = os.path.join("green", g[:-4] + ".codebuild-success.log")
            write(os.path.join(outdir, fname), codebuild(g, "green", cmd, glines, False))
            index.append([fname, g, "green", "codebuild-success", "-", "-", "-", "-", "-", "-"])
    with open(os.path.join(outdir, "index.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for r in index:
            f.write("\t".join(r) + "\n")
    print("%d framed logs in %s" % (len(index) - 1, outdir), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
