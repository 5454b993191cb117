#!/usr/bin/env bash
# Create .venv and install the package with the given extras (default: none).
# Usage: bash scripts/setup.sh [extras]   e.g. bash scripts/setup.sh test
# Writes .venv/.setup-stamp (the hash of pyproject.toml), which run_app.sh compares to skip setup.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=${1:-}
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 is required" >&2; exit 1; }
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
sha256sum pyproject.toml | cut -d' ' -f1 > .venv/.setup-stamp
