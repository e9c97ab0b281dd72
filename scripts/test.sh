#!/usr/bin/env bash
# The whole test suite: every package's vitest tests (unit, parity with PyTorch on every backend,
# WebGPU on SwiftShader in Node, Chromium end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
export VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}"
exec pnpm exec vitest run "$@"
