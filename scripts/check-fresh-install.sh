#!/usr/bin/env bash
# A new user's install, checked as they would do it: clone the committed tree
# into an empty folder, plain `npm ci` (no environment variables), then
# `npx smx --help`, and `npm link` into a private prefix gives a working `smx`.
# CI runs it (.ci/run, after the tests); locally: make check-install.
# It tests what is committed (HEAD), not the working tree. About 30 s with a
# warm npm cache; the registry is the only network it needs.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/smx-fresh-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Whatever the caller's shell or make exported must not make this pass.
unset ONNXRUNTIME_NODE_INSTALL_CUDA ONNXRUNTIME_NODE_INSTALL npm_config_onnxruntime_node_install \
  npm_config_onnxruntime_node_install_cuda npm_config_ignore_scripts

echo "--- git clone $(git -C "$repo" rev-parse --short HEAD) into $work/smx"
git clone --quiet --no-local "$repo" "$work/smx"
cd "$work/smx"

echo "--- npm ci (plain)"
npm ci --no-audit --no-fund

echo "--- npx smx --help"
npx smx --help >"$work/help.txt"
grep -q '^Usage: smx ' "$work/help.txt" || { cat "$work/help.txt"; echo "npx smx --help printed no usage" >&2; exit 1; }
npx smx --version

echo "--- npm link (into a private prefix), then smx --help from PATH"
npm_config_prefix="$work/prefix" npm link --no-audit --no-fund >/dev/null
PATH="$work/prefix/bin:$PATH" smx loadtest --help | grep -q -- '--threshold' ||
  { echo "the linked smx does not run, or is not this tree's" >&2; exit 1; }
echo "fresh install: ok"
