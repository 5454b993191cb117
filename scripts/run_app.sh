#!/usr/bin/env bash
# Set up, build the store from seeds/ if it is missing, and start the app on http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f data/projects.gpkg ] || .venv/bin/python -m geo build --input seeds --db data/projects.gpkg
exec .venv/bin/streamlit run app.py "$@"
