#!/usr/bin/env bash
# Sets up and builds (utils/setup.sh), then runs the whole test suite through
# ctest: the GoogleTest unit tests and the lit suite (which includes the
# llama.cpp runtime tests when utils/setup.sh could install the runtime).
# Exits non-zero if anything fails.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

bash "$repo/utils/setup.sh"
ctest --test-dir "$repo/build" --output-on-failure
if [ ! -x "$repo/build/bin/llama-check" ]; then
  echo "test: NOTE: no llama.cpp runtime, so the runtime tests (test/Runtime) were skipped"
fi
