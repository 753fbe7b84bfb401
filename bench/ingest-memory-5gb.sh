#!/usr/bin/env bash
# Peak memory of `smx ingest` on a ~5 GB CSV stream (issue 3: under 300 MB).
# The CSV is generated on the fly (smx generate → stdin), counted on its way in,
# and loaded into a fresh database that is dropped afterwards. Takes 10-20 min
# on 2 cores and needs about 15 GB of free disk for PostgreSQL.
#   bash bench/ingest-memory-5gb.sh [rows, default 85000000 ≈ 5 GB]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-85000000}
sensors=100
admin=${SMX_BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
db=smx_bench_mem_$$
url="${admin%/*}/$db"
work=$(mktemp -d)
trap 'psql -qX "$admin" -c "drop database if exists $db with (force)" >/dev/null; rm -rf "$work"' EXIT
psql -qX "$admin" -c "create database $db" >/dev/null
export SMX_DATABASE_URL=$url SMX_LOG_LEVEL=warn
node bin/smx migrate >/dev/null
days=$(python3 -c "print($rows / $sensors / 1440)")
set +e
node bin/smx generate --sensors $sensors --days "$days" --seed 3 \
  | tee >(wc -c > "$work/bytes") \
  | /usr/bin/time -v -o "$work/time" node bin/smx ingest - --idempotency-key "mem-$rows" --json > "$work/summary.json"
status=$?
set -e
sleep 1
[ $status -eq 0 ] || { cat "$work/time" >&2; exit $status; }
peak_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
bytes=$(cat "$work/bytes")
node -e '
const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(JSON.stringify({ bench: "ingest-memory", figure: "smx ingest peak RSS on a generated CSV stream", bytes: Number(process.argv[2]),
  gib: +(Number(process.argv[2]) / 2 ** 30).toFixed(2), rows: s.inserted, peakRssMB: Math.round(Number(process.argv[3]) / 1024), targetMB: 300,
  seconds: s.seconds, rowsPerSecond: s.rowsPerSecond }));' "$work/summary.json" "$bytes" "$peak_kb"
