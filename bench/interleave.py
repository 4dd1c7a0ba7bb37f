#!/usr/bin/env python3
"""Times several commands round-robin (so machine noise hits them alike): spawn -> first stdout
line, median and min over --runs rounds, after one untimed warm-up round.

  bench/interleave.py --runs 9 'label=cmd args...' 'label2=cmd2 ...'
"""
import argparse, shlex, statistics, subprocess, time

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=9)
p.add_argument("commands", nargs="+", help="label=command line")
a = p.parse_args()
cmds = [(c.split("=", 1)[0], shlex.split(c.split("=", 1)[1])) for c in a.commands]
times = {label: [] for label, _ in cmds}

def run(argv):
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = proc.stdout.readline()
    t1 = time.perf_counter()
    proc.stdout.read()
    if proc.wait() != 0 or not line.strip():
        raise SystemExit(f"{argv} failed: exit {proc.returncode}, first line {line!r}")
    return (t1 - t0) * 1000

for label, argv in cmds:
    run(argv)
for _ in range(a.runs):
    for label, argv in cmds:
        times[label].append(run(argv))
for label, _ in cmds:
    t = sorted(times[label])
    print(f"{label:40s} median {statistics.median(t):7.1f} ms  min {t[0]:7.1f}  max {t[-1]:7.1f}")
