#!/usr/bin/env bash
# Make .venv/ at the repository root with the official Python Hub client (huggingface_hub),
# the referee of tests/official_clients_test.ts. Used by `npm test` and by .ci/run.
# Idempotent: when .venv/ already imports huggingface_hub it only says so.
#
# SKIP_PYTHON_REFEREE=1 installs nothing, and the tests that run the official Python client
# skip, saying so in the skip report. Without it, a failed install fails this script (exit 3),
# naming the switch: CI never skips the referee silently.
# RKLLM_PYTHON_VENV puts the environment elsewhere (the test of this script uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${RKLLM_PYTHON_VENV:-.venv}

if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import huggingface_hub" 2>/dev/null; then
  echo "setup_python: $VENV has huggingface_hub $("$VENV/bin/python" -c \
    'import huggingface_hub; print(huggingface_hub.__version__)')"
  exit 0
fi

if [ "${SKIP_PYTHON_REFEREE:-}" = "1" ]; then
  echo "setup_python: SKIP_PYTHON_REFEREE=1 is set: huggingface_hub is not installed," \
    "and the tests that run the official Python client are skipped" >&2
  exit 0
fi

# Says what failed and how to go on without the referee, then exits 3.
give_up() {
  echo "setup_python: $*" >&2
  echo "setup_python: the tests that run the official Python client need it; fix the above," \
    "or run with SKIP_PYTHON_REFEREE=1 to skip those tests (they are then listed as skipped)" >&2
  exit 3
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update && apt-get install -y --no-install-recommends "$@"; } ||
    give_up "cannot install $* with apt-get"
}

if ! command -v python3 >/dev/null; then
  apt_install python3 python3-venv
fi
# Debian's own python3 makes a venv only with python3-venv (ensurepip) installed.
if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  apt_install python3-venv
fi

rm -rf "$VENV"
python3 -m venv "$VENV" || give_up "python3 -m venv $VENV failed"
# The machine's pip configuration names the index; one retry keeps an unreachable index quick.
if ! "$VENV/bin/python" -m pip install --quiet --retries 1 huggingface_hub; then
  rm -rf "$VENV"
  give_up "pip cannot install huggingface_hub from the configured Python package index" \
    "(see pip's messages above; PIP_INDEX_URL and pip.conf name the index)"
fi
echo "setup_python: installed huggingface_hub $("$VENV/bin/python" -c \
  'import huggingface_hub; print(huggingface_hub.__version__)') into $VENV"
