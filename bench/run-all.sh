#!/usr/bin/env bash
# make bench: every benchmark, each printing one JSON line per figure together
# with its baseline measured in the same run (psql \copy, wrk, SciPy, scikit-learn).
# Needs PostgreSQL on 127.0.0.1:5432, ../shared/data, and for the baselines
# Debian's python3-scipy, python3-sklearn and wrk:
#   apt-get install python3-scipy python3-sklearn wrk
# Results are appended to bench/out/results.ndjson. Run one alone with e.g.
#   node bench/ingest-throughput.mjs
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
out=bench/out/results.ndjson
status=0
run() {
  echo "# $*" >&2
  "$@" | tee -a "$out" || status=1
}
run node bench/ingest-throughput.mjs
run node bench/export-throughput.mjs
run node bench/train-ai4i.mjs
run node bench/predict-bench.mjs
run node bench/drift-bench.mjs
run node bench/drift-db-bench.mjs
run node bench/features-throughput.mjs
run node bench/anomaly-bench.mjs
run node bench/serve-ingest.mjs
run bash bench/hashes-vs-sha256sum.sh
run bash bench/hashes-dvc-crosscheck.sh
exit $status
