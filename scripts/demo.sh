#!/usr/bin/env bash
# The main job, end to end, on the embedded PostgreSQL in ./.smx (no services to
# set up): generate → ingest → train → drift → retrain → validate-hashes → export.
# Each step is a plain smx command you can run yourself; outputs go to .smx/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
unset SMX_DATABASE_URL DATABASE_URL SMX_REDIS_URL REDIS_URL
export SMX_LOG_LEVEL="${SMX_LOG_LEVEL:-warn}"
out=.smx/demo
smx() { node bin/smx "$@"; }
step() { printf '\n\033[1m== smx %s\033[0m\n' "$*"; }

rm -rf "$out" && mkdir -p "$out/exports"
step "db start   (embedded PostgreSQL kept running for the demo; stopped at the end)"
smx db start
trap 'node bin/smx db stop >/dev/null' EXIT

step "migrate"
smx migrate

step "generate   (20 sensors, 14 days at 1-minute resolution, anomalies, drift from day 11)"
smx generate --sensors 20 --days 14 --seed 1 --anomalies --drift-at 2024-01-11T00:00:00Z \
  --labels "$out/labels.csv" -o "$out/readings.csv"

step "ingest     (COPY, validated, idempotent)"
smx ingest "$out/readings.csv" --rejects "$out/rejects.ndjson"
step "ingest     (the same file again: nothing is inserted twice)"
smx ingest "$out/readings.csv"

step "train      (isolation forest over the hourly aggregates in PostgreSQL; registry in $out/models)"
smx train pipelines/sensor-hourly-if.yaml --models-dir "$out/models"
smx models list --models-dir "$out/models"

step "drift      (first week vs the days after the injected drift; HTML report; publishes drift.detected)"
smx drift --sensor-type temperature --reference 2024-01-01..2024-01-08 --current 2024-01-11..2024-01-15 \
  --report "$out/drift.html" --emit
smx events list --type drift.detected

step "retrain    (re-run the champion's pipeline on the fresh window, compare both on the held-out days)"
smx retrain sensor-hourly-anomaly --force --until 2024-01-15 --window 14d --models-dir "$out/models"
smx retrain --history

step "validate-hashes (the committed models/ and the demo registry)"
smx validate-hashes
smx validate-hashes --models-dir "$out/models"

step "export     (incremental, for cron: each row exactly once)"
smx export --incremental --state demo -o "$out/exports"
smx export --incremental --state demo -o "$out/exports"

printf '\nDone. Drift report: %s/drift.html · exports: %s/exports · models: %s/models\n' "$out" "$out" "$out"
