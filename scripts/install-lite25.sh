#!/usr/bin/env bash
# Installs Milvus Lite 2.5.1 (the last release that embeds the C++ Milvus engine: segcore and
# knowhere) with pymilvus 2.5.18 beside it, pinned, into a venv of their own. The integration tests
# start its server binary ($SITE/milvus_lite/lib/milvus DB HOST:PORT LOGLEVEL); the differential
# search tests run pymilvus 2.5.18 from the same venv.
# Idempotent: a marker file is written when everything is installed; reruns then exit at once.
# Usage: scripts/install-lite25.sh [VENV_DIR]   (default: <project>/target/venv-lite25)
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_DIR="${1:-${MILVUS_LITE25_VENV:-$PROJECT_DIR/target/venv-lite25}}"
PACKAGES=("milvus-lite==2.5.1" "pymilvus==2.5.18")
MARKER="$VENV_DIR/.test-servers-installed"
EXPECTED="${PACKAGES[*]}"

fail() {
  echo "install-lite25: ERROR: $*" >&2
  exit 1
}

if [[ -f "$MARKER" ]] && [[ "$(cat "$MARKER")" == "$EXPECTED" ]]; then
  echo "install-lite25: already installed in $VENV_DIR ($EXPECTED)"
  exit 0
fi

PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || fail "'$PYTHON' not found on PATH; Python >= 3.10 is required"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || fail "Python >= 3.10 is required (found $("$PYTHON" --version 2>&1))"

rm -f "$MARKER"
if [[ ! -x "$VENV_DIR/bin/python" ]]; then
  echo "install-lite25: creating venv $VENV_DIR"
  mkdir -p "$(dirname "$VENV_DIR")"
  "$PYTHON" -m venv "$VENV_DIR" || fail "could not create venv $VENV_DIR with '$PYTHON -m venv'"
fi

echo "install-lite25: installing $EXPECTED"
"$VENV_DIR/bin/python" -m pip install --disable-pip-version-check --no-input -q "${PACKAGES[@]}" \
  || fail "pip install ${PACKAGES[*]} failed (see the pip output above)"

# (milvus_lite itself is not imported: its __init__ needs pkg_resources, which new venvs lack)
SITE="$("$VENV_DIR/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
  || fail "cannot read the venv's site-packages directory"
[[ -x "$SITE/milvus_lite/lib/milvus" ]] || fail "server binary $SITE/milvus_lite/lib/milvus missing after install"
"$VENV_DIR/bin/python" -c 'import pymilvus; assert pymilvus.__version__.startswith("2.5.18"), pymilvus.__version__' \
  || fail "pymilvus 2.5.18 cannot be imported"

echo "$EXPECTED" > "$MARKER"
echo "install-lite25: done ($VENV_DIR)"
