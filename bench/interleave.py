#!/usr/bin/env python3
"""Times several commands round-robin, so that machine noise hits them alike: wall time from spawn
to the first stdout line, and the CPU time (user + sys, all threads) the process used in all.
One untimed warm-up round first. Medians and minimums over --runs rounds.

  bench/interleave.py --runs 9 'label=cmd args...' 'label2=cmd2 ...'

A command whose first line is JSON with "first_result_ms" (bench/chroma-coldstart.mjs) reports its
own times: that value as wall time and "server_cpu_ms" as CPU time.

CPU time is what a command costs whatever else the machine runs; on a shared, loaded machine it
is steadier than wall time, and on an idle one wall time follows it.
"""
import argparse, json, os, shlex, statistics, subprocess, time

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=9)
p.add_argument("commands", nargs="+", help="label=command line")
a = p.parse_args()
cmds = [(c.split("=", 1)[0], shlex.split(c.split("=", 1)[1])) for c in a.commands]
wall = {label: [] for label, _ in cmds}
cpu = {label: [] for label, _ in cmds}

def run(argv):
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = proc.stdout.readline()
    t1 = time.perf_counter()
    proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or not line.strip():
        raise SystemExit(f"{argv} failed: exit {proc.returncode}, first line {line!r}")
    if line.startswith(b"{"):
        own = json.loads(line)
        if "first_result_ms" in own:
            return own["first_result_ms"], own.get("server_cpu_ms", float("nan"))
    return (t1 - t0) * 1000, (usage.ru_utime + usage.ru_stime) * 1000

for label, argv in cmds:
    run(argv)
for _ in range(a.runs):
    for label, argv in cmds:
        w, c = run(argv)
        wall[label].append(w)
        cpu[label].append(c)
for label, _ in cmds:
    w, c = sorted(wall[label]), sorted(cpu[label])
    print(f"{label:28s} wall median {statistics.median(w):7.1f} ms  min {w[0]:7.1f}  max {w[-1]:7.1f}"
          f"   cpu median {statistics.median(c):7.1f} ms  min {c[0]:7.1f}")
