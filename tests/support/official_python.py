"""The official Python Hub client (huggingface_hub) run against an endpoint, for the referee tests.

Usage: python official_python.py '{"repo": "owner/name", "files": ["config.json"], "snapshot": true}'

Reads HF_ENDPOINT, HF_HOME and the other HF_* variables from the environment. Downloads each
of `files` with hf_hub_download, then (with `snapshot`) the whole repository with
snapshot_download into a second cache, and prints one JSON line: {"files": {path: local path},
"snapshot": local dir, "version": ...}. On a failure it prints {"error": {"type", "status",
"message"}} and exits 1. With `recordSleeps`, every `time.sleep` the client asks for is
listed in "sleeps" (seconds) and shortened to at most 0.1 s, so a test reads the waits the
client chose instead of timing them.
"""

import json
import os
import sys
import time

import huggingface_hub
from huggingface_hub import hf_hub_download, snapshot_download


def status_of(error):
    response = getattr(error, "response", None)
    return getattr(response, "status_code", None)


def record_sleeps(sleeps):
    real_sleep = time.sleep

    def recorded(seconds):
        sleeps.append(seconds)
        real_sleep(min(seconds, 0.1))

    time.sleep = recorded


def main():
    request = json.loads(sys.argv[1])
    home = os.environ["HF_HOME"]
    token = request.get("token")
    answer = {"version": huggingface_hub.__version__, "files": {}}
    if request.get("recordSleeps"):
        answer["sleeps"] = []
        record_sleeps(answer["sleeps"])
    try:
        for path in request.get("files", []):
            answer["files"][path] = hf_hub_download(
                request["repo"], path, cache_dir=os.path.join(home, "files"), token=token
            )
        if request.get("snapshot"):
            answer["snapshot"] = snapshot_download(
                request["repo"], cache_dir=os.path.join(home, "snapshot"), token=token
            )
    except Exception as error:  # the test reads what failed from the JSON
        cause = error.__cause__ or error
        answer["error"] = {
            "type": type(error).__name__,
            "status": status_of(error) or status_of(cause),
            "message": str(error)[:2000],
        }
        print(json.dumps(answer))
        sys.exit(1)
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
