#!/usr/bin/env bash
# Render an example's HTML report to a PNG with headless Chromium, so anyone can look at it.
#
#   scripts/report_png.sh [EXAMPLE] [OUT.png] [LANG]
#
# Needs the `samskaping` command (pip install -e .) and Chromium from Debian's packages
# (apt-get install chromium). The report is one self-contained file; Chromium is started
# with networking features off, and the page needs no network.
set -euo pipefail

example=${1:-innbyggerbasen}
out=${2:-report-$example.png}
lang=${3:-nb}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "error: Chromium not found; install it with: apt-get install chromium" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
samskaping report --example "$example" --format html --lang "$lang" -o "$work/report.html"

"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size=1100,"${HEIGHT:-5000}" \
  --screenshot="$work/report.png" "file://$work/report.html" >/dev/null 2>&1
mv "$work/report.png" "$out"
echo "wrote $out"
