#!/usr/bin/env python3
# Every [text](target) in README.md, docs/*.md and bench/README.md: the file exists and,
# with #anchor, a heading of that file slugs (GitHub style) to it.
import re, os, sys, glob
root = sys.argv[1]
def slug(h):
    h = h.strip().lower()
    h = re.sub(r'[^\w\- ]', '', h)   # drop punctuation (keeps _ and -)
    return h.replace(' ', '-')
def anchors(path):
    out, fence = set(), False
    for l in open(path, encoding='utf-8'):
        if l.startswith('```'): fence = not fence; continue
        if not fence and l.startswith('#'):
            out.add(slug(l.lstrip('#')))
    return out
bad = 0; n = 0
files = [os.path.join(root, 'README.md'), os.path.join(root, 'bench/README.md')] + glob.glob(os.path.join(root, 'docs/*.md'))
for f in files:
    text = open(f, encoding='utf-8').read()
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    for m in re.finditer(r'\]\(([^)\s]+)\)', text):
        t = m.group(1)
        if re.match(r'[a-z]+:', t): continue
        n += 1
        path, _, anc = t.partition('#')
        target = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        if not os.path.exists(target):
            print(f'{f}: {t}: no such file'); bad += 1; continue
        if anc and (not target.endswith('.md') or anc not in anchors(target)):
            print(f'{f}: {t}: no such anchor'); bad += 1
print(f'{n} links, {bad} broken'); sys.exit(bad > 0)
