#!/usr/bin/env bash
# Recomputes the DVC 3 directory hashes used in test/dvc with CPython and dvc-data's
# algorithm (Tree.as_bytes: json.dumps(sorted by relpath, sort_keys=True), md5 + ".dir";
# plain md5 per file), and compares them with `smx data add` on the same folders.
# Needs python3 and ../shared/data. Prints one JSON line per fixture.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
shared=${SMX_SHARED_DIR:-../shared}

mkdir -p "$work/a/data/skab" "$work/b/data/sub dir/ü" "$work/b/data/.git" "$work/b/data/.dvc"
cp "$shared/data/ai4i2020/ai4i2020.csv" "$work/a/data/"
cp "$shared/data/skab/valve1/1.csv" "$work/a/data/skab/"
( cd "$work/b/data"
  printf 'a,b\r\n1,2\r\n' > crlf.csv; printf x > "sub dir/ü/naïve \"q\".txt"; : > empty; printf z > Z
  printf e > 😀.bin; printf f > ﬀ.bin; printf t > "$(printf 'tab\tname')"; printf b > 'back\slash'
  printf c > "$(printf 'ctl\x7f')"; printf g > .git/x; printf h > .dvc/y )
mkdir -p "$work/c/data"; cp -r "$shared/data/skab/." "$work/c/data/"

for fixture in a b c; do
  python=$(python3 - "$work/$fixture/data" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]; entries = []; size = 0
for dirpath, dirs, files in os.walk(root):
    dirs[:] = [d for d in dirs if d not in ('.git', '.hg', '.dvc')]
    for f in files:
        p = os.path.join(dirpath, f); data = open(p, 'rb').read(); size += len(data)
        entries.append({'md5': hashlib.md5(data).hexdigest(), 'relpath': os.path.relpath(p, root).replace(os.sep, '/')})
entries.sort(key=lambda e: e['relpath'])
print(hashlib.md5(json.dumps(entries, sort_keys=True).encode('utf-8')).hexdigest() + '.dir', size, len(entries))
PY
)
  smx=$(cd "$work/$fixture" && node "$OLDPWD/bin/smx" data add data --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(r.md5,r.size,r.nfiles)})')
  same=false; [ "$python" = "$smx" ] && same=true
  echo "{\"fixture\":\"$fixture\",\"python\":\"$python\",\"smx\":\"$smx\",\"same\":$same}"
done
