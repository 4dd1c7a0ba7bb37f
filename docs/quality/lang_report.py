#!/usr/bin/env python3
"""Per-language means and paired bootstrap from `ancla eval --grid --per-query` output.
Usage: lang_report.py PERQUERY QUERIES.jsonl [A B ...pairs]   (no pairs: table of every config)"""
import json, random, sys
per, queries = sys.argv[1], sys.argv[2]
pairs = sys.argv[3:]
lang = {}
for l in open(queries):
    q = json.loads(l); lang[q['id']] = q.get('lang', '?')
scores = {}
for line in open(per):
    name, qid, rr, nd = line.rstrip('\n').split('\t')
    scores.setdefault(name, {})[qid] = (float(rr), float(nd))
langs = sorted(set(lang.values()))
def mean(xs): return sum(xs) / len(xs) if xs else float('nan')
if not pairs:
    print('config\t' + '\t'.join(f'{g} MRR\t{g} nDCG' for g in langs + ['all']))
    for name, s in scores.items():
        row = []
        for g in langs + ['all']:
            ids = [i for i in s if g == 'all' or lang.get(i) == g]
            row += [f'{mean([s[i][0] for i in ids]):.4f}', f'{mean([s[i][1] for i in ids]):.4f}']
        print(name + '\t' + '\t'.join(row))
    sys.exit()
rng = random.Random(42)
for a, b in zip(pairs[::2], pairs[1::2]):
    for g in langs + ['all']:
        ids = sorted(i for i in set(scores[a]) & set(scores[b]) if g == 'all' or lang.get(i) == g)
        out = []
        for m in (0, 1):
            d = [scores[b][i][m] - scores[a][i][m] for i in ids]
            means = sorted(mean([d[rng.randrange(len(d))] for _ in d]) for _ in range(10000))
            out.append(f'{mean(d):+.4f} [{means[249]:+.4f}, {means[9749]:+.4f}]')
        better = sum(scores[b][i][0] > scores[a][i][0] for i in ids); worse = sum(scores[b][i][0] < scores[a][i][0] for i in ids)
        print(f'{b} - {a} [{g}, {len(ids)}]: MRR {out[0]}  nDCG {out[1]}  better/worse {better}/{worse}')
