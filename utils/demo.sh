#!/usr/bin/env bash
# Shows ggufc end to end: sets up and builds (utils/setup.sh), generates a tiny
# Qwen3 checkpoint, converts it to GGUF and prints the result. When the
# llama.cpp runtime is installed, also loads the GGUF in llama.cpp.
#
# usage: utils/demo.sh [OUTPUT_DIR]     (default: <repo>/out/demo)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(realpath -m "${1:-$repo/out/demo}")
bin="$repo/build/bin"

step() { printf '\n=== %s\n' "$*"; }

step "setup and build"
bash "$repo/utils/setup.sh"

step "generate a tiny Qwen3 checkpoint in $out/qwen3-tiny"
rm -rf "$out/qwen3-tiny" "$out/qwen3-tiny.gguf"
mkdir -p "$out"
/usr/bin/python3 "$repo/utils/make-fixture.py" "$out/qwen3-tiny" --arch qwen3 \
  --tokenizer synthetic
ls -l "$out/qwen3-tiny"

step "convert: ggufc $out/qwen3-tiny -o $out/qwen3-tiny.gguf"
"$bin/ggufc" "$out/qwen3-tiny" -o "$out/qwen3-tiny.gguf"
ls -l "$out/qwen3-tiny.gguf"

step "inspect: gguf-dump $out/qwen3-tiny.gguf"
"$bin/gguf-dump" "$out/qwen3-tiny.gguf"

if [ -x "$bin/llama-check" ]; then
  step "load in llama.cpp: llama-check $out/qwen3-tiny.gguf --prompt 'Hello world'"
  "$bin/llama-check" "$out/qwen3-tiny.gguf" --prompt "Hello world"
else
  step "llama.cpp runtime not installed: skipping the llama.cpp load"
fi
