#!/usr/bin/env python3
"""Paired bootstrap of per-query differences between two fusion settings.

Reads the TSV that `ancla eval --grid FILE --per-query OUT` writes (name, id, reciprocal rank,
nDCG) and prints the mean difference of B minus A with a 95% interval over 10,000 resamples of
the queries. Usage: bootstrap.py OUT A B
"""
import random
import sys


def main(path, a, b):
    scores = {}
    for line in open(path, encoding="utf-8"):
        name, qid, rr, ndcg = line.rstrip("\n").split("\t")
        scores.setdefault(name, {})[qid] = (float(rr), float(ndcg))
    ids = sorted(set(scores[a]) & set(scores[b]))
    rng = random.Random(42)
    for metric, i in (("MRR", 0), ("nDCG", 1)):
        diffs = [scores[b][q][i] - scores[a][q][i] for q in ids]
        means = []
        for _ in range(10_000):
            sample = [diffs[rng.randrange(len(diffs))] for _ in diffs]
            means.append(sum(sample) / len(sample))
        means.sort()
        better = sum(d > 0 for d in diffs)
        worse = sum(d < 0 for d in diffs)
        print(f"{b} - {a} [{metric}]: {sum(diffs) / len(diffs):+.4f}"
              f"  95% CI [{means[249]:+.4f}, {means[9749]:+.4f}]"
              f"  queries better/worse {better}/{worse} of {len(ids)}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
