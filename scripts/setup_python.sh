#!/usr/bin/env bash
# Make .venv/ at the repository root with the official Python Hub client (huggingface_hub),
# the referee of tests/official_clients_test.ts. Used by `npm test` and by .ci/run.
# Idempotent: when .venv/ already imports huggingface_hub it only says so.
#
# SKIP_PYTHON_REFEREE=1 installs nothing, and the tests that run the official Python client
# skip, saying so in the skip report. Without it, a failed install says what failed and how to
# skip on purpose, writes that reason to $VENV/UNAVAILABLE (those tests then skip with it, in the
# skip report) and lets `npm test` go on; with RKLLM_REQUIRE_PYTHON_REFEREE=1 (.ci/run sets it)
# it fails instead (exit 3): CI never runs without the referee.
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

# Says what failed and how to go on without the referee; exits 3 when the referee is required,
# else leaves the reason in $VENV/UNAVAILABLE for the tests to skip with, and exits 0.
give_up() {
  echo "setup_python: $*" >&2
  if [ "${RKLLM_REQUIRE_PYTHON_REFEREE:-}" = "1" ]; then
    echo "setup_python: RKLLM_REQUIRE_PYTHON_REFEREE=1 is set, so this stops here; fix the" \
      "above, or run with SKIP_PYTHON_REFEREE=1 to skip the official Python client's tests" >&2
    exit 3
  fi
  rm -rf "$VENV"
  mkdir -p "$VENV"
  echo "setup:python could not install huggingface_hub: $*" >"$VENV/UNAVAILABLE"
  echo "setup_python: the tests that run the official Python client will be skipped (listed as" \
    "skipped, with this reason); set SKIP_PYTHON_REFEREE=1 to skip them without trying" >&2
  exit 0
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
