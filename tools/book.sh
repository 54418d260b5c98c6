#!/usr/bin/env bash
# book.sh -- build the rendered book and print where to open it.
set -euo pipefail
cd "$(dirname "$0")/.."
MDBOOK=$(tools/install-mdbook.sh)
# Build the preprocessor first, so mdBook's own run of it is quick and quiet.
cargo build --quiet -p tangle-rs --features cli --bin mdbook-chunks
"$MDBOOK" build book >&2
echo "The book is at file://$(pwd)/target/book/index.html"
