# English known-item set for docs/QUALITY.md (fourth pass). Usage: build_en.py HTML_DIR OUT MAX_PAGES MAX_BYTES
# English known-item set from PostgreSQL 15's back-of-book index (postgresql-doc-15, PostgreSQL licence),
# built the way ../shared/eval builds the Spanish one from LibreOffice's help index.
import html, json, os, random, re, shutil, sys
src = sys.argv[1]; out = sys.argv[2]; max_pages = int(sys.argv[3]); max_bytes = int(sys.argv[4])
s = open(os.path.join(src, 'bookindex.html'), encoding='utf-8').read()
s = s[s.find('<div class="indexdiv"'):]
entries = []  # (text, [pages])
# walk dt/dd nesting with a small tokenizer
stack = []
last = None
for m in re.finditer(r'<dt[^>]*>(.*?)</dt>|<dd>|</dd>', s, re.S):
    tok = m.group(0)
    if tok == '<dd>':
        stack.append(last); continue
    if tok == '</dd>':
        stack.pop(); continue
    body = m.group(1)
    term = html.unescape(re.sub(r'<[^>]+>', '', body.split('<a')[0])).strip().rstrip(',').strip()
    pages = sorted({h.split('#')[0] for h in re.findall(r'href="([^"]+)"', body) if not h.startswith('#')})
    path = [p for p in stack if p] + [term]
    last = term
    if pages and 'see' not in term.lower():
        entries.append(('; '.join(path), pages))
def words(t): return re.findall(r'\w+', t.lower())
def page_text(p):
    t = open(os.path.join(src, p), encoding='utf-8', errors='replace').read()
    t = re.sub(r'(?s)<(script|style)[^>]*>.*?</\1>', ' ', t)
    return ' '.join(words(html.unescape(re.sub(r'<[^>]+>', ' ', t))))
merged = {}
for text, pages in entries:
    if len(words(text)) < 3: continue
    merged.setdefault(text, set()).update(pages)
cache = {}
qs = []
for text, pages in merged.items():
    pages = sorted(p for p in pages if os.path.exists(os.path.join(src, p)))
    if not pages or len(pages) > 2: continue
    parts = [' '.join(words(x)) for x in text.split('; ')]
    verb = False
    for p in pages:
        if p not in cache: cache[p] = page_text(p)
        if ' '.join(parts) in cache[p] or ' '.join(reversed(parts)) in cache[p]: verb = True
    if verb: continue
    qs.append((text, pages))
rnd = random.Random(15)
rnd.shuffle(qs)
# a corpus under max_bytes of HTML: pages of the queries first (smallest targets first), then distractors
size = lambda p: os.path.getsize(os.path.join(src, p))
chosen = set(); total = 0; kept = []
for text, pages in sorted(qs, key=lambda q: sum(size(p) for p in q[1])):
    need = [p for p in pages if p not in chosen]
    add = sum(size(p) for p in need)
    if total + add > max_bytes * 0.7 or len(chosen) + len(need) > max_pages * 0.7: continue
    chosen.update(need); total += add; kept.append((text, pages))
others = [p for p in sorted(os.listdir(src)) if p.endswith('.html') and p not in chosen and p != 'bookindex.html']
rnd.shuffle(others)
for p in others:
    if total + size(p) > max_bytes or len(chosen) >= max_pages: continue
    chosen.add(p); total += size(p)
os.makedirs(os.path.join(out, 'docs'), exist_ok=True)
for p in chosen: shutil.copy(os.path.join(src, p), os.path.join(out, 'docs', p))
kept.sort(key=lambda q: q[0])
with open(os.path.join(out, 'queries.jsonl'), 'w') as f:
    for i, (text, pages) in enumerate(kept):
        f.write(json.dumps({'id': 'e%04d' % (i + 1), 'query': text, 'relevant': pages, 'lang': 'en'}) + '\n')
print(len(merged), 'entries >=3 words;', len(qs), 'not verbatim;', len(kept), 'queries over', len(chosen), 'pages,', total, 'bytes')
