#!/usr/bin/env bash
# Installs what the console's browser test drives: Debian's chromium and chromedriver
# (ConsoleBrowserTest). Nothing happens when both are there already.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "browser: chromium and chromedriver are missing; install the Debian packages chromium and chromium-driver (as root)" >&2
    exit 1
  fi
fi
echo "browser: installing Debian's chromium and chromium-driver for the console's browser test" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
/usr/bin/chromium --version >&2
