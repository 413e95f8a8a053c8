#!/usr/bin/env bash
# Print a Python >= 3.12 interpreter (Django 6 needs 3.12): PATH first, then pyenv's builds.
set -euo pipefail
for c in python3.13 python3.12 python3; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    command -v "$c"; exit 0
  fi
done
for c in /root/.pyenv/versions/3.12*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3 /usr/local/bin/python3.1[2-9]; do
  if [ -x "$c" ]; then echo "$c"; exit 0; fi
done
echo "error: Lantern needs Python 3.12 or newer (Django 6); install python3.12" >&2
exit 1
