#!/usr/bin/env bash
# `smx validate-hashes` against `sha256sum -c` on the same models tree (warm page
# cache, best of RUNS), plus peak memory of each. One JSON line per figure.
#   BIG_MB   size of the large artifact (default 2048: the issue's 2 GB constant-memory case)
#   MID      number of 1 MiB artifacts (default 200), SMALL number of 4 KiB files (default 2000)
#   RUNS     timed runs per tool (default 3)
# Build first: npx tsc -p .
set -euo pipefail
cd "$(dirname "$0")/.."
BIG_MB=${BIG_MB:-2048}; MID=${MID:-200}; SMALL=${SMALL:-2000}; RUNS=${RUNS:-3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
models="$work/models"
mkdir -p "$models/big/1" "$models/mid/1" "$models/small/1"
head -c $((BIG_MB * 1024 * 1024)) /dev/urandom > "$models/big/1/model.onnx"
for i in $(seq 1 "$MID"); do head -c 1048576 /dev/urandom > "$models/mid/1/part-$i.bin"; done
for i in $(seq 1 "$SMALL"); do head -c 4096 /dev/urandom > "$models/small/1/f-$i.json"; done
for v in big/1 mid/1 small/1; do echo a > "$models/$v/feature_names.txt"; echo '{}' > "$models/$v/metrics.json"; done
node bin/smx validate-hashes --models-dir "$models" --update > /dev/null
files=$(find "$models" -type f ! -name 'MANIFEST.sha256*' | wc -l)
bytes=$(du -sb "$models" | cut -f1)
cores=$(nproc)

# best wall time (s) and peak RSS (KiB) of a command over RUNS runs, after one warm-up
measure() {
  "$@" > /dev/null 2>&1 || true
  best=""; rss=0
  for _ in $(seq 1 "$RUNS"); do
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/rss" "$@" > /dev/null 2>&1
    end=$(date +%s.%N)
    t=$(printf '%.3f' "$(echo "$end - $start" | bc)")
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    r=$(cat "$work/rss"); [ "$r" -gt "$rss" ] && rss=$r
  done
  echo "$best $rss"
}

read -r sha_s sha_rss < <(measure bash -c "cd '$models' && sha256sum -c --quiet MANIFEST.sha256")
read -r smx_s smx_rss < <(measure node bin/smx validate-hashes --models-dir "$models")
read -r smx1_s smx1_rss < <(measure node bin/smx validate-hashes --models-dir "$models" --jobs 1)
mb=$(echo "$bytes / 1048576" | bc)
emit() { echo "{\"bench\":\"validate-hashes\",\"tool\":\"$1\",\"seconds\":$2,\"MiB_per_s\":$(printf '%.1f' "$(echo "scale=3; $mb / $2" | bc)"),\"peak_rss_MiB\":$(echo "$3 / 1024" | bc),\"files\":$files,\"MiB\":$mb,\"largest_MiB\":$BIG_MB,\"cores\":$cores,\"baseline\":\"sha256sum -c\"}"; }
emit "sha256sum -c" "$sha_s" "$sha_rss"
emit "smx validate-hashes" "$smx_s" "$smx_rss"
emit "smx validate-hashes --jobs 1" "$smx1_s" "$smx1_rss"
