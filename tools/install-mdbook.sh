#!/usr/bin/env bash
# install-mdbook.sh -- print the path of an mdbook binary of the pinned version, installing
# it first (once) into a cache outside the repository.
#
#   MDBOOK_VERSION   version to use (default 0.5.4)
#   MDBOOK_CACHE     cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/matrixlib)
#
# An mdbook already on PATH is used when it is exactly that version. Otherwise it is built
# with `cargo install --locked` into MDBOOK_CACHE/mdbook-VERSION (about a minute on two
# cores: only the `search` feature, no `serve`/`watch`), and reused from there afterwards.
set -euo pipefail
VERSION=${MDBOOK_VERSION:-0.5.4}
CACHE=${MDBOOK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/matrixlib}
ROOT=$CACHE/mdbook-$VERSION
BIN=$ROOT/bin/mdbook

if command -v mdbook >/dev/null && [[ $(mdbook --version 2>/dev/null) == "mdbook v$VERSION" ]]; then
  command -v mdbook
  exit 0
fi
if [[ ! -x $BIN || $("$BIN" --version 2>/dev/null) != "mdbook v$VERSION" ]]; then
  mkdir -p "$CACHE"
  exec 9>"$ROOT.lock"
  if command -v flock >/dev/null; then flock 9; fi
  if [[ ! -x $BIN ]]; then
    echo "install-mdbook: building mdbook $VERSION into $ROOT (once)" >&2
    cargo install mdbook --locked --quiet --version "$VERSION" \
      --no-default-features --features search --root "$ROOT" >&2
  fi
fi
echo "$BIN"
