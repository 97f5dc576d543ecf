#!/usr/bin/env python3
"""bench/stats.py - the arithmetic of the benchmarks, standard library only.

  stats.py median HYPERFINE.json          median wall time (s) of its first command
  stats.py time RUNS WARMUP CMD [ARG...]  time CMD (stdout discarded) when hyperfine
                                          is missing; prints the median in seconds
  stats.py fit X Y [X Y...]               least-squares line: slope, intercept, R^2,
                                          and the log-log exponent (1 = linear)
  stats.py pairs RUNS WARMUP 'CMD_A' 'CMD_B'
                                          A and B in turn (A B A B ...), each run's wall
                                          time and peak RSS (wait4); prints the median,
                                          min and max of A/B taken pair by pair, A's and
                                          B's median seconds and A's largest peak RSS in
                                          bytes (commands split as a shell splits words)
"""
import os
import shlex
import json
import math
import statistics
import subprocess
import sys
import time


def median_of(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return statistics.median(data["results"][0]["times"])


def time_cmd(runs, warmup, cmd):
    times = []
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run_once(cmd):
    """Wall seconds and peak RSS (bytes) of one run of cmd, stdout discarded."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = 0  # reaped by wait4
    return wall, usage.ru_maxrss * 1024


def pairs(runs, warmup, cmd_a, cmd_b):
    """A and B interleaved: pairing keeps each ratio meaningful when the
    machine's speed drifts during the run."""
    a, b = shlex.split(cmd_a), shlex.split(cmd_b)
    ratios, ta, tb, peak = [], [], [], 0
    for i in range(warmup + runs):
        wa, ra = run_once(a)
        wb, _ = run_once(b)
        if i < warmup:
            continue
        ratios.append(wa / wb)
        ta.append(wa)
        tb.append(wb)
        peak = max(peak, ra)
    return (statistics.median(ratios), min(ratios), max(ratios),
            statistics.median(ta), statistics.median(tb), peak)


def fit(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    slope = sxy / sxx
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys))
    r2 = 1 - ss_res / ss_tot if ss_tot else 1.0
    # growth exponent between the two largest sizes, where fixed start-up
    # costs matter least: 1 is linear, 2 quadratic
    (x1, y1), (x2, y2) = sorted(zip(xs, ys))[-2:]
    exponent = math.log(y2 / y1) / math.log(x2 / x1) if y1 > 0 and y2 > 0 and x2 != x1 else float("nan")
    return slope, intercept, r2, exponent


def main(argv):
    if len(argv) == 3 and argv[1] == "median":
        print("%.6f" % median_of(argv[2]))
        return 0
    if len(argv) >= 5 and argv[1] == "time":
        print("%.6f" % time_cmd(int(argv[2]), int(argv[3]), argv[4:]))
        return 0
    if len(argv) == 6 and argv[1] == "pairs":
        print("%.4f %.4f %.4f %.6f %.6f %d" % pairs(int(argv[2]), int(argv[3]), argv[4], argv[5]))
        return 0
    if len(argv) >= 6 and argv[1] == "fit" and len(argv) % 2 == 0:
        vals = [float(v) for v in argv[2:]]
        slope, intercept, r2, exponent = fit(vals[0::2], vals[1::2])
        print("%.9g %.9g %.6f %.3f" % (slope, intercept, r2, exponent))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
