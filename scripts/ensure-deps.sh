#!/usr/bin/env bash
# Makes sure libpcre2-8 (Debian: libpcre2-dev), sqlite3 (libsqlite3-dev, for EventFlowSQLite) and
# pkg-config are installed; installs them with apt-get when they are missing and we may (root or
# passwordless sudo). With `--fuzz`, also python3 (Fuzz/make-corpus.py builds the seed corpora).
set -euo pipefail
packages="libpcre2-dev libsqlite3-dev pkg-config"
python_ok=true
if [ "${1:-}" = "--fuzz" ]; then
  packages="$packages python3"
  command -v python3 >/dev/null 2>&1 || python_ok=false
fi
if $python_ok && command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libpcre2-8 && pkg-config --exists sqlite3; then
  exit 0
fi
echo "EventFlow needs libpcre2-8 and sqlite3 (Debian packages libpcre2-dev, libsqlite3-dev) and pkg-config; installing: $packages" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "error: libpcre2-dev or libsqlite3-dev is missing and this user cannot install it." >&2
    echo "       Run as root: apt-get update && apt-get install -y $packages" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: apt-get not found; install PCRE2 (libpcre2-8) and SQLite 3 with their pkg-config files with your package manager." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq $packages >/dev/null
if [ "${1:-}" = "--fuzz" ] && ! command -v python3 >/dev/null 2>&1; then echo "error: python3 still not found after installing it" >&2; exit 1; fi
pkg-config --exists libpcre2-8 && pkg-config --exists sqlite3 || { echo "error: libpcre2-8 or sqlite3 still not found after installing libpcre2-dev and libsqlite3-dev" >&2; exit 1; }
