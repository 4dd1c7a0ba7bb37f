#!/usr/bin/env bash
# The fourth pass's Spanish + English evaluation set (docs/QUALITY.md): the public Spanish set
# (../shared/eval) beside 796 English known-item queries from PostgreSQL 15's back-of-book index
# over 500 of its manual's pages, in one folder, and its two halves (tuning, held out), alternate
# queries of each language. Usage: docs/quality/mixed.sh EVAL_DATA OUT
set -euo pipefail
eval_data=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/pg" "$out/mixed/docs/pg"
(cd "$out/pg" && apt-get download postgresql-doc-15 && dpkg-deb -x postgresql-doc-15_*.deb x)
python3 "$here/build_en.py" "$out/pg/x/usr/share/doc/postgresql-doc-15/html" "$out/en" 500 12000000
cp -r "$eval_data/public/docs/es" "$out/mixed/docs/"
cp "$out/en/docs/"* "$out/mixed/docs/pg/"
python3 - "$eval_data/public/queries.jsonl" "$out/en/queries.jsonl" "$out/mixed" <<'PY'
import json, sys
es, en, out = sys.argv[1:4]
lines = list(open(es))
for l in open(en):
    q = json.loads(l); q['relevant'] = ['pg/' + p for p in q['relevant']]; lines.append(json.dumps(q) + '\n')
open(out + '/queries.jsonl', 'w').writelines(lines)
seen = {}
with open(out + '/tune.jsonl', 'w') as t, open(out + '/hold.jsonl', 'w') as h:
    for l in lines:
        lang = json.loads(l)['lang']; i = seen.get(lang, 0); seen[lang] = i + 1
        (t if i % 2 == 0 else h).write(l)
PY
