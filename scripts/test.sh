#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine and run the whole suite.
# Installs Debian's chromium and a CJK font for the browser tests, and libcap2-bin (capsh) so the
# unreadable-file tests also hold when run as root, and PostgreSQL with PostGIS for the PostGIS
# store tests (they start their own throwaway cluster; needs root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! [ -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "wqy" || ! [ -x /sbin/capsh ] \
   || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
   || ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-wqy-microhei libcap2-bin \
    postgresql postgresql-15-postgis-3 >/dev/null
fi
bash scripts/setup.sh test
exec .venv/bin/python -m pytest -q "$@"
