#!/bin/sh
# The image's entrypoint: migrate, then serve (tests/contract/test_entrypoint.py runs this file).
set -eu
exec assistants-server serve --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" "$@"
