#!/usr/bin/env bash
# Creates target/venv-pymilvus25 with pymilvus 2.5.18 (pinned), the reference implementation the
# differential config test compares against. Idempotent: does nothing when the venv already has it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-$here/target/venv-pymilvus25}"
version="2.5.18"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" - "$version" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if version("pymilvus") == sys.argv[1] else 1)
PY
then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check "pymilvus==$version"
