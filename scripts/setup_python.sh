#!/usr/bin/env bash
# Make .venv/ at the repository root with the official Python Hub client (huggingface_hub),
# the referee of tests/official_clients_test.ts. Used by `npm test` and by .ci/run.
# Idempotent: when .venv/ already imports huggingface_hub it only says so.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv

if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import huggingface_hub" 2>/dev/null; then
  echo "setup_python: $VENV has huggingface_hub $("$VENV/bin/python" -c \
    'import huggingface_hub; print(huggingface_hub.__version__)')"
  exit 0
fi

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "$@"
}

if ! command -v python3 >/dev/null; then
  apt_install python3 python3-venv
fi
# Debian's own python3 makes a venv only with python3-venv (ensurepip) installed.
if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  apt_install python3-venv
fi

rm -rf "$VENV"
python3 -m venv "$VENV"
# The machine's pip configuration names the index; one retry keeps an unreachable index quick.
"$VENV/bin/python" -m pip install --quiet --retries 1 huggingface_hub
echo "setup_python: installed huggingface_hub $("$VENV/bin/python" -c \
  'import huggingface_hub; print(huggingface_hub.__version__)') into $VENV"
