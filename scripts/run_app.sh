#!/usr/bin/env bash
# Start the app on http://127.0.0.1:8501 with no network access needed.
# Usage: bash scripts/run_app.sh [--expose] [streamlit options]
#   .venv is set up only when it is missing or pyproject.toml changed since the last setup
#   (stamp .venv/.setup-stamp); the store is built from seeds/ only when data/projects.gpkg is missing.
#   Binds 127.0.0.1. --expose (or GEO_EXPOSE=1) binds 0.0.0.0 and announces GEO_PUBLIC_HOST
#   (default: this machine's first address), so Streamlit never looks up its external IP.
#   Exposed, the app is read-only unless GEO_EDITOR_PASSWORD (or editor_password in
#   .streamlit/secrets.toml) is set; see README "Safe to expose".
set -euo pipefail
cd "$(dirname "$0")/.."
expose=${GEO_EXPOSE:-0}
args=()
for arg in "$@"; do
  if [ "$arg" = "--expose" ]; then expose=1; else args+=("$arg"); fi
done
if [ ! -x .venv/bin/streamlit ] || [ "$(cat .venv/.setup-stamp 2>/dev/null)" != "$(sha256sum pyproject.toml | cut -d' ' -f1)" ]; then
  bash scripts/setup.sh
fi
[ -f data/projects.gpkg ] || .venv/bin/python -m geo build --input seeds --db data/projects.gpkg
if [ "$expose" = "1" ]; then
  host=${GEO_PUBLIC_HOST:-$(hostname -I 2>/dev/null | awk '{print $1}')}
  net=(--server.address 0.0.0.0 --browser.serverAddress "${host:-localhost}")
else
  net=(--server.address 127.0.0.1)
fi
exec .venv/bin/python -m geo.web.serve "${net[@]}" ${args[@]+"${args[@]}"}
