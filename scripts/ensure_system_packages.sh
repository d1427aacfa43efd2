#!/usr/bin/env bash
# The Debian packages the tests need (with `run`, what `make run` needs; with `venv PYTHON`, what
# a venv of Debian's Python needs): installed when missing and we are root, named otherwise.
set -euo pipefail

need=()
if [ "${1:-}" = venv ]; then
  # Debian's Python leaves venv's pip installer to a package of its own (python3.X-venv).
  python=${2:-python3}
  command -v dpkg-query >/dev/null || exit 0
  version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || exit 0
  if [ "$(command -v "$python")" = /usr/bin/python3 ] &&
    ! dpkg-query -W -f='${Status}' "python$version-venv" 2>/dev/null | grep -q "ok installed"; then
    need+=("python$version-venv")
  fi
else
command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v psql >/dev/null || need+=(postgresql-client)
if [ "${1:-}" != run ]; then
  command -v redis-server >/dev/null || need+=(redis-server)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v msgfmt >/dev/null || need+=(gettext)
fi
fi

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Needed: these Debian packages: ${need[*]}" >&2
  echo "Install them once with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
