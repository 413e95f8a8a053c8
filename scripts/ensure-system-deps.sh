#!/usr/bin/env bash
# Install the Debian packages the tests need when they are missing: Chromium (browser tests,
# driven by Playwright), PostgreSQL (the second run of the suite) and nginx (the TLS proxy in
# front of `lantern serve` in tests/security/test_serving.py), and Pango, HarfBuzz's subsetter and
# a font for WeasyPrint (the annual report's PDF), and poppler's pdftotext for its tests.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
for lib in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
  libharfbuzz-subset.so.0:libharfbuzz-subset0; do
  ldconfig -p | grep -q "${lib%%:*}" || need+=("${lib#*:}")
done
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)  # the report's tests read its text
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "error: missing ${need[*]}; install with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
echo "installing ${need[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
