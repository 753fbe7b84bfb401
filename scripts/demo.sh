#!/usr/bin/env bash
# The main job, end to end, on the embedded PostgreSQL in ./.smx (no services to set up).
# Each step is a plain smx command you can run yourself.
set -euo pipefail
cd "$(dirname "$0")/.."
unset SMX_DATABASE_URL DATABASE_URL SMX_REDIS_URL REDIS_URL
smx() { node bin/smx "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "smx migrate (embedded PostgreSQL in .smx/postgres)"
smx migrate
smx migrate --status
step "smx db status"
smx db status
