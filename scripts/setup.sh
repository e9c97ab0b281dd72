#!/usr/bin/env bash
# Sets up a fresh machine: Debian packages (Chromium + Vulkan for WebGPU on SwiftShader), pnpm,
# workspace dependencies, a build of every package; then runs `albert` on the embedded default model
# (skip that with --no-demo).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s libvulkan1 >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libvulkan1 >/dev/null
fi
# pnpm itself (turbo needs a `pnpm` binary on PATH); the version is pinned in package.json's packageManager.
if [ "$(pnpm --version 2>/dev/null)" != "10.34.8" ]; then $SUDO npm install -g pnpm@10.34.8 >/dev/null; fi
pnpm install --frozen-lockfile
pnpm run build
if [ "${1:-}" != "--no-demo" ]; then
  node apps/cli/dist/bin.js fill-mask "The capital of [MASK] is Paris."
fi
