#!/usr/bin/env bash
# Where the time of a load goes on the PostgreSQL side: psql \copy of the ingest bench CSV
# into each kind of target, alternating rounds, one JSON line per target (median and runs).
# Targets: the bench's plain table (6 columns, same primary key); the same with the 4 columns
# sensor_readings takes; sensor_readings through the parent (hourly statement trigger with a
# transition table: COPY inserts row by row); the parent with that trigger disabled (still row
# by row: PostgreSQL decides from the trigger's existence) and dropped; one weekly partition
# directly (what `smx ingest` does); and a temporary staging table + INSERT … ON CONFLICT DO NOTHING.
# Needs a built tree (npx tsc -p .), psql, and the CSV made by bench/ingest-throughput.mjs.
# Env: SMX_BENCH_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), SMX_BENCH_ROUNDS (3),
#      SMX_BENCH_CSV (/tmp/smx-bench-1000000.csv).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
admin="${SMX_BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
rounds="${SMX_BENCH_ROUNDS:-3}"
csv="${SMX_BENCH_CSV:-/tmp/smx-bench-1000000.csv}"
db="smx_bench_targets_$$"
url="${admin%/*}/$db"
four="$(mktemp /tmp/smx-bench-4col-XXXXXX.csv)"
out="$(mktemp /tmp/smx-bench-targets-XXXXXX.txt)"
trap 'psql -qX "$admin" -c "drop database if exists $db with (force)" >/dev/null; rm -f "$four" "$out"' EXIT
[ -f "$csv" ] || { echo "no $csv: run bench/ingest-throughput.mjs once first" >&2; exit 2; }

psql -qX "$admin" -c "create database $db"
SMX_DATABASE_URL="$url" SMX_LOG_LEVEL=warn node "$root/bin/smx" migrate >/dev/null
cut -d, -f1,2,3,6 "$csv" > "$four" # sensor_id,timestamp,value,quality
P=(psql -qX -v ON_ERROR_STOP=1 "$url")
first="$(sed -n 2p "$four" | cut -d, -f2)"
last="$(tail -n 1 "$four" | cut -d, -f2)"
"${P[@]}" -c "select smx_ensure_partitions('$first', '$last')" >/dev/null
leaf="$("${P[@]}" -At -c "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'sensor_readings'::regclass order by 1 limit 1")"
[ "$(cut -d, -f2 "$four" | tail -n +2 | cut -c1-10 | sort -u | wc -l)" -le 7 ] || echo "note: the CSV spans more than one week; the partition target gets only its first week" >&2
"${P[@]}" -c "create table plain6 (sensor_id text, ts timestamptz, value float8, sensor_type text, unit text, quality real, primary key (sensor_id, ts))"
"${P[@]}" -c "create table plain4 (sensor_id text, ts timestamptz, value float8, quality real, primary key (sensor_id, ts))"
fold="create trigger sensor_readings_fold_hourly after insert on sensor_readings referencing new table as new_rows for each statement execute function smx_fold_hourly()"

timed() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
for round in $(seq 1 "$rounds"); do
  for target in plain6 plain4 parent parent_trigger_disabled parent_trigger_dropped partition staging_upsert; do
    "${P[@]}" -c "truncate plain4, plain6, sensor_readings, sensor_readings_hourly" -c checkpoint
    case $target in
      plain6) s=$(timed "${P[@]}" -c "\\copy plain6 from '$csv' csv header") ;;
      plain4) s=$(timed "${P[@]}" -c "\\copy plain4 from '$four' csv header") ;;
      parent) s=$(timed "${P[@]}" -c "\\copy sensor_readings (sensor_id, ts, value, quality) from '$four' csv header") ;;
      parent_trigger_disabled)
        "${P[@]}" -c "alter table sensor_readings disable trigger sensor_readings_fold_hourly"
        s=$(timed "${P[@]}" -c "\\copy sensor_readings (sensor_id, ts, value, quality) from '$four' csv header")
        "${P[@]}" -c "alter table sensor_readings enable trigger sensor_readings_fold_hourly" ;;
      parent_trigger_dropped)
        "${P[@]}" -c "drop trigger sensor_readings_fold_hourly on sensor_readings"
        s=$(timed "${P[@]}" -c "\\copy sensor_readings (sensor_id, ts, value, quality) from '$four' csv header")
        "${P[@]}" -c "$fold" ;;
      partition) s=$(timed "${P[@]}" -c "\\copy $leaf (sensor_id, ts, value, quality) from '$four' csv header") ;;
      staging_upsert) s=$(timed "${P[@]}" -c "create temp table st (sensor_id text, ts timestamptz, value float8, quality real)" \
        -c "\\copy st from '$four' csv header" \
        -c "insert into sensor_readings (sensor_id, ts, value, quality) select * from st order by sensor_id, ts on conflict do nothing") ;;
    esac
    echo "$target $s" >> "$out"
  done
done
for target in plain6 plain4 parent parent_trigger_disabled parent_trigger_dropped partition staging_upsert; do
  runs="$(awk -v t="$target" '$1 == t { print $2 }' "$out" | paste -sd, -)"
  median="$(awk -v t="$target" '$1 == t { print $2 }' "$out" | sort -n | awk '{ a[NR] = $1 } END { print a[int(NR / 2) + 1] }')"
  echo "{\"bench\":\"ingest-copy-targets\",\"target\":\"$target\",\"seconds\":$median,\"runs\":[$runs]}"
done
