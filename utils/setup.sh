#!/usr/bin/env bash
# Installs everything ggufc needs to build and test on Debian 12, then builds.
# Idempotent: a re-run with everything in place only rebuilds what changed.
#
#   1. Debian packages (skipped when all are installed already).
#   2. The test runtime from the npm registry into <repo>/.runtime: prebuilt
#      llama.cpp libraries and their headers (for utils/llama-check) and the
#      reference tokenizers. Pinned by utils/runtime/package-lock.json.
#      Without a registry this step warns and the runtime tests are skipped;
#      with CI=true it is fatal.
#   3. cmake configure + build into <repo>/build.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runtime_dir="$repo/.runtime"
build_dir="$repo/build"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

debian_packages=(
  cmake g++ make git
  llvm-14-dev llvm-14-tools            # LLVM ADT/Support, lit, FileCheck
  nlohmann-json3-dev libboost-math-dev libgtest-dev
  protobuf-compiler libprotobuf-dev   # tokenizer.model (own schema)
  python3 python3-numpy python3-sentencepiece
  time                                 # /usr/bin/time -v for utils/bench.py
)

missing_debian_packages() {
  local pkg
  for pkg in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      echo "$pkg"
  done
  # Node may come from Debian or from another packaging of nodejs that
  # bundles npm; only the commands matter.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo nodejs
    echo npm
  fi
}

install_debian_packages() {
  local missing
  missing=$(missing_debian_packages)
  if [ -z "$missing" ]; then
    say "Debian packages: all installed"
    return
  fi
  say "Debian packages to install:" $missing
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "not root and no sudo: install these first: $missing"
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends $missing
}

# The runtime is installed into a staging directory and moved into place only
# when complete, so a failed install never looks like a usable runtime.
# A copy of the lock file inside it records what it was installed from.
runtime_is_current() {
  cmp -s "$repo/utils/runtime/package-lock.json" "$runtime_dir/installed-from.lock.json" &&
    [ -f "$runtime_dir/llama.cpp/include/llama.h" ]
}

install_runtime() {
  # Fail fast without a registry: npm install itself retries for minutes.
  if ! timeout 120 npm ping --fetch-retries=1 --fetch-timeout=30000 >/dev/null 2>&1; then
    say "the npm registry does not answer (npm ping failed)"
    return 1
  fi
  local staging="$runtime_dir.staging"
  rm -rf "$staging"
  mkdir -p "$staging"
  cp "$repo/utils/runtime/package.json" "$repo/utils/runtime/package-lock.json" "$staging/"
  # --ignore-scripts: node-llama-cpp's install script would try to download
  # or build llama.cpp; the prebuilt linux-x64 package is all we need.
  # --omit=optional: skips the large GPU builds node-llama-cpp lists.
  # `npm install` with the lock file installs exactly the locked versions;
  # `npm ci` cannot be used because node-llama-cpp lists optional platform
  # packages that the registry does not have for this version.
  (cd "$staging" &&
    timeout 1800 npm install --ignore-scripts --omit=optional --no-audit --no-fund) || return 1
  # node-llama-cpp ships the matching llama.cpp source as a git bundle; the
  # checker needs its include/llama.h and ggml/include/*.h.
  git clone --quiet "$staging/node_modules/node-llama-cpp/llama/gitRelease.bundle" \
    "$staging/llama.cpp" || return 1
  cp "$repo/utils/runtime/package-lock.json" "$staging/installed-from.lock.json"
  rm -rf "$runtime_dir"
  mv "$staging" "$runtime_dir"
}

setup_runtime() {
  if runtime_is_current; then
    say "test runtime: up to date in $runtime_dir"
    return
  fi
  say "installing the test runtime into $runtime_dir (npm)"
  if install_runtime; then
    say "test runtime: installed"
    return
  fi
  rm -rf "$runtime_dir.staging"
  if [ "${CI:-}" = true ]; then
    die "could not install the test runtime from the npm registry (fatal under CI=true)"
  fi
  say "WARNING: could not install the test runtime from the npm registry;"
  say "WARNING: llama-check is not built and the runtime tests (test/Runtime) will be skipped."
}

build() {
  say "building in $build_dir"
  cmake -S "$repo" -B "$build_dir"
  cmake --build "$build_dir" -j2
}

install_debian_packages
setup_runtime
build
say "done"
