#!/usr/bin/env bash
# What the handouts need (delivery/handouts.py): WeasyPrint's system libraries from Debian
# (pango for text layout, HarfBuzz's subsetter to embed only the glyphs used) and the
# DejaVu fonts the handouts print in. Installed with apt-get when missing and run as root;
# otherwise it says what to install, and the service answers handouts with a 503 until then.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "Handouts need these Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    exit 0
fi
echo "== Installing ${missing[*]} (Debian packages) for the handouts"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q "${missing[@]}" >/dev/null
