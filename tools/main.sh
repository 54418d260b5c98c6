#!/usr/bin/env bash
# main.sh -- the main job: build the crate and the book, then show two users talking.
#
# Without a homeserver, it installs (once, cached) and starts a local Synapse on 127.0.0.1
# for the run, runs the quickstart example against it, and stops it afterwards.
# With --homeserver URL (or MATRIX_HOMESERVER) it uses that server instead, and
# --alice USER:PASSWORD / --bob USER:PASSWORD (or MATRIX_ALICE / MATRIX_BOB) log in as
# existing users instead of registering new ones. Other arguments go to the quickstart.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --locked --workspace --examples
tools/book.sh

args=("$@")
homeserver=${MATRIX_HOMESERVER:-}
for ((i = 0; i < ${#args[@]}; i++)); do
  if [[ ${args[i]} == --homeserver ]]; then homeserver=${args[i + 1]:-}; fi
done
if [[ -z $homeserver ]]; then
  if ! command -v python3 >/dev/null; then
    echo "main.sh: no python3 here. A local Synapse needs Python 3.10 or newer with venv and pip" >&2
    echo "         (Debian: apt-get install python3 python3-venv); or pass --homeserver URL." >&2
    exit 1
  fi
  if ! python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    echo "main.sh: python3 is older than 3.10, or lacks venv/pip, which a local Synapse needs" >&2
    echo "         (Debian: apt-get install python3-venv); or pass --homeserver URL." >&2
    exit 1
  fi
  dir=target/main-synapse
  port=${MATRIX_MAIN_PORT:-8488}
  tools/start-synapse.sh --stop "$dir" 2>/dev/null || true
  rm -rf "$dir"
  trap 'tools/start-synapse.sh --stop "$dir"' EXIT
  homeserver=$(SYNAPSE_SERVER_NAME="localhost:$port" tools/start-synapse.sh "$dir" "$port")
  args+=(--homeserver "$homeserver")
fi
cargo run --locked --quiet --example quickstart -- "${args[@]}"
