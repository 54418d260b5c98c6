#!/usr/bin/env bash
# main.sh -- the main job: build the crate (tangling the book) and the rendered book.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked --workspace
tools/book.sh
