#!/usr/bin/env python3
"""bench/gen_corpus.py - deterministic benchmark corpora for buildsleuth.

Everything is made from a fixed seed with the standard library only (no
downloads), so two runs on any machine write byte-identical files:

  gen_corpus.py log --lines N [--seed S] OUT      a failed build log of N lines
  gen_corpus.py log --bytes B [--seed S] OUT      ... of about B bytes
  gen_corpus.py rules --count N RULES_DIR OUT_DIR  a rule folder of N rules
  gen_corpus.py all OUT_DIR                        everything `make bench` uses

A log is what a Pipecat Cloud build prints: CodeBuild framing around a
`docker buildx build --progress=plain` whose BuildKit steps are mostly noise
(apt-get, pip Collecting/Downloading/progress bars, compiler lines, a few
coloured and carriage-return progress lines), then one real failure near the
end: `ERROR: No matching distribution found for cloud-init==20.4`.
"""
import hashlib
import json
import os
import random
import sys

GENERATOR_VERSION = "1"

PIP_PACKAGES = [
    "aiohttp", "aiosignal", "annotated-types", "anyio", "attrs", "certifi",
    "charset-normalizer", "click", "daily-python", "deepgram-sdk", "distro",
    "fastapi", "filelock", "frozenlist", "fsspec", "h11", "httpcore", "httpx",
    "huggingface-hub", "idna", "jinja2", "jiter", "loguru", "markdown",
    "markupsafe", "multidict", "numpy", "onnxruntime", "openai", "packaging",
    "pillow", "pipecat-ai", "protobuf", "pydantic", "pydantic-core",
    "python-dotenv", "pyyaml", "regex", "requests", "resampy", "safetensors",
    "scipy", "silero-vad", "sniffio", "soundfile", "starlette", "sympy",
    "tokenizers", "torch", "tqdm", "transformers", "typing-extensions",
    "urllib3", "uvicorn", "websockets", "yarl", "grpcio", "soxr", "numba",
    "llvmlite", "coloredlogs", "humanfriendly", "flatbuffers", "mpmath",
]
APT_PACKAGES = [
    "ffmpeg", "libsndfile1", "libportaudio2", "git", "curl", "libasound2",
    "libasound2-data", "libjack-jackd2-0", "libopus0", "libsamplerate0",
    "libvorbis0a", "libvorbisenc2", "libogg0", "libflac12", "libmp3lame0",
    "libmpg123-0", "libgomp1", "libdbus-1-3", "libexpat1", "libbsd0", "libmd0",
    "libx11-6", "libx11-data", "libxau6", "libxcb1", "libxdmcp6",
    "libavcodec59", "libavformat59", "libavutil57", "libswresample4",
    "libswscale6", "libdrm2", "libva2", "libvdpau1", "libzvbi0", "build-essential",
    "gcc-12", "cpp-12", "libc6-dev", "linux-libc-dev", "libcrypt-dev",
    "portaudio19-dev", "pkg-config", "ca-certificates", "openssl",
]
SOURCES = [
    "src/core/lib/iomgr/ev_poll_posix.cc", "src/core/lib/surface/call.cc",
    "src/core/ext/filters/client_channel/client_channel.cc",
    "third_party/abseil-cpp/absl/strings/str_cat.cc",
    "third_party/boringssl-with-bazel/src/crypto/fipsmodule/bcm.c",
    "src/core/lib/transport/metadata_batch.cc", "src/cpp/server/server_cc.cc",
    "webrtcvad/cbits/signal_processing/resample.c", "_portaudiomodule.c",
    "numpy/core/src/multiarray/ctors.c", "src/soxr/vr32.c",
]
BAR = "\u2501" * 40  # pip's rich progress bar


class Log:
    """Writes lines with CodeBuild / BuildKit framing and counts them."""

    def __init__(self, out, seed):
        self.out = out
        self.rng = random.Random(seed)
        self.lines = 0
        self.bytes = 0
        self.clock = 20 * 3600 + 46 * 60 + 51  # 20:46:51
        self.micro = 423722
        self.step = 0
        self.secs = 0.0
        self.buf = []
        self.limit = None  # lines past this are dropped (the noise budget)

    def raw(self, text):
        if self.limit is not None and self.lines >= self.limit:
            return
        self.buf.append(text)
        self.lines += 1
        self.bytes += len(text.encode("utf-8", "surrogateescape")) + 1
        if len(self.buf) >= 4096:
            self.flush()

    def flush(self):
        if self.buf:
            self.out.write(("\n".join(self.buf) + "\n").encode("utf-8", "surrogateescape"))
            self.buf = []

    def cb(self, text):
        """A CodeBuild line with its [Container] timestamp prefix."""
        self.micro += self.rng.randrange(1000, 400000)
        self.clock += self.micro // 1000000
        self.micro %= 1000000
        h, m, s = self.clock // 3600 % 24, self.clock // 60 % 60, self.clock % 60
        self.raw("[Container] 2026/01/28 %02d:%02d:%02d.%06d %s" % (h, m, s, self.micro, text))

    def bk(self, text):
        """A BuildKit output line: #<step> <seconds> text."""
        self.secs += self.rng.random() * 0.05
        self.raw("#%d %.3f %s" % (self.step, self.secs, text))


def ver(rng):
    return "%d.%d.%d" % (rng.randrange(0, 9), rng.randrange(0, 30), rng.randrange(0, 20))


def preamble(log):
    for t in [
        "Running on CodeBuild On-demand", "Waiting for agent ping",
        "Waiting for DOWNLOAD_SOURCE", "Phase is DOWNLOAD_SOURCE",
        "CODEBUILD_SRC_DIR=/codebuild/output/src675001432/src",
        "YAML location is /codebuild/readonly/buildspec.yml",
        "Processing environment variables",
        "No runtime version selected in buildspec.",
        "Moving to directory /codebuild/output/src675001432/src",
        "Phase complete: DOWNLOAD_SOURCE State: SUCCEEDED",
        "Phase context status code:  Message: ", "Entering phase INSTALL",
        "Running command docker version --format '{{.Server.Version}}'",
    ]:
        log.cb(t)
    log.raw("26.1.4")
    log.raw("")
    for t in [
        "Phase complete: INSTALL State: SUCCEEDED",
        "Phase context status code:  Message: ", "Entering phase PRE_BUILD",
        "Running command aws ecr get-login-password --region us-west-2 | docker login "
        "--username AWS --password-stdin 318522034107.dkr.ecr.us-west-2.amazonaws.com",
    ]:
        log.cb(t)
    log.raw("Login Succeeded")
    log.raw("")
    for t in [
        "Phase complete: PRE_BUILD State: SUCCEEDED",
        "Phase context status code:  Message: ", "Entering phase BUILD",
        "Running command docker buildx build --platform linux/arm64 --progress=plain "
        "-f Dockerfile -t 318522034107.dkr.ecr.us-west-2.amazonaws.com/pcc-agents/bench:b-0000001 --push .",
    ]:
        log.cb(t)
    log.raw('#0 building with "pcc-builder" instance using docker-container driver')
    log.raw("")
    log.raw("#1 [internal] load build definition from Dockerfile")
    log.raw("#1 transferring dockerfile: 402B done")
    log.raw("#1 DONE 0.0s")
    log.raw("")
    log.raw("#2 [1/7] FROM docker.io/dailyco/pipecat-base:latest@sha256:" + "3d7c92ba5e8448" * 4 + "85874e5c")
    log.raw("#2 CACHED")
    log.raw("")
    log.step = 2


def noise_apt(log, budget):
    rng = log.rng
    pkgs = [rng.choice(APT_PACKAGES) for _ in range(rng.randrange(10, 40))]
    log.bk("Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]")
    log.bk("Reading package lists...")
    log.bk("Building dependency tree...")
    log.bk("Reading state information...")
    log.bk("The following NEW packages will be installed:")
    log.bk("  " + " ".join(pkgs))
    log.bk("0 upgraded, %d newly installed, 0 to remove and 0 not upgraded." % len(pkgs))
    for i, p in enumerate(pkgs):
        if log.lines >= budget:
            return
        log.bk("Get:%d http://deb.debian.org/debian bookworm/main arm64 %s %s [%d kB]"
               % (i + 1, p, ver(rng), rng.randrange(5, 900)))
    log.bk("debconf: delaying package configuration, since apt-utils is not installed")
    for p in pkgs:
        if log.lines >= budget:
            return
        v = ver(rng)
        log.bk("Selecting previously unselected package %s:arm64." % p)
        log.bk("Preparing to unpack .../%s_%s_arm64.deb ..." % (p, v))
        log.bk("Unpacking %s:arm64 (%s) ..." % (p, v))
    for p in pkgs:
        if log.lines >= budget:
            return
        log.bk("Setting up %s:arm64 (%s) ..." % (p, ver(rng)))
    log.bk("Processing triggers for libc-bin (2.36-9+deb12u4) ...")


def noise_pip(log, budget):
    rng = log.rng
    pkgs = [rng.choice(PIP_PACKAGES) for _ in range(rng.randrange(10, 60))]
    for n, p in enumerate(pkgs):
        if log.lines >= budget:
            return
        v = ver(rng)
        if rng.random() < 0.2:
            log.bk("Requirement already satisfied: %s>=%s in /usr/local/lib/python3.11/site-packages "
                   "(from pipecat-ai==0.0.58) (%s)" % (p, v, ver(rng)))
            continue
        log.bk("Collecting %s==%s (from -r requirements.txt (line %d))" % (p, v, n + 1))
        log.bk("  Downloading %s-%s-py3-none-any.whl.metadata (%.1f kB)"
               % (p.replace("-", "_"), v, rng.random() * 20))
        size = rng.random() * 80
        log.bk("  Downloading %s-%s-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl (%.1f MB)"
               % (p.replace("-", "_"), v, size))
        for _ in range(rng.randrange(0, 4)):
            done = rng.random() * size
            log.bk("     %s %.1f/%.1f MB %.1f MB/s eta 0:00:%02d"
                   % (BAR[: rng.randrange(1, 40)], done, size, rng.random() * 90, rng.randrange(60)))
        log.bk("     %s %.1f/%.1f MB %.1f MB/s eta 0:00:00" % (BAR, size, size, rng.random() * 90))
        r = rng.random()
        if r < 0.01:
            # a tool that forces colour: ANSI escapes survive --progress=plain
            log.bk("\x1b[1;33mWARNING:\x1b[0m the cache of %s is not writable, caching disabled" % p)
        elif r < 0.02:
            # a tool printing its own bar with carriage returns
            log.bk("Fetching %s:  10%%|#         |\r Fetching %s:  60%%|######    |\r"
                   " Fetching %s: 100%%|##########|" % (p, p, p))
    log.bk("Installing collected packages: " + ", ".join(pkgs[:12]))
    log.bk("Successfully installed " + " ".join("%s-%s" % (p, ver(rng)) for p in pkgs[:12]))
    log.bk("WARNING: Running pip as the 'root' user can result in broken permissions and conflicting "
           "behaviour with the system package manager. It is recommended to use a virtual environment instead")


def noise_compile(log, budget):
    rng = log.rng
    log.bk("Building wheels for collected packages: grpcio")
    log.bk("  Building wheel for grpcio (pyproject.toml): started")
    for _ in range(rng.randrange(20, 120)):
        if log.lines >= budget:
            return
        src = rng.choice(SOURCES)
        log.bk("  aarch64-linux-gnu-gcc -Wsign-compare -DNDEBUG -g -fwrapv -O2 -Wall -fPIC "
               "-DGRPC_XDS_USER_AGENT_NAME_SUFFIX=\"Python\" -Isrc/core -Ithird_party/abseil-cpp "
               "-I/usr/local/include/python3.11 -c %s -o build/temp.linux-aarch64-cpython-311/%s.o"
               % (src, src.rsplit(".", 1)[0]))
    log.bk("  Building wheel for grpcio (pyproject.toml): finished with status 'done'")
    log.bk("  Created wheel for grpcio: filename=grpcio-1.62.1-cp311-cp311-linux_aarch64.whl "
           "size=%d sha256=%s" % (rng.randrange(10 ** 6, 10 ** 8), "%064x" % rng.getrandbits(256)))
    log.bk("  Stored in directory: /tmp/pip-ephem-wheel-cache-%08x/wheels/ab/cd" % rng.getrandbits(32))


def failure(log):
    """The real error near the end, BuildKit's summary and CodeBuild's verdict."""
    log.step += 1
    log.raw("")
    log.raw("#%d [6/7] RUN pip install --no-cache-dir -r requirements.txt" % log.step)
    log.bk("Collecting cloud-init==20.4 (from -r requirements.txt (line 31))")
    log.bk("ERROR: Could not find a version that satisfies the requirement cloud-init==20.4 (from versions: none)")
    log.bk("ERROR: No matching distribution found for cloud-init==20.4")
    log.bk("")
    log.bk("[notice] A new release of pip is available: 24.0 -> 25.0.1")
    log.bk("[notice] To update, run: pip install --upgrade pip")
    log.raw('#%d ERROR: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
            "did not complete successfully: exit code: 1" % log.step)
    tail = [
        "------",
        " > [6/7] RUN pip install --no-cache-dir -r requirements.txt:",
        "2.532 ERROR: Could not find a version that satisfies the requirement cloud-init==20.4 (from versions: none)",
        "2.532 ERROR: No matching distribution found for cloud-init==20.4",
        "------",
        "Dockerfile:10",
        "--------------------",
        "  10 | >>> RUN pip install --no-cache-dir -r requirements.txt",
        "--------------------",
        'ERROR: failed to solve: process "/bin/sh -c pip install --no-cache-dir -r requirements.txt" '
        "did not complete successfully: exit code: 1",
        "",
    ]
    for t in tail:
        log.raw(t)
    cmd = ("docker buildx build --platform linux/arm64 --progress=plain -f Dockerfile -t "
           "318522034107.dkr.ecr.us-west-2.amazonaws.com/pcc-agents/bench:b-0000001 --push .")
    log.cb("Command did not exit successfully %s exit status 1" % cmd)
    log.cb("Phase complete: BUILD State: FAILED")
    log.cb("Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing "
           "command: %s. Reason: exit status 1" % cmd)
    log.cb("Entering phase POST_BUILD")
    log.cb("Phase complete: POST_BUILD State: SUCCEEDED")
    log.cb("Phase context status code:  Message: ")


TAIL_LINES = 26  # what failure() writes


def write_log(path, lines=None, size=None, seed=1):
    with open(path + ".tmp", "wb") as out:
        log = Log(out, seed)
        preamble(log)
        if lines is not None:
            log.limit = lines - TAIL_LINES
        # noise until the budget, leaving room for the failure at the end
        while True:
            if lines is not None:
                budget = lines - TAIL_LINES
                if log.lines >= budget:
                    break
            else:
                budget = 1 << 62
                if log.bytes >= size - 4096:
                    break
            log.step += 1
            kind = log.rng.random()
            log.raw("")
            if kind < 0.25:
                log.raw("#%d [3/7] RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg"
                        % log.step)
                noise_apt(log, budget)
            elif kind < 0.9:
                log.raw("#%d [5/7] RUN pip install --no-cache-dir -r requirements-base.txt" % log.step)
                noise_pip(log, budget)
            else:
                log.raw("#%d [4/7] RUN pip install --no-cache-dir grpcio==1.62.1" % log.step)
                noise_compile(log, budget)
            log.raw("#%d DONE %.1fs" % (log.step, log.secs))
        log.limit = None
        failure(log)
        log.flush()
        assert lines is None or log.lines == lines, (log.lines, lines)
    os.replace(path + ".tmp", path)


def write_no_match(src, path):
    """src without what names its failure: the failing step's lines and the
    error lines BuildKit repeats of it, and every step's header, so that no
    rule matches and no step is known to have failed. The unknown path then
    searches the whole failed phase for likely error lines, its worst case;
    the rest of the log (its noise) is byte for byte src's."""
    failing = None
    with open(src, "rb") as inp, open(path + ".tmp", "wb") as out:
        lines = inp.read().split(b"\n")
        for line in reversed(lines):
            if line.startswith(b"#") and b" ERROR: process " in line:
                failing = line.split(b" ", 1)[0] + b" "
                break
        for line in lines[:-1]:
            words = line.split(b" ", 2)
            if failing and line.startswith(failing):
                continue
            if b"cloud-init==20.4" in line or line.startswith(b" > ["):
                continue
            if line.startswith(b"#") and len(words) > 1 and words[1].startswith(b"["):
                continue
            out.write(line + b"\n")
    os.replace(path + ".tmp", path)


def load_rules(rules_dir):
    rules = []
    for root, _, files in sorted(os.walk(rules_dir)):
        for f in sorted(files):
            if f.endswith(".json") and f != "schema.json":
                with open(os.path.join(root, f), encoding="utf-8") as fh:
                    rules.extend(json.load(fh).get("rules", []))
    return rules


def write_rules(rules_dir, out_dir, count):
    """count rules derived from the real ones: an evenly spread subset, or all
    of them plus copies under renamed ids when count exceeds the pack."""
    real = load_rules(rules_dir)
    if count <= len(real):
        picked = [real[i * len(real) // count] for i in range(count)]
    else:
        picked = list(real)
        k = 0
        while len(picked) < count:
            r = dict(real[k % len(real)])
            r["id"] = "copy%d.%s" % (k // len(real) + 1, r["id"])
            picked.append(r)
            k += 1
    # a rule may explain only rules of the set (the loader refuses an
    # unknown id, and the whole set with it)
    ids = {r["id"] for r in picked}
    for i, r in enumerate(picked):
        if "explains" in r:
            r = dict(r)
            r["explains"] = [e for e in r["explains"] if e in ids]
            if not r["explains"]:
                del r["explains"]
            picked[i] = r
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(out_dir):
        os.remove(os.path.join(out_dir, f))
    with open(os.path.join(out_dir, "rules.json"), "w", encoding="utf-8") as fh:
        json.dump({"rules": picked}, fh, indent=1, ensure_ascii=False)
        fh.write("\n")


def stamp_ok(path, key):
    """Whether path exists and was made by this generator with this key."""
    try:
        with open(path + ".stamp", encoding="utf-8") as fh:
            return fh.read() == key and os.path.exists(path)
    except OSError:
        return False


def stamp(path, key):
    with open(path + ".stamp", "w", encoding="utf-8") as fh:
        fh.write(key)


def generate_all(out, rules_dir):
    os.makedirs(out, exist_ok=True)
    me = hashlib.sha256(open(__file__, "rb").read()).hexdigest()[:16]
    logs = [
        ("scan-100mb.log", None, 100 * 1000 * 1000),
        ("typical-5k.log", 5000, None),
        ("lines-1k.log", 1000, None),
        ("lines-10k.log", 10000, None),
        ("lines-100k.log", 100000, None),
        ("lines-1m.log", 1000000, None),
    ]
    for name, lines, size in logs:
        path = os.path.join(out, name)
        key = "%s %s %s %s" % (me, GENERATOR_VERSION, lines, size)
        if stamp_ok(path, key):
            continue
        print("bench: generating %s" % path, file=sys.stderr)
        write_log(path, lines=lines, size=size, seed=8)
        stamp(path, key)
    for name in ("scan-100mb.log", "typical-5k.log"):
        path = os.path.join(out, "nomatch-" + name)
        key = "%s %s nomatch" % (me, GENERATOR_VERSION)
        if stamp_ok(path, key):
            continue
        print("bench: generating %s" % path, file=sys.stderr)
        write_no_match(os.path.join(out, name), path)
        stamp(path, key)
    rules_key = hashlib.sha256()
    for r in load_rules(rules_dir):
        rules_key.update(json.dumps(r, sort_keys=True).encode())
    for n in (15, 60, 240):
        path = os.path.join(out, "rules-%d" % n)
        key = "%s %s" % (me, rules_key.hexdigest())
        if stamp_ok(path, key):
            continue
        write_rules(rules_dir, path, n)
        stamp(path, key)


def main(argv):
    if len(argv) >= 2 and argv[1] == "all" and len(argv) in (3, 4):
        generate_all(argv[2], argv[3] if len(argv) == 4 else "rules")
        return 0
    if len(argv) >= 2 and argv[1] == "rules" and len(argv) == 6 and argv[2] == "--count":
        write_rules(argv[4], argv[5], int(argv[3]))
        return 0
    if len(argv) >= 5 and argv[1] == "log":
        args = argv[2:]
        seed, lines, size = 1, None, None
        while len(args) > 1:
            opt, val = args[0], args[1]
            if opt == "--lines":
                lines = int(val)
            elif opt == "--bytes":
                size = int(val)
            elif opt == "--seed":
                seed = int(val)
            else:
                break
            args = args[2:]
        if len(args) == 1 and (lines is None) != (size is None) and (lines is None or lines >= 100):
            write_log(args[0], lines=lines, size=size, seed=seed)
            return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
