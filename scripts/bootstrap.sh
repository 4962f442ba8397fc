#!/usr/bin/env bash
# Shared set-up for scripts/run and scripts/test: Qt's system libraries (apt, when root),
# a project venv in .venv, and the pinned Python packages. Safe to run again: it only
# does work when something is missing or the pins changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
EXTRAS="${1:-}"   # "test" to install the test tools too; "test,package" adds PyInstaller and build

# Libraries the PySide6 wheels load (xcb for a real screen, EGL/GL/fontconfig for any).
QT_APT_PACKAGES=(
  libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0
  libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libxcb-shm0 libxcb-sync1 libxrender1
  fonts-dejavu-core
)

say() { printf '[whats91] %s\n' "$*" >&2; }

missing_apt_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$pkg"
  done
}

ensure_apt() {
  command -v dpkg-query >/dev/null 2>&1 || { say "not a Debian/Ubuntu system: install Qt 6's xcb libraries yourself"; return 0; }
  local missing
  missing="$(missing_apt_packages "$@")"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = "0" ]; then
    say "installing system packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    say "missing system packages; run this once, then try again:"
    say "  sudo apt-get install -y --no-install-recommends $missing"
    return 1
  fi
}

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3 python3.14 python3.13 python3.12 python3.11; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

ensure_apt "${QT_APT_PACKAGES[@]}" || true

if ! PY="$(find_python)"; then
  # e.g. Ubuntu 22.04 ships 3.10 but packages python3.11 separately.
  ensure_apt python3.11 python3.11-venv || true
  PY="$(find_python)" || { say "Python 3.11 or newer is needed: sudo apt-get install -y python3.11 python3.11-venv"; exit 1; }
fi

if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV with $PY"
  if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    rm -rf "$VENV"
    ver="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    ensure_apt "python${ver}-venv" || ensure_apt python3-venv || { say "install python3-venv, then try again"; exit 1; }
    "$PY" -m venv "$VENV"
  fi
fi

# Reinstall only when the pins or the project metadata changed.
spec="-e .${EXTRAS:+[$EXTRAS]}"
stamp="$VENV/.whats91-installed"
pins="$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" | sha256sum | cut -d' ' -f1)"
want="$pins $spec"
have="$(cat "$stamp" 2>/dev/null || true)"
# An install with extras also serves the app: no reinstall when switching back.
if [ "$have" != "$want" ] && ! { [ -z "$EXTRAS" ] && [[ "$have" == "$pins -e .["* ]]; }; then
  say "installing Python packages ($spec)"
  (cd "$ROOT" && "$VENV/bin/python" -m pip install -q --disable-pip-version-check -c constraints.txt $spec)
  printf '%s' "$want" > "$stamp"
fi
