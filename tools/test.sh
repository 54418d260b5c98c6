#!/usr/bin/env bash
# test.sh -- run every test of the workspace against a real Synapse on 127.0.0.1.
#
# Installs what the tests need (the Synapse venv, the matrix-nio encryption peer's venv and
# mdbook, each cached outside the repository by version and reused; tmux from the system's
# packages when it is missing), starts one Synapse for the run, exports its URL as
# MATRIX_TEST_HOMESERVER, runs all tests (cargo-nextest when installed, else cargo test),
# and stops the server whatever happens. Extra arguments go to the test runner.
#
#   MATRIX_TEST_PORT   port for the test server (default 8448)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# mdbook: the book-rendering test builds the book with it.
MATRIXLIB_MDBOOK=$(tools/install-mdbook.sh)
export MATRIXLIB_MDBOOK

# The matrix-nio peer with encryption (tools/nio_e2ee_peer.py) for the interop tests.
NIO_E2EE_VENV=$(tools/install-nio-e2ee.sh)
export NIO_E2EE_VENV

# tmux: the chat example's test drives it in a real terminal, through tmux.
if ! command -v tmux >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "test.sh: installing tmux" >&2
    apt-get update -qq >/dev/null && apt-get install -y -qq tmux >/dev/null
  else
    echo "test.sh: tmux is missing; install it (Debian: apt-get install tmux)" >&2
    exit 1
  fi
fi

# One Synapse for the whole run; each test makes its own users and rooms.
hs_dir=${CARGO_TARGET_DIR:-$root/target}/synapse
port=${MATRIX_TEST_PORT:-8448}
tools/start-synapse.sh --stop "$hs_dir" 2>/dev/null || true
rm -rf "$hs_dir"
trap 'tools/start-synapse.sh --stop "$hs_dir"' EXIT
MATRIX_TEST_HOMESERVER=$(SYNAPSE_EXTRA_PIP=matrix-nio SYNAPSE_SERVER_NAME="localhost:$port" \
  tools/start-synapse.sh "$hs_dir" "$port")
# The server name in user IDs (@alice:localhost:8448), and the secret for admin registration.
MATRIX_TEST_SERVER_NAME=localhost:$port
MATRIX_TEST_REGISTRATION_SECRET=$(. "$hs_dir/env"; echo "$SYNAPSE_REGISTRATION_SHARED_SECRET")
export MATRIX_TEST_HOMESERVER MATRIX_TEST_SERVER_NAME MATRIX_TEST_REGISTRATION_SECRET
echo "test.sh: Synapse at $MATRIX_TEST_HOMESERVER" >&2

status=0
if cargo nextest --version >/dev/null 2>&1; then
  # nextest does not run doctests, so cargo test runs those first.
  cargo test --locked --workspace --all-features --doc
  cargo nextest run --locked --workspace --all-features --no-fail-fast "$@" || status=$?
else
  cargo test --locked --workspace --all-features --no-fail-fast "$@" || status=$?
fi

# No key upload of the whole run may have been refused (a key ID used twice, Synapse's cap
# of 500 one-time keys): the library must never send one the server cannot take.
refused=$(grep -E '" 4[0-9][0-9] "POST /_matrix/client/v3/keys/upload|[0-9]B 4[0-9][0-9] "POST /_matrix/client/v3/keys/upload' \
  "$hs_dir/homeserver.log" || true)
if [[ -n $refused ]]; then
  echo "test.sh: Synapse refused key uploads:" >&2
  echo "$refused" >&2
  status=1
fi
exit "$status"

