#!/usr/bin/env bash
# Debian packages the test suite drives for real: Chromium (browser tests) and PostgreSQL (store tests).
# Installs only what is missing, so a second `make test` does not touch apt.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "install-system-deps: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; fi
else SUDO=""; fi
echo "install-system-deps: apt-get install ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
