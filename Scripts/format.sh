#!/usr/bin/env bash
# Formats the sources and tests in place, then lints them strictly (swift-format ships with the toolchain).
# With --lint, only lints (what CI runs): a non-zero exit names every line to fix.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--lint" ]; then
  swift format format --in-place --recursive Sources Tests Package.swift
fi
swift format lint --strict --recursive Sources Tests Package.swift
