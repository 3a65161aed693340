#!/usr/bin/env bash
# Install the Debian packages named as arguments, but only those that are missing.
# An argument COMMAND=PACKAGE installs PACKAGE only when COMMAND is not on the PATH
# (so a Node.js or Java installed some other way is used as it is).
# Used by the Makefile so that `make serve` and `make test` work on a bare Debian 12 machine.
set -euo pipefail

missing=()
for arg in "$@"; do
  if [[ "$arg" == *=* ]]; then
    command -v "${arg%%=*}" >/dev/null 2>&1 || missing+=("${arg#*=}")
    continue
  fi
  status=$(dpkg-query -W -f='${Status}' "$arg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$arg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "These Debian packages are missing: ${missing[*]}" >&2
  echo "Install them as root (apt-get install ${missing[*]}) and run make again." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
