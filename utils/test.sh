#!/usr/bin/env bash
# Sets up and builds (utils/setup.sh), then runs the whole test suite through
# ctest: the GoogleTest unit tests and the lit suite (which includes the
# llama.cpp runtime tests when utils/setup.sh could install the runtime).
# Exits non-zero if anything fails.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

bash "$repo/utils/setup.sh"
# CI must prove every GGUF in llama.cpp: no checker, no green run.
if [ ! -x "$repo/build/bin/llama-check" ] && [ "${CI:-}" = true ]; then
  echo "test: error: llama-check was not built, so the runtime tests cannot run (fatal under CI=true)" >&2
  exit 1
fi
ctest --test-dir "$repo/build" --output-on-failure
if [ ! -x "$repo/build/bin/llama-check" ]; then
  echo "test: NOTE: no llama.cpp runtime, so the runtime tests (test/Runtime) were skipped"
fi
