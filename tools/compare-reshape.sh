#!/usr/bin/env bash
# compare-reshape.sh -- the sync step before the core reshape (commit 45693d4) and now,
# side by side in one process, on the realistic fixture of benches/sync.rs.
#
# Makes a worktree of the old commit (its packages renamed so both can be linked into
# one program), a throwaway crate that depends on both, and runs it in release mode.
# Everything lives under ${COMPARE_DIR:-/tmp/matrixlib-compare}; the repository is
# untouched apart from the worktree entry. Prints one line per response:
#   name size: Value N ms; before N ms (ratio); after N ms (ratio); after/before R
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${COMPARE_DIR:-/tmp/matrixlib-compare}
mkdir -p "$dir"
if [ ! -d "$dir/before" ]; then
  git -C "$root" worktree add -f "$dir/before" 45693d4 >/dev/null
  sed -i 's/^name = "matrixlib"$/name = "matrixlib_before"/' "$dir/before/Cargo.toml"
  sed -i 's/^name = "tangle-rs"$/name = "tangle-rs-before"/' "$dir/before/tangle-rs/Cargo.toml"
  sed -i 's/^tangle-rs = { path = "tangle-rs"/tangle_rs = { package = "tangle-rs-before", path = "tangle-rs"/' \
    "$dir/before/Cargo.toml"
fi
mkdir -p "$dir/crate/src"
cat > "$dir/crate/Cargo.toml" <<TOML
[package]
name = "reshape_compare"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
matrixlib = { path = "$root" }
matrixlib_before = { path = "$dir/before" }
serde_json = { version = "1", features = ["raw_value"] }
tokio = { version = "1", features = ["rt", "time", "sync", "macros"] }
url = "2"

[workspace]
TOML
{
  printf 'use std::fmt::Write;\nuse std::sync::Arc;\nuse std::sync::atomic::{AtomicUsize, Ordering};\nuse std::time::Instant;\n\n'
  sed -n '/^\/\/ >>> «generated sync response»/,/^\/\/ <<< «generated sync response»/p' "$root/benches/fixture/mod.rs" \
    | grep -v '^// [<>-]'
  cat "$root/tools/compare-reshape.rs"
} > "$dir/crate/src/main.rs"
cargo run --release --quiet --manifest-path "$dir/crate/Cargo.toml"
