#!/usr/bin/env bash
# make bench: every benchmark, each printing one JSON line per figure together
# with its baseline measured in the same run (psql \copy, wrk, SciPy, scikit-learn).
# Needs PostgreSQL on 127.0.0.1:5432 and, for the baselines, Debian's
# python3-scipy, python3-sklearn and wrk (apt-get install python3-scipy python3-sklearn wrk).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
status=0
for script in bench/*-bench.mjs; do
  [ -e "$script" ] || continue
  echo "# $script" >&2
  node "$script" | tee -a bench/out/results.ndjson || status=1
done
exit $status
