#!/usr/bin/env bash
# Installs the real Milvus-protocol servers used by the integration tests into a Python venv:
#   milvus-lite 3.2.2 (+ pymilvus 3.0.2, which milvus-lite imports) and milvus 2.3.5
#   (embedded Milvus standalone, console script milvus-server); then, through
#   scripts/install-lite25.sh, milvus-lite 2.5.1 + pymilvus 2.5.18 into the sibling venv
#   <dir of VENV_DIR>/venv-lite25 (override: MILVUS_LITE25_VENV).
# Idempotent: a marker file is written when everything is installed; reruns then exit at once.
# Usage: scripts/install-test-servers.sh [VENV_DIR]   (default: <project>/target/venv)
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_DIR="${1:-${MILVUS_VENV:-$PROJECT_DIR/target/venv}}"
PACKAGES=("milvus-lite==3.2.2" "pymilvus==3.0.2" "milvus==2.3.5")
MARKER="$VENV_DIR/.test-servers-installed"
EXPECTED="${PACKAGES[*]}"
LITE25_VENV="${MILVUS_LITE25_VENV:-$(dirname "$VENV_DIR")/venv-lite25}"

fail() {
  echo "install-test-servers: ERROR: $*" >&2
  exit 1
}

if [[ -f "$MARKER" ]] && [[ "$(cat "$MARKER")" == "$EXPECTED" ]]; then
  echo "install-test-servers: already installed in $VENV_DIR ($EXPECTED)"
  exec bash "$PROJECT_DIR/scripts/install-lite25.sh" "$LITE25_VENV"
fi

PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || fail "'$PYTHON' not found on PATH; Python >= 3.10 is required"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || fail "Python >= 3.10 is required (found $("$PYTHON" --version 2>&1))"

rm -f "$MARKER"
if [[ ! -x "$VENV_DIR/bin/python" ]]; then
  echo "install-test-servers: creating venv $VENV_DIR"
  mkdir -p "$(dirname "$VENV_DIR")"
  "$PYTHON" -m venv "$VENV_DIR" || fail "could not create venv $VENV_DIR with '$PYTHON -m venv'"
fi

# Milvus Lite 2.5.1 goes into a venv of its own: installed at the same time (mostly downloads)
bash "$PROJECT_DIR/scripts/install-lite25.sh" "$LITE25_VENV" &
lite25=$!
echo "install-test-servers: installing $EXPECTED"
"$VENV_DIR/bin/python" -m pip install --disable-pip-version-check --no-input -q "${PACKAGES[@]}" \
  || fail "pip install ${PACKAGES[*]} failed (see the pip output above)"

for exe in milvus-lite milvus-server; do
  [[ -x "$VENV_DIR/bin/$exe" ]] || fail "console script $VENV_DIR/bin/$exe missing after install"
done
"$VENV_DIR/bin/python" -c 'import milvus_lite, pymilvus, milvus' \
  || fail "installed packages cannot be imported"

wait "$lite25" || fail "installing Milvus Lite 2.5.1 failed (see its output above)"
echo "$EXPECTED" > "$MARKER"
echo "install-test-servers: done ($VENV_DIR)"
