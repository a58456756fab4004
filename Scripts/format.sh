#!/usr/bin/env bash
# Formats the sources in place, then lints strictly (swift-format ships with the toolchain).
set -euo pipefail
cd "$(dirname "$0")/.."
swift format format --in-place --recursive Sources Tests Package.swift
swift format lint --strict --recursive Sources Package.swift
